import type { Queryable } from '@kpi/projections';
import { secretHash } from './secrets';

/**
 * Where an invitation link stands: `open` (a password can be set with it), `unknown` (no such
 * token), `used` (the password was set with it), `expired` (past its 7 days, unused) or
 * `withdrawn` (an admin removed the access it was for).
 */
export type InvitationStanding = 'open' | 'unknown' | 'used' | 'expired' | 'withdrawn';

/**
 * Where the invitation of `invitationToken` stands at `now`: what the invitation page shows
 * before it asks for a password. Accepting it checks the same again (the decider decides).
 */
export async function invitationStanding(
  db: Queryable,
  invitationToken: string,
  now: Date,
): Promise<InvitationStanding> {
  const { rows } = await db.query<{ expires_at: Date; used_at: Date | null; status: string }>(
    `SELECT i.expires_at, i.used_at, a.status FROM invitations i
       JOIN accounts a USING (tenant_id, account_id)
      WHERE i.token_hash = $1`,
    [secretHash(invitationToken)],
  );
  const invitation = rows[0];
  if (!invitation) return 'unknown';
  if (invitation.status === 'removed') return 'withdrawn';
  if (invitation.used_at !== null || invitation.status === 'active') return 'used';
  if (now.getTime() > invitation.expires_at.getTime()) return 'expired';
  return 'open';
}
