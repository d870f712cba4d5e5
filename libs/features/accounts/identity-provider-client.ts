import { InvalidCommandError } from '@kpi/domain';
import * as oidc from 'openid-client';

/** How this deployment talks to identity providers. */
export interface IdentityProviderClientOptions {
  /**
   * Whether an issuer on this machine may be reached over plain http:// (127.0.0.1,
   * localhost, [::1]): to try things out and in tests, never in production.
   */
  allowLoopbackHttp: boolean;
  /**
   * The master key (PERSONAL_DATA_KEY, decoded) client secrets are sealed under at rest in
   * `identity_providers`: a dump of the database alone does not give them away.
   */
  secretsKey: Buffer;
}

/** The client of one organisation at its identity provider. */
export interface IdentityProviderClientSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** The identity provider could not be reached, or its discovery document is not its issuer's. */
export class IdentityProviderUnreachableError extends Error {
  constructor(
    readonly issuer: string,
    cause: unknown,
  ) {
    super(`${issuer} could not be discovered: ${cause instanceof Error ? cause.message : cause}`, {
      cause,
    });
    this.name = new.target.name;
  }
}

const DISCOVERY_TIMEOUT_SECONDS = 10;
const DISCOVERY_KEPT_MS = 60 * 60 * 1000;

/** Discovered providers, by issuer and client (their keys are fetched again when they change). */
const discovered = new Map<string, { at: number; configuration: Promise<oidc.Configuration> }>();

/**
 * The provider's OpenID configuration for this client, from its discovery document (kept an
 * hour in this process): the client authenticates with client_secret_basic, the default every
 * provider supports. An http:// issuer is refused unless `allowLoopbackHttp` (it is on this
 * machine: the settings' check refuses any other).
 */
export function discoverIdentityProvider(
  settings: IdentityProviderClientSettings,
  options: IdentityProviderClientOptions,
  now = Date.now(),
): Promise<oidc.Configuration> {
  const issuer = new URL(settings.issuer);
  if (issuer.protocol !== 'https:' && !options.allowLoopbackHttp) {
    return Promise.reject(InvalidCommandError.of('issuer', 'must start with https://'));
  }
  const key = JSON.stringify([settings.issuer, settings.clientId, settings.clientSecret]);
  const kept = discovered.get(key);
  if (kept && now - kept.at < DISCOVERY_KEPT_MS) return kept.configuration;
  const configuration = oidc
    .discovery(
      issuer,
      settings.clientId,
      undefined,
      oidc.ClientSecretBasic(settings.clientSecret),
      {
        timeout: DISCOVERY_TIMEOUT_SECONDS,
        ...(issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
      },
    )
    .catch((error: unknown) => {
      discovered.delete(key);
      throw new IdentityProviderUnreachableError(settings.issuer, error);
    });
  discovered.set(key, { at: now, configuration });
  return configuration;
}
