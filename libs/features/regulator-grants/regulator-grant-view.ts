import { grantStatusAt, type GrantStatus } from './regulator-grant.decider';
import type { GrantPeriod, GrantScope } from './regulator-grant.events';

/** A grant as the organisation that made it and the regulator it was made to see it. */
export interface RegulatorGrantView {
  grantId: string;
  /** The grant's own stream: its granting and revocation, with their hashes. */
  streamId: string;
  grantorTenantId: string;
  regulatorTenantId: string;
  scope: GrantScope;
  period: GrantPeriod;
  expiresAt: string;
  reference: string;
  grantedBy: string;
  grantedAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  /** At the time of asking. */
  status: GrantStatus;
}

/** What a grant's stream holds, whichever way it was read (folded, or from the read model). */
export type RecordedGrant = Omit<RegulatorGrantView, 'status'>;

export function grantViewAt(grant: RecordedGrant, now: Date): RegulatorGrantView {
  return { ...grant, status: grantStatusAt(grant, now) };
}
