/** Base of every error libs/auth raises on purpose: the token cannot be trusted as it is. */
export abstract class AuthenticationError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The token is not one this service issued, or it does not say who the caller is: bad
 * signature or algorithm, wrong issuer or audience, malformed, or a claim missing or invalid.
 */
export class InvalidTokenError extends AuthenticationError {
  readonly code = 'invalid-token';
}

/** The token was valid once, but its `exp` has passed. */
export class ExpiredTokenError extends AuthenticationError {
  readonly code = 'expired-token';
  constructor(readonly expiredAt: Date) {
    super(`The token expired at ${expiredAt.toISOString()}`);
  }
}

/** {@link mintToken} was asked to sign claims that {@link verifyToken} would refuse. */
export class InvalidClaimsError extends Error {
  readonly code = 'invalid-claims';
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
