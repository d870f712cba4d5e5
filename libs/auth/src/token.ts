import { createSecretKey, type KeyObject } from 'node:crypto';
import { isRole, PLATFORM_TENANT_ID, type Role } from '@kpi/domain';
import jwt from 'jsonwebtoken';
import { ExpiredTokenError, InvalidClaimsError, InvalidTokenError } from './errors';
import type { Principal } from './principal';

/**
 * The only algorithm accepted. HS256 with a shared secret is enough while the API is the only
 * verifier; refusing every other `alg` (including `none`) closes algorithm-confusion attacks.
 */
const ALGORITHM = 'HS256';

/** The same limit the event store puts on metadata text, so a tenant id always fits there. */
const MAX_CLAIM_LENGTH = 200;

export interface TokenAudience {
  secret: string;
  issuer: string;
  audience: string;
}

export interface MintTokenOptions extends TokenAudience {
  /** The user id (`sub`). */
  subject: string;
  tenantId: string;
  roles: readonly Role[];
  /**
   * The manager id capability records know the caller by (`manager` claim): a home manager
   * with it may read their own capability record. Optional.
   */
  managerId?: string;
  expiresInSeconds: number;
  /** When the token is issued; defaults to now. */
  now?: Date;
}

export interface VerifyTokenOptions extends TokenAudience {
  /** The time to check `exp` against; defaults to now. */
  now?: Date;
}

/** Signs a token that {@link verifyToken} accepts: `sub`, `iss`, `aud`, `iat`, `exp`, `tenant`, `roles`. */
export function mintToken(options: MintTokenOptions): string {
  const { secret, issuer, audience, subject, tenantId, roles, expiresInSeconds } = options;
  const problem =
    claimTextProblem('subject', subject) ??
    tenantProblem('tenantId', tenantId) ??
    rolesProblem(roles) ??
    (options.managerId === undefined
      ? undefined
      : claimTextProblem('managerId', options.managerId)) ??
    (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1
      ? `expiresInSeconds must be a whole number from 1; got ${String(expiresInSeconds)}`
      : undefined);
  if (problem) throw new InvalidClaimsError(problem);

  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return jwt.sign(
    {
      tenant: tenantId,
      roles: [...new Set(roles)],
      ...(options.managerId === undefined ? {} : { manager: options.managerId }),
      iat: issuedAt,
      exp: issuedAt + expiresInSeconds,
    },
    secret,
    { algorithm: ALGORITHM, issuer, audience, subject },
  );
}

/**
 * Checks a token's signature, algorithm, issuer, audience and expiry, then its claims.
 * @throws ExpiredTokenError when `exp` has passed
 * @throws InvalidTokenError for anything else that is wrong with it
 */
/**
 * The secret as a KeyObject, made once per secret. Given a string, jsonwebtoken builds a key
 * (trying it as a public key first) on every call: 15 % of the API's CPU under load.
 */
const secretKeys = new Map<string, KeyObject>();
function secretKeyFor(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    secretKeys.set(secret, key);
  }
  return key;
}

export function verifyToken(token: string, options: VerifyTokenOptions): Principal {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, secretKeyFor(options.secret), {
      algorithms: [ALGORITHM],
      issuer: options.issuer,
      audience: options.audience,
      clockTimestamp: Math.floor((options.now ?? new Date()).getTime() / 1000),
    });
  } catch (error) {
    throw translateVerifyError(error);
  }
  if (typeof payload === 'string') throw new InvalidTokenError('The token payload is not JSON');

  // jsonwebtoken only checks `exp` when it is present; a token that never expires is refused.
  if (typeof payload.exp !== 'number') throw new InvalidTokenError('The token has no exp claim');
  const problem =
    claimTextProblem('sub', payload.sub) ??
    tenantProblem('tenant', payload.tenant) ??
    rolesProblem(payload.roles) ??
    (payload.manager === undefined ? undefined : claimTextProblem('manager', payload.manager));
  if (problem) throw new InvalidTokenError(`The token's ${problem}`);

  return {
    userId: payload.sub as string,
    tenantId: payload.tenant as string,
    roles: [...new Set(payload.roles as Role[])],
    ...(payload.manager === undefined ? {} : { managerId: payload.manager as string }),
  };
}

/** The tenant: text, and never the platform's own (its data is changed by operators only). */
function tenantProblem(name: string, value: unknown): string | undefined {
  return (
    claimTextProblem(name, value) ??
    (value === PLATFORM_TENANT_ID
      ? `${name} claim may not be "${PLATFORM_TENANT_ID}": it is reserved for the platform's own data`
      : undefined)
  );
}

function claimTextProblem(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return `${name} claim is missing`;
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_CLAIM_LENGTH) {
    return `${name} claim must be text of 1 to ${MAX_CLAIM_LENGTH} characters`;
  }
  return undefined;
}

function rolesProblem(roles: unknown): string | undefined {
  if (roles === undefined || roles === null) return 'roles claim is missing';
  if (!Array.isArray(roles)) return 'roles claim must be a list of role names';
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0) {
    return `roles claim holds unknown roles: ${unknown.map((r) => JSON.stringify(r)).join(', ')}`;
  }
  return undefined;
}

function translateVerifyError(error: unknown): Error {
  if (error instanceof jwt.TokenExpiredError) return new ExpiredTokenError(error.expiredAt);
  if (error instanceof jwt.JsonWebTokenError) {
    // jsonwebtoken's messages ("invalid signature", "jwt audience invalid. expected: x") say
    // what is wrong without revealing the secret; they help a client fix its token.
    return new InvalidTokenError(`The token is not valid: ${error.message}`);
  }
  return error instanceof Error ? error : new InvalidTokenError('The token could not be checked');
}
