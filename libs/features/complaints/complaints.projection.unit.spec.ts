import type { RecordedEvent } from '@kpi/event-store';
import { evolveComplaint, type ComplaintRow } from './complaints.projection';
import type { Recorded } from '@kpi/projections';

const event = (type: string, data: object) =>
  ({ type, data, metadata: { tenantId: 'acme' } }) as unknown as Recorded<never> & RecordedEvent;
const fold = (events: ReturnType<typeof event>[]) =>
  events.reduce<ComplaintRow | null>((row, e) => evolveComplaint(row, e as never), null);

describe('the complaints read model', () => {
  it('keeps the dates and the finding, never the summary, the response text or the complainant', () => {
    const row = fold([
      event('ComplaintLogged', {
        complaintId: 'c-1',
        serviceId: 'home-01',
        receivedOn: '2026-04-02',
        category: 'communication',
        summary: 'Ann Jones was not called back',
        complainant: { relationship: 'parent' },
        acknowledgementDueOn: '2026-04-07',
        responseDueOn: '2026-04-27',
      }),
      event('ComplaintAcknowledged', { complaintId: 'c-1', acknowledgedOn: '2026-04-03' }),
      event('ComplaintResponded', {
        complaintId: 'c-1',
        respondedOn: '2026-04-24',
        summary: 'We called Ann back',
        escalationRoute: 'The Ombudsman',
        upheld: 'upheld',
      }),
    ]);
    expect(row).toEqual({
      tenantId: 'acme',
      kind: 'complaint',
      id: 'c-1',
      serviceId: 'home-01',
      receivedOn: '2026-04-02',
      category: 'communication',
      acknowledgementDueOn: '2026-04-07',
      acknowledgedOn: '2026-04-03',
      responseDueOn: '2026-04-27',
      respondedOn: '2026-04-24',
      finding: 'upheld',
    });
    expect(JSON.stringify(row)).not.toMatch(/Ann|Ombudsman|parent/);
  });

  it('counts a compliment as a row of its own kind', () => {
    expect(
      fold([
        event('ComplimentLogged', {
          complimentId: 'k-1',
          serviceId: 'home-01',
          receivedOn: '2026-04-09',
          summary: 'Thank you',
        }),
      ]),
    ).toMatchObject({ kind: 'compliment', id: 'k-1', category: null, responseDueOn: null });
  });
});
