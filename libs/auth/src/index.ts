export {
  mintToken,
  verifyToken,
  type MintTokenOptions,
  type VerifyTokenOptions,
  type TokenAudience,
} from './token';
export {
  AuthenticationError,
  InvalidTokenError,
  ExpiredTokenError,
  InvalidClaimsError,
} from './errors';
export type { Principal } from './principal';
