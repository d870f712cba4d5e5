import type { RecordedEvent } from '@kpi/event-store';
import type { Recorded } from '@kpi/projections';
import type { RegulatorGrantEvent } from './regulator-grant.events';
import { evolveRegulatorGrant, type RegulatorGrantRow } from './regulator-grants.projection';

const event = (type: RegulatorGrantEvent['type'], data: object) =>
  ({ type, data, metadata: { tenantId: 'acme' } }) as unknown as Recorded<RegulatorGrantEvent> &
    RecordedEvent;
const fold = (events: ReturnType<typeof event>[]) =>
  events.reduce<RegulatorGrantRow | null>((row, e) => evolveRegulatorGrant(row, e), null);

const granted = event('RegulatorAccessGranted', {
  grantId: 'grant-1',
  regulatorTenantId: 'ofsted',
  scope: { kind: 'services', serviceIds: ['ty-gwyn'] },
  period: { from: '2025-04-01', to: '2026-03-31' },
  expiresAt: '2026-07-31T17:00:00.000Z',
  reference: 'SC123456/2026-05',
  grantedBy: 'acc-admin',
  grantedAt: '2026-05-11T08:30:00.000Z',
});
const revoked = event('RegulatorAccessRevoked', {
  grantId: 'grant-1',
  revokedBy: 'acc-admin-2',
  revokedAt: '2026-05-20T10:00:00.000Z',
});

describe('the regulator grants read model', () => {
  it('keeps a grant with its grantor, stream and terms', () => {
    expect(fold([granted])).toEqual({
      grantId: 'grant-1',
      streamId: 'acme:regulator-grant:grant-1',
      grantorTenantId: 'acme',
      regulatorTenantId: 'ofsted',
      scope: { kind: 'services', serviceIds: ['ty-gwyn'] },
      period: { from: '2025-04-01', to: '2026-03-31' },
      expiresAt: '2026-07-31T17:00:00.000Z',
      reference: 'SC123456/2026-05',
      grantedBy: 'acc-admin',
      grantedAt: '2026-05-11T08:30:00.000Z',
      revokedAt: null,
      revokedBy: null,
    });
  });

  it('marks it revoked, by whom and when', () => {
    expect(fold([granted, revoked])).toMatchObject({
      revokedAt: '2026-05-20T10:00:00.000Z',
      revokedBy: 'acc-admin-2',
    });
  });

  it('changes nothing when the same event is delivered twice', () => {
    expect(fold([granted, granted, revoked, revoked])).toEqual(fold([granted, revoked]));
  });
});
