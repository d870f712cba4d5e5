import type { AppConfig } from '@kpi/config';
import type { IdentityProviderClientOptions } from '@kpi/features/accounts';
import { parseMasterKey } from '@kpi/personal-data';
import { BadRequestException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Where the sign-in page sends a person to sign in through their organisation's provider. */
export const ORGANISATION_SIGN_IN_PATH = '/app/sign-in/organisation';

/** Where identity providers send people back (the redirect URI an admin registers there). */
export const ORGANISATION_SIGN_IN_CALLBACK_PATH = `${ORGANISATION_SIGN_IN_PATH}/callback`;

/**
 * The redirect URI of this service: PUBLIC_BASE_URL when set (behind a proxy), else the
 * address the request came to. A provider accepts only a redirect URI registered with it, so
 * a forged Host header gets nowhere.
 */
export function organisationSignInRedirectUri(
  request: Pick<FastifyRequest, 'protocol' | 'host'>,
  config: Pick<AppConfig, 'PUBLIC_BASE_URL'>,
): string {
  let origin = config.PUBLIC_BASE_URL;
  if (origin === undefined) {
    try {
      origin = new URL(`${request.protocol}://${request.host}`).origin;
    } catch {
      throw new BadRequestException('The request has no usable Host header');
    }
  }
  return `${origin}${ORGANISATION_SIGN_IN_CALLBACK_PATH}`;
}

/** Identity providers on this machine over plain http:// only outside production. */
export function identityProviderClientOptions(
  config: Pick<AppConfig, 'NODE_ENV' | 'PERSONAL_DATA_KEY'>,
): IdentityProviderClientOptions {
  return {
    allowLoopbackHttp: config.NODE_ENV !== 'production',
    secretsKey: parseMasterKey(config.PERSONAL_DATA_KEY),
  };
}

/**
 * The cookie that ties a browser to its sign-in under way at an identity provider: an opaque
 * random id (the state, nonce and PKCE verifier stay on the server), HttpOnly, SameSite=Lax
 * (the provider's redirect back is a top-level GET from another site), only for the sign-in
 * paths, ten minutes; Secure except in development on plain http://.
 */
export const ORGANISATION_SIGN_IN_COOKIE = 'kpi_sign_in';

export function organisationSignInCookie(
  signInId: string,
  maxAgeSeconds: number,
  nodeEnv: AppConfig['NODE_ENV'],
): string {
  const secure = nodeEnv === 'development' ? '' : '; Secure';
  return `${ORGANISATION_SIGN_IN_COOKIE}=${signInId}; Max-Age=${maxAgeSeconds}; Path=${ORGANISATION_SIGN_IN_PATH}; HttpOnly; SameSite=Lax${secure}`;
}
