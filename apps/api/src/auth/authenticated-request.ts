import type { Principal } from '@kpi/auth';
import type { FastifyRequest } from 'fastify';

/** A request once the authentication guard has let it through: it knows its caller. */
export interface AuthenticatedRequest extends FastifyRequest {
  principal?: Principal;
  /** How the caller was recognised: set to `session-cookie` for a browser's session. */
  authenticatedBy?: 'session-cookie';
}
