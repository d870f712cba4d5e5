import type { RecordedEvent } from '@kpi/event-store';
import { evolveTenantActivity } from './tenant-activity.projection';

const recorded = (type: string, at: string): RecordedEvent =>
  ({
    type,
    recordedAt: new Date(at),
    metadata: {
      tenantId: 'acme',
      actor: 'user:1',
      correlationId: null,
      causationId: null,
      commandId: null,
    },
  }) as RecordedEvent;

describe('tenant activity', () => {
  it('starts a row at the first event of a type', () => {
    expect(evolveTenantActivity(null, recorded('ReturnSubmitted', '2026-10-20T09:00:00Z'))).toEqual(
      {
        tenantId: 'acme',
        eventType: 'ReturnSubmitted',
        eventCount: 1,
        firstRecordedAt: '2026-10-20T09:00:00.000Z',
        lastRecordedAt: '2026-10-20T09:00:00.000Z',
      },
    );
  });

  it('counts later events and keeps the latest recorded time', () => {
    const first = evolveTenantActivity(null, recorded('ReturnSubmitted', '2026-10-20T09:00:00Z'));
    const second = evolveTenantActivity(first, recorded('ReturnSubmitted', '2026-10-21T09:00:00Z'));
    const earlier = evolveTenantActivity(
      second,
      recorded('ReturnSubmitted', '2026-10-19T09:00:00Z'),
    );
    expect(earlier).toMatchObject({
      eventCount: 3,
      firstRecordedAt: '2026-10-20T09:00:00.000Z',
      lastRecordedAt: '2026-10-21T09:00:00.000Z',
    });
  });
});
