import { ZERO_COUNTER, type CapabilityEvent } from '@kpi/domain';
import { CapabilityProcessModel, capabilityFacts as f } from '@kpi/testing';
import {
  CAPABILITY_COUNTER_EVENT_TYPES,
  capabilityCounterKey,
  capabilityCounterKeyOf,
  capabilityCountersProjection,
  evolveCapabilityCounter,
  type CapabilityCounterEvent,
  type CapabilityCounterRow,
} from './capability-counters.projection';
import {
  counterStream,
  fromProcessModel,
  missCounted,
  reviewRecorded,
  stageEntered,
  stageResolved,
} from '@kpi/testing/fixtures';
import { recordedOneOf, type Recorded } from '@kpi/projections';

/** The counter row after the recorded events, delivered in the order given. */
const counterAfter = (events: Recorded<CapabilityCounterEvent>[]): CapabilityCounterRow | null =>
  events.reduce<CapabilityCounterRow | null>(
    (row, event) => evolveCapabilityCounter(row, event),
    null,
  );

const KEY = '["acme","mgr-a","home-02","EDU"]';

describe('the capability counters read model', () => {
  describe('when a stage is entered', () => {
    it('shows the counter as the event summarises it, keyed tenant first', () => {
      const stream = counterStream();
      const entered = stream.record(stageEntered({ period: '2026-01', misses: 1 }), {
        at: '2026-02-12T10:00:01.000Z',
      });
      expect(capabilityCounterKeyOf(entered)).toBe(KEY);
      expect(capabilityCounterKey('acme', 'mgr-a', 'home-02', 'EDU')).toBe(KEY);
      expect(counterAfter([entered])).toEqual({
        tenantId: 'acme',
        managerId: 'mgr-a',
        serviceId: 'home-02',
        regionId: 'north-wales',
        indicatorCode: 'EDU',
        consecutiveMisses: 1,
        stage: 1,
        runStart: '2026-01',
        openEntryId: 'home-02.EDU.2026-01.s1',
        lastMissedPeriod: '2026-01',
        reviewDue: false,
        lastReviewOn: null,
        nextReviewDue: null,
        streamVersion: 1,
        updatedAt: '2026-02-12T10:00:01.000Z',
      });
    });
  });

  describe('as the misses go on', () => {
    it('follows the latest summary up to Stage 3, review due', () => {
      const stream = counterStream();
      const row = counterAfter([
        stream.record(stageEntered({ period: '2026-01', misses: 1 })),
        stream.record(missCounted({ period: '2026-02', misses: 2 })),
        stream.record(stageEntered({ period: '2026-03', misses: 3 })),
        stream.record(stageEntered({ period: '2026-04', misses: 4 })),
      ]);
      expect(row).toMatchObject({
        consecutiveMisses: 4,
        stage: 3,
        openEntryId: 'home-02.EDU.2026-01.s3',
        lastMissedPeriod: '2026-04',
        reviewDue: true,
        streamVersion: 4,
      });
    });

    it('takes the review from the review recorded', () => {
      const stream = counterStream();
      const row = counterAfter([
        stream.record(stageEntered({ period: '2026-04', misses: 4 })),
        stream.record(
          reviewRecorded({
            outcome: 'mitigating-circumstances',
            furtherReviewMonths: 3,
            nextReviewDue: '2026-08-28',
          }),
        ),
      ]);
      expect(row).toMatchObject({
        stage: 3,
        reviewDue: false,
        lastReviewOn: '2026-05-28',
        nextReviewDue: '2026-08-28',
      });
    });
  });

  describe('when the open stage is resolved', () => {
    it('keeps the row, at 0', () => {
      const stream = counterStream();
      const row = counterAfter([
        stream.record(stageEntered({ period: '2026-01', misses: 1 })),
        stream.record(stageResolved({ stage: 1, period: '2026-02' })),
      ]);
      expect(row).toMatchObject({
        ...ZERO_COUNTER,
        managerId: 'mgr-a',
        streamVersion: 2,
      });
    });
  });

  describe('when two transactions reach the log out of stream order', () => {
    it('keeps the summary of the higher stream version', () => {
      const stream = counterStream();
      const first = stream.record(stageEntered({ period: '2026-01', misses: 1 }));
      const second = stream.record(missCounted({ period: '2026-02', misses: 2 }));
      expect(counterAfter([second, first])).toEqual(counterAfter([first, second]));
      expect(counterAfter([second, first])).toMatchObject({
        consecutiveMisses: 2,
        streamVersion: 2,
      });
    });
  });

  describe('when the same event is delivered twice', () => {
    it('changes nothing', () => {
      const stream = counterStream();
      const entered = stream.record(stageEntered({ period: '2026-01', misses: 1 }));
      const missed = stream.record(missCounted({ period: '2026-02', misses: 2 }));
      const once = counterAfter([entered, missed]);
      expect(evolveCapabilityCounter(once, missed)).toEqual(once);
      expect(evolveCapabilityCounter(once, entered)).toEqual(once);
    });
  });

  describe('appeals', () => {
    it('carry no summary, so the read model does not read them', () => {
      expect(capabilityCountersProjection.eventTypes).toEqual([
        'CapabilityStageEntered',
        'CapabilityMissCounted',
        'CapabilityStageResolved',
        'CapabilityStageWithdrawn',
        'CapabilityRecordWithdrawn',
        'CapabilityReviewRecorded',
      ]);
    });
  });

  describe('two tenants with the same ids', () => {
    it('never share a row', () => {
      const other = counterStream('bryn-melyn').record(
        stageEntered({ period: '2026-01', misses: 1 }),
      );
      expect(capabilityCounterKeyOf(other)).toBe('["bryn-melyn","mgr-a","home-02","EDU"]');
      expect(counterAfter([other])).toMatchObject({ tenantId: 'bryn-melyn' });
    });
  });

  describe('from what the real escalation process writes', () => {
    it('ends at the summary of the stream’s last event: back at 0 when a miss is amended away', () => {
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

      const rows = new Map<string, CapabilityCounterRow | null>();
      for (const event of fromProcessModel(model)) {
        const counterEvent = recordedOneOf<CapabilityCounterEvent>(
          event,
          CAPABILITY_COUNTER_EVENT_TYPES,
        );
        if (!counterEvent) continue;
        const key = capabilityCounterKeyOf(counterEvent);
        rows.set(key, evolveCapabilityCounter(rows.get(key) ?? null, counterEvent));
      }
      const edu = model.counterEvents({
        managerId: 'mgr-a',
        serviceId: 'home-02',
        indicatorCode: 'EDU',
      });
      const last = edu[edu.length - 1] as Exclude<
        CapabilityEvent,
        { type: 'CapabilityAppealRecorded' }
      >;
      expect(edu.map((e) => e.type)).toEqual([
        'CapabilityStageEntered',
        'CapabilityMissCounted',
        'CapabilityStageEntered',
        'CapabilityStageWithdrawn',
        'CapabilityStageResolved',
      ]);
      expect(rows.get(KEY)).toMatchObject({ ...last.data.counter, streamVersion: 5 });
      expect(rows.get(KEY)).toMatchObject({ stage: 0, consecutiveMisses: 0, openEntryId: null });
    });
  });
});
