import type { Recorded } from '@kpi/projections';
import {
  evolveProviderNotification,
  type ProviderNotificationRow,
} from './provider-notices.projection';

const event = (type: string, data: object) =>
  ({ type, data, metadata: { tenantId: 'southwark' } }) as unknown as Recorded<never>;
const fold = (events: ReturnType<typeof event>[]) =>
  events.reduce<ProviderNotificationRow | null>(
    (row, e) => evolveProviderNotification(row, e),
    null,
  );

const logged = event('ProviderNotificationLogged', {
  notificationId: 'n-1',
  frameworkId: 'cah',
  packageId: 'pkg-1',
  providerId: 'bright-care',
  kind: 'missed-call',
  occurredAt: '2026-04-02T08:30:00.000Z',
  notifiedAt: '2026-04-08T09:00:00.000Z',
  dueBy: '2026-04-07T23:00:00.000Z',
  late: true,
  subjectId: 's-1',
  serviceUser: { ref: 'r-1', subjectId: 's-1', ciphertextHash: 'h' },
  details: { ref: 'r-2', subjectId: 's-1', ciphertextHash: 'h' },
});
const acknowledged = event('ProviderNotificationAcknowledged', {
  notificationId: 'n-1',
  acknowledgedBy: 'user:placements',
  acknowledgedAt: '2026-04-08T10:00:00.000Z',
});
const notice = event('PackageHandBackNoticeGiven', {
  packageId: 'pkg-1',
  frameworkId: 'cah',
  providerId: 'bright-care',
  noticeGivenAt: '2026-04-02T14:00:00.000Z',
  handBackAt: '2026-04-09T14:00:00.000Z',
  subjectId: 's-2',
  reason: { ref: 'r-3', subjectId: 's-2', ciphertextHash: 'h' },
});

describe('the provider notifications read model', () => {
  it('keeps the kind, the times and whether it was late and acknowledged, never a text or ref', () => {
    const row = fold([logged, acknowledged]);
    expect(row).toEqual({
      tenantId: 'southwark',
      record: 'notification',
      id: 'n-1',
      frameworkId: 'cah',
      packageId: 'pkg-1',
      providerId: 'bright-care',
      kind: 'missed-call',
      occurredAt: '2026-04-02T08:30:00.000Z',
      notifiedAt: '2026-04-08T09:00:00.000Z',
      dueBy: '2026-04-07T23:00:00.000Z',
      late: true,
      acknowledgedAt: '2026-04-08T10:00:00.000Z',
      handBackAt: null,
    });
    expect(JSON.stringify(row)).not.toMatch(/r-1|r-2|s-1/);
  });

  it('keeps a hand-back notice as a row of its own', () => {
    expect(fold([notice])).toMatchObject({
      record: 'hand-back',
      id: 'pkg-1',
      kind: null,
      notifiedAt: '2026-04-02T14:00:00.000Z',
      handBackAt: '2026-04-09T14:00:00.000Z',
    });
  });

  it('changes nothing when an event is delivered twice', () => {
    expect(fold([logged, logged, acknowledged, acknowledged])).toEqual(
      fold([logged, acknowledged]),
    );
    expect(fold([notice, notice])).toEqual(fold([notice]));
    const later = event('ProviderNotificationAcknowledged', {
      notificationId: 'n-1',
      acknowledgedAt: '2026-04-09T10:00:00.000Z',
    });
    expect(fold([logged, acknowledged, later])).toEqual(fold([logged, acknowledged]));
  });
});
