import type { EventStore } from '@kpi/event-store';
import * as oidc from 'openid-client';
import type { Pool } from 'pg';
import {
  discoverIdentityProvider,
  IdentityProviderUnreachableError,
  type IdentityProviderClientOptions,
} from './identity-provider-client';
import { scopesOf } from './identity-provider.decider';
import { accountThroughIdentityProvider, rolesFromClaims } from './identity-provider-accounts';
import { identityProviderOf } from './identity-providers';
import { newSecret, secretHash } from './secrets';
import { openSession, type SignedIn } from './sessions';

/** How long a person has to come back from their identity provider. */
export const IDENTITY_PROVIDER_SIGN_IN_MS = 10 * 60 * 1000;

/** Why a sign-in through an identity provider failed before the person was known. */
export type SignInFailure =
  /** The organisation id names no organisation with an identity provider. */
  | 'no-identity-provider'
  /** The provider could not be reached or did not describe itself. */
  | 'unreachable'
  /** The browser came back without a sign-in of ours under way: too late, used, or another's. */
  | 'no-sign-in-under-way'
  /** The provider answered with an error (the person cancelled, or it refused them). */
  | 'refused-by-provider'
  /** The answer did not check out: state, issuer, PKCE, ID token signature, nonce, audience. */
  | 'invalid-answer';

export class IdentityProviderSignInError extends Error {
  constructor(
    readonly failure: SignInFailure,
    cause?: unknown,
  ) {
    super(`Sign-in through the identity provider failed: ${failure}`, { cause });
    this.name = new.target.name;
  }
}

export interface StartedSignIn {
  /** For the browser's cookie: only its SHA-256 is stored with the sign-in under way. */
  signInId: string;
  /** Where to send the browser: the provider's authorization endpoint with our request. */
  authorizationUrl: string;
}

/**
 * Starts an authorization-code sign-in with PKCE at the organisation's identity provider: a
 * random state, nonce and code verifier are kept (ten minutes, single use) under the SHA-256
 * of a new random id, which the browser keeps in a cookie; the person is sent to the provider.
 */
export async function startIdentityProviderSignIn(
  pool: Pool,
  request: { tenantId: string; redirectUri: string; returnTo: string; now: Date },
  options: IdentityProviderClientOptions,
): Promise<StartedSignIn> {
  const { tenantId, redirectUri, returnTo, now } = request;
  const settings = await identityProviderOf(pool, tenantId, options.secretsKey);
  if (!settings) throw new IdentityProviderSignInError('no-identity-provider');
  const configuration = await discovered(settings, options);
  const signInId = newSecret();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  await pool.query('DELETE FROM identity_provider_sign_ins WHERE expires_at <= $1', [now]);
  await pool.query(
    `INSERT INTO identity_provider_sign_ins
       (id_hash, tenant_id, state, nonce, code_verifier, redirect_uri, return_to, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      secretHash(signInId),
      tenantId,
      state,
      nonce,
      codeVerifier,
      redirectUri,
      returnTo,
      new Date(now.getTime() + IDENTITY_PROVIDER_SIGN_IN_MS),
    ],
  );
  const authorizationUrl = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: redirectUri,
    scope: scopesOf(settings),
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { signInId, authorizationUrl: authorizationUrl.href };
}

export interface FinishSignIn {
  /** The id of the browser's cookie; undefined when it has none. */
  signInId: string | undefined;
  /** The query string the provider sent the browser back with (`code`, `state`, `iss`). */
  callbackQuery: string;
  now: Date;
  /** A session id the browser already presented: it is ended, never promoted. */
  presentedSessionId: string | undefined;
  correlationId: string | null;
}

/**
 * Finishes a sign-in the browser started: the sign-in under way is taken (it works once,
 * whatever happens next), the provider's answer is checked (state, issuer, then the code is
 * exchanged with the PKCE verifier and the ID token checked: signature, issuer, audience,
 * nonce), the claims are read (the userinfo endpoint's too when the ID token lacks the role
 * claim or the email), the person's account is found or created with the roles their claims
 * map to, and a new session is opened.
 */
export async function finishIdentityProviderSignIn(
  store: EventStore,
  pool: Pool,
  finish: FinishSignIn,
  options: IdentityProviderClientOptions,
): Promise<SignedIn & { returnTo: string }> {
  const { now } = finish;
  const { rows } = await pool.query<{
    tenant_id: string;
    state: string;
    nonce: string;
    code_verifier: string;
    redirect_uri: string;
    return_to: string;
    expires_at: Date;
  }>('DELETE FROM identity_provider_sign_ins WHERE id_hash = $1 RETURNING *', [
    secretHash(finish.signInId ?? ''),
  ]);
  const underWay = rows[0];
  if (!underWay || underWay.expires_at <= now) {
    throw new IdentityProviderSignInError('no-sign-in-under-way');
  }
  const settings = await identityProviderOf(pool, underWay.tenant_id, options.secretsKey);
  if (!settings) throw new IdentityProviderSignInError('no-identity-provider');
  const configuration = await discovered(settings, options);

  const callbackUrl = new URL(underWay.redirect_uri);
  callbackUrl.search = finish.callbackQuery;
  let claims: Record<string, unknown>;
  try {
    const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: underWay.code_verifier,
      expectedState: underWay.state,
      expectedNonce: underWay.nonce,
      idTokenExpected: true,
    });
    claims = { ...tokens.claims() };
    if (!(settings.roleClaim in claims) || typeof claims.email !== 'string') {
      const userInfo = await oidc.fetchUserInfo(
        configuration,
        tokens.access_token,
        String(claims.sub),
      );
      claims = { ...userInfo, ...claims };
    }
  } catch (error) {
    throw new IdentityProviderSignInError(failureOf(error), error);
  }

  const account = await accountThroughIdentityProvider(store, pool, {
    tenantId: underWay.tenant_id,
    issuer: configuration.serverMetadata().issuer,
    subject: String(claims.sub),
    email: typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null,
    roles: rolesFromClaims(claims, settings.roleClaim, settings.roleMappings),
    now,
    correlationId: finish.correlationId,
  });
  const signedIn = await openSession(pool, account, now, finish.presentedSessionId);
  return { ...signedIn, returnTo: underWay.return_to };
}

function failureOf(error: unknown): SignInFailure {
  if (error instanceof oidc.AuthorizationResponseError) return 'refused-by-provider';
  // fetch's own failure (no connection, a timeout): the provider is not there.
  if (error instanceof TypeError && !(error instanceof oidc.ClientError)) return 'unreachable';
  return 'invalid-answer';
}

async function discovered(
  settings: Parameters<typeof discoverIdentityProvider>[0],
  options: IdentityProviderClientOptions,
): Promise<oidc.Configuration> {
  try {
    return await discoverIdentityProvider(settings, options);
  } catch (error) {
    if (error instanceof IdentityProviderUnreachableError) {
      throw new IdentityProviderSignInError('unreachable', error);
    }
    throw error;
  }
}
