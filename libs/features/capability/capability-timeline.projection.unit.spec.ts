import type { CapabilityEvent } from '@kpi/domain';
import { CapabilityProcessModel, capabilityFacts as f } from '@kpi/testing';
import { timelineEntryOf } from './capability-timeline-entry';
import {
  capabilityTimelineKey,
  capabilityTimelineKeysOf,
  evolveCapabilityTimelineEntry,
  type CapabilityTimelineRow,
} from './capability-timeline.projection';
import {
  appealRecorded,
  counterStream,
  eduEntry,
  fromProcessModel,
  missCounted,
  recordWithdrawn,
  stageEntered,
  stageWithdrawn,
} from '@kpi/testing/fixtures';
import type { Recorded } from '@kpi/projections';

const S1 = eduEntry('2026-01', 1);
const S2 = eduEntry('2026-01', 2);
const keyOf = (entryId: string, tenantId = 'acme') =>
  capabilityTimelineKey(tenantId, 'mgr-a', entryId);

/** Every timeline row after the events, delivered in the order given (as the writer would). */
function rowsAfter(events: Recorded<CapabilityEvent>[]): Map<string, CapabilityTimelineRow> {
  const rows = new Map<string, CapabilityTimelineRow>();
  for (const event of events) {
    for (const key of capabilityTimelineKeysOf(event)) {
      const row = evolveCapabilityTimelineEntry(rows.get(key) ?? null, event, key);
      if (row) rows.set(key, row);
      else rows.delete(key);
    }
  }
  return rows;
}

function threeMisses() {
  const stream = counterStream();
  const s1 = stream.record(stageEntered({ period: '2026-01', misses: 1 }), {
    at: '2026-02-12T10:00:01.000Z',
  });
  const miss = stream.record(missCounted({ period: '2026-02', misses: 2 }), {
    at: '2026-03-12T10:00:01.000Z',
  });
  const s2 = stream.record(stageEntered({ period: '2026-03', misses: 3 }), {
    at: '2026-04-12T10:00:01.000Z',
  });
  return { stream, s1, miss, s2, events: [s1, miss, s2] as Recorded<CapabilityEvent>[] };
}

