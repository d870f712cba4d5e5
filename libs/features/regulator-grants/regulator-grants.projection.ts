import { streamIds } from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';
import type { RegulatorGrantEvent } from './regulator-grant.events';
import type { RecordedGrant } from './regulator-grant-view';

/**
 * Every grant, for the grantor's list, the regulator's list and finding a grant's grantor by
 * its id. Whether a grant is usable is never judged from here: a read under a grant folds the
 * grant's own stream, so a revocation counts from the moment it is recorded.
 */
export type RegulatorGrantRow = RecordedGrant;

export const REGULATOR_GRANT_EVENT_TYPES = [
  'RegulatorAccessGranted',
  'RegulatorAccessRevoked',
] as const satisfies readonly RegulatorGrantEvent['type'][];

export function evolveRegulatorGrant(
  row: RegulatorGrantRow | null,
  event: Recorded<RegulatorGrantEvent>,
): RegulatorGrantRow | null {
  switch (event.type) {
    case 'RegulatorAccessGranted':
      return (
        row ?? {
          ...event.data,
          streamId: streamIds.regulatorGrant(event.metadata.tenantId, event.data.grantId),
          grantorTenantId: event.metadata.tenantId,
          revokedAt: null,
          revokedBy: null,
        }
      );
    case 'RegulatorAccessRevoked':
      return row && { ...row, revokedAt: event.data.revokedAt, revokedBy: event.data.revokedBy };
    default: {
      const _unexpected: never = event;
      return row;
    }
  }
}

export const regulatorGrantsProjection = keyedProjection<RegulatorGrantRow>({
  name: 'regulator-grants',
  version: 1,
  table: 'rm_regulator_grants',
  eventTypes: REGULATOR_GRANT_EVENT_TYPES,
  columns: [
    { name: 'grantor_tenant_id', type: 'text', field: 'grantorTenantId' },
    { name: 'grant_id', type: 'text', field: 'grantId' },
    { name: 'stream_id', type: 'text', field: 'streamId' },
    { name: 'regulator_tenant_id', type: 'text', field: 'regulatorTenantId' },
    { name: 'scope', type: 'jsonb', field: 'scope' },
    { name: 'period', type: 'jsonb', field: 'period' },
    { name: 'expires_at', type: 'timestamptz', field: 'expiresAt' },
    { name: 'reference', type: 'text', field: 'reference' },
    { name: 'granted_by', type: 'text', field: 'grantedBy' },
    { name: 'granted_at', type: 'timestamptz', field: 'grantedAt' },
    { name: 'revoked_at', type: 'timestamptz', field: 'revokedAt', nullable: true },
    { name: 'revoked_by', type: 'text', field: 'revokedBy', nullable: true },
  ],
  indexes: [
    ['grantor_tenant_id', 'granted_at'],
    ['regulator_tenant_id', 'expires_at'],
    ['grant_id'],
  ],
  keyOf: (event) => {
    const grantEvent = recordedOneOf<RegulatorGrantEvent>(event, REGULATOR_GRANT_EVENT_TYPES);
    return grantEvent && JSON.stringify([grantEvent.metadata.tenantId, grantEvent.data.grantId]);
  },
  evolve: (row, event) => {
    const grantEvent = recordedOneOf<RegulatorGrantEvent>(event, REGULATOR_GRANT_EVENT_TYPES);
    return grantEvent ? evolveRegulatorGrant(row, grantEvent) : row;
  },
});
