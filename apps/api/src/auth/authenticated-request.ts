import type { Principal } from '@kpi/auth';
import type { FastifyRequest } from 'fastify';

/** A request once the authentication guard has let it through: it knows its caller. */
export interface AuthenticatedRequest extends FastifyRequest {
  principal?: Principal;
}
