import { supervisionRecorded, recorded } from '@kpi/testing/fixtures';
import { evolveSupervision, supervisionKeyOf } from './supervisions.projection';

describe('the supervisions read model', () => {
  describe('when a supervision is recorded', () => {
    it('makes a row of the session, the counters it discussed and its event', () => {
      const event = recorded(supervisionRecorded(), { tenantId: 'acme', eventId: 'event-1' });
      expect(evolveSupervision(null, event)).toEqual({
        tenantId: 'acme',
        supervisionId: 'sup-1',
        superviseeId: 'mgr-a',
        supervisorId: 'rm-gwen',
        date: '2026-02-03',
        kind: 'one-to-one',
        capabilityItems: [{ serviceId: 'home-02', indicatorCode: 'EDU' }],
        recordedBy: 'user:rm-gwen',
        recordedAt: '2026-02-03T15:00:00.000Z',
        eventId: 'event-1',
        globalPosition: event.globalPosition,
      });
    });

    it('keeps a session that discussed no capability item', () => {
      const event = recorded(supervisionRecorded({ kind: 'group', capabilityItems: [] }));
      expect(evolveSupervision(null, event)).toMatchObject({ kind: 'group', capabilityItems: [] });
    });

    it('keys the row tenant first, so two tenants never share a row', () => {
      expect(supervisionKeyOf(recorded(supervisionRecorded(), { tenantId: 'acme' }))).toBe(
        '["acme","sup-1"]',
      );
      expect(supervisionKeyOf(recorded(supervisionRecorded(), { tenantId: 'bryn-melyn' }))).toBe(
        '["bryn-melyn","sup-1"]',
      );
    });
  });

  describe('when the same event is delivered twice', () => {
    it('changes nothing', () => {
      const event = recorded(supervisionRecorded());
      const once = evolveSupervision(null, event);
      expect(evolveSupervision(once, event)).toEqual(once);
    });
  });

  describe('when another supervisee’s stream reuses a session id', () => {
    it('keeps the session recorded first', () => {
      const first = evolveSupervision(null, recorded(supervisionRecorded()));
      const reused = recorded(supervisionRecorded({ superviseeId: 'mgr-b' }));
      expect(evolveSupervision(first, reused)).toEqual(first);
    });
  });
});