describe('the capability timeline read model', () => {
  describe('which entries an event touches', () => {
    it('a stage entered: its own, and the stage it escalates from', () => {
      const { s1, s2 } = threeMisses();
      expect(capabilityTimelineKeysOf(s1)).toEqual(['["acme","mgr-a","home-02.EDU.2026-01.s1"]']);
      expect(capabilityTimelineKeysOf(s2)).toEqual([keyOf(S2), keyOf(S1)]);
    });

    it('a miss, resolution or record withdrawn: its own', () => {
      const { stream, miss } = threeMisses();
      expect(capabilityTimelineKeysOf(miss)).toEqual([keyOf(S1)]);
      expect(capabilityTimelineKeysOf(stream.record(recordWithdrawn(miss)))).toEqual([keyOf(S1)]);
    });

    it('a stage withdrawn: its own, and the stage whose escalation it undoes', () => {
      const { stream, s1, s2 } = threeMisses();
      expect(capabilityTimelineKeysOf(stream.record(stageWithdrawn(s2)))).toEqual([
        keyOf(S2),
        keyOf(S1),
      ]);
      expect(capabilityTimelineKeysOf(stream.record(stageWithdrawn(s1)))).toEqual([keyOf(S1)]);
    });

    it('an appeal: the entry it is against', () => {
      const { stream } = threeMisses();
      const appeal = stream.record(
        appealRecorded({ against: { kind: 'stage', entryId: S2, stage: 2 } }),
      );
      expect(capabilityTimelineKeysOf(appeal)).toEqual([keyOf(S2)]);
    });

    it('tenant first, so two tenants never share a row', () => {
      const other = counterStream('bryn-melyn').record(
        stageEntered({ period: '2026-01', misses: 1 }),
      );
      expect(capabilityTimelineKeysOf(other)).toEqual([keyOf(S1, 'bryn-melyn')]);
    });
  });

  describe('when a stage is entered', () => {
    it('makes a row of the entry with its events as stored, less the counter summary', () => {
      const { s1 } = threeMisses();
      expect(rowsAfter([s1]).get(keyOf(S1))).toEqual({
        tenantId: 'acme',
        managerId: 'mgr-a',
        entryId: S1,
        serviceId: 'home-02',
        regionId: 'north-wales',
        indicatorCode: 'EDU',
        runStart: '2026-01',
        stage: 1,
        period: '2026-01',
        firstRecordedAt: '2026-02-12T10:00:01.000Z',
        status: 'open',
        events: [
          {
            type: 'CapabilityStageEntered',
            eventId: s1.eventId,
            streamId: 'acme:capability:mgr-a:home-02:EDU',
            streamVersion: 1,
            globalPosition: s1.globalPosition,
            recordedAt: '2026-02-12T10:00:01.000Z',
            data: (({ counter: _counter, ...rest }) => rest)(s1.data),
          },
        ],
      });
    });

    it("keeps on the earlier stage's row an escalation without the later stage's months", () => {
      const rows = rowsAfter(threeMisses().events);
      const escalation = rows
        .get(keyOf(S1))!
        .events.find((e) => e.type === 'CapabilityStageEntered' && e.data.entryId !== S1)!;
      expect(escalation.data).not.toHaveProperty('months');
      expect(escalation.data).toMatchObject({ previousEntryId: S1, stage: 2 });
    });
  });

  describe('when a review or an appeal is recorded', () => {
    it('keeps it on the row without its reasons, sealed or as text: they can name people', () => {
      const { stream, events } = threeMisses();
      const sealed = {
        ref: '6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e',
        subjectId: 'mgr-a',
        ciphertextHash: 'ab'.repeat(32),
      };
      const appeal = appealRecorded({ against: { kind: 'stage', entryId: S2, stage: 2 } });
      const sealedAppeal = stream.record({ ...appeal, data: { ...appeal.data, reasons: sealed } });
      const plainAppeal = stream.record(appeal);
      const row = rowsAfter([...events, sealedAppeal, plainAppeal]).get(keyOf(S2))!;
      const kept = row.events.filter((e) => e.type === 'CapabilityAppealRecorded');
      expect(kept.map((e) => e.eventId)).toEqual([sealedAppeal.eventId, plainAppeal.eventId]);
      for (const event of kept) {
        expect(event.data).not.toHaveProperty('reasons');
        expect(event.data).toMatchObject({ heardBy: 'director-ola', outcome: 'not-upheld' });
      }
      expect(JSON.stringify(row)).not.toMatch(/support was offered|6f1c2d3e/);
    });
  });

  describe('when the next stage is entered', () => {
    it('marks the earlier stage escalated, and opens the new one', () => {
      const rows = rowsAfter(threeMisses().events);
      expect(rows.get(keyOf(S1))).toMatchObject({ status: 'escalated', stage: 1 });
      expect(rows.get(keyOf(S2))).toMatchObject({
        status: 'open',
        stage: 2,
        period: '2026-03',
        firstRecordedAt: '2026-04-12T10:00:01.000Z',
      });
      expect(rows.get(keyOf(S1))?.events.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    });
  });

  describe('when a stage is withdrawn and entered again', () => {
    it('shows it open, first recorded when it was first entered', () => {
      const { stream, s2, events } = threeMisses();
      const withdrawn = stream.record(stageWithdrawn(s2));
      const withdrawnRows = rowsAfter([...events, withdrawn]);
      expect(withdrawnRows.get(keyOf(S2))?.status).toBe('withdrawn');
      expect(withdrawnRows.get(keyOf(S1))?.status).toBe('open');

      const again = stream.record(stageEntered({ period: '2026-03', misses: 3 }));
      const rows = rowsAfter([...events, withdrawn, again]);
      expect(rows.get(keyOf(S2))).toMatchObject({
        status: 'open',
        firstRecordedAt: '2026-04-12T10:00:01.000Z',
      });
      expect(rows.get(keyOf(S1))?.status).toBe('escalated');
    });
  });

  describe('when the same event is delivered twice', () => {
    it('changes nothing, on its own entry or on the entry it escalates', () => {
      const { s1, miss, s2 } = threeMisses();
      const rows = rowsAfter([s1, miss, s2]);
      for (const key of [keyOf(S1), keyOf(S2)]) {
        const once = rows.get(key)!;
        expect(evolveCapabilityTimelineEntry(once, s2, key)).toEqual(once);
      }
      const stage1 = rows.get(keyOf(S1))!;
      expect(evolveCapabilityTimelineEntry(stage1, miss, keyOf(S1))).toEqual(stage1);
    });
  });

  describe('when two transactions reach the log out of stream order', () => {
    it('keeps the events in stream order, and the status they give', () => {
      const { s1, miss, s2 } = threeMisses();
      const rows = rowsAfter([s1, s2, miss]);
      expect(rows.get(keyOf(S1))?.events.map((e) => e.eventId)).toEqual([
        s1.eventId,
        miss.eventId,
        s2.eventId,
      ]);
      expect(rows.get(keyOf(S1))).toEqual(rowsAfter([s1, miss, s2]).get(keyOf(S1)));
    });
  });

  describe('when an event names an entry that was never entered', () => {
    it('makes no row, and does not fail', () => {
      const { s1, miss, s2 } = threeMisses();
      // Malformed: Stage 2 names a Stage 1 the log never showed entered.
      expect(rowsAfter([s2]).has(keyOf(S1))).toBe(false);
      expect(rowsAfter([miss]).size).toBe(0);
      expect(evolveCapabilityTimelineEntry(null, s1, keyOf(S2))).toBeNull();
    });
  });

  describe('from what the real escalation process writes', () => {
    it('shows Stage 2 withdrawn and Stage 1 resolved when March is amended to met', () => {
      const model = new CapabilityProcessModel('acme');
      for (const [streamId, event] of [
        f.framework('acme'),
        f.home('acme'),
        f.appointed('acme', 'mgr-a', '2026-01-01'),
        f.returned('acme', '2026-01', { EDU: 70 }),
        f.returned('acme', '2026-02', { EDU: 70 }),
        f.returned('acme', '2026-03', { EDU: 70 }),
        f.amended('acme', '2026-03', { EDU: 95 }),
      ] as const)
        model.record(streamId, event);

      const rows = rowsAfter(fromProcessModel(model));
      expect([...rows.values()].map((r) => [r.entryId, r.status])).toEqual([
        [S1, 'resolved'],
        [S2, 'withdrawn'],
      ]);
      const stage1 = rows.get(keyOf(S1))!;
      expect(timelineEntryOf(S1, stage1.events)).toMatchObject({
        consecutiveMisses: 2,
        escalatedTo: null,
        resolution: { reason: 'met', period: '2026-03' },
      });
      expect(timelineEntryOf(S1, stage1.events)?.history.map((h) => h.summary)).toEqual([
        'Stage 1 entered for 2026-01 (1 month missed)',
        '2026-02 missed again (2 in a row)',
        `Escalated to Stage 2 (${S2})`,
        'Escalation withdrawn',
        'Resolved: EDU met in 2026-03',
      ]);
    });
  });
});
