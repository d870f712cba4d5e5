import type { Principal } from '@kpi/auth';
import type { IncomingMessage } from 'node:http';

/** A request once the authentication guard has let it through: it knows its caller. */
export interface AuthenticatedRequest extends IncomingMessage {
  principal?: Principal;
}
