import type { CapabilityEvent } from '@kpi/domain';
import { timelineEntryOf, type TimelineEventRecord } from './capability-timeline-entry';
import {
  capabilityTimelineKey,
  capabilityTimelineKeysOf,
  timelineEventRecordOf,
} from './capability-timeline.projection';
import {
  appealRecorded,
  counterStream,
  eduEntry,
  missCounted,
  monthEvidence,
  recordWithdrawn,
  reviewRecorded,
  stageEntered,
  stageResolved,
  stageWithdrawn,
} from '@kpi/testing/fixtures';
import type { Recorded } from '@kpi/projections';

const S1 = eduEntry('2026-01', 1);
const S2 = eduEntry('2026-01', 2);
const S3 = eduEntry('2026-01', 3);

/** The events the timeline routes to an entry's row, as the row keeps them. */
const rowEvents = (entryId: string, events: Recorded<CapabilityEvent>[]): TimelineEventRecord[] =>
  events
    .filter((e) =>
      capabilityTimelineKeysOf(e).includes(capabilityTimelineKey('acme', 'mgr-a', entryId)),
    )
    .map(timelineEventRecordOf);

/** Where an event is on the log, as the entry's records carry it. */
const stampOf = (event: Recorded<CapabilityEvent>) => ({
  eventId: event.eventId,
  globalPosition: event.globalPosition,
  recordedAt: event.recordedAt.toISOString(),
});

const entryAfter = (entryId: string, events: Recorded<CapabilityEvent>[], asOf?: Date) =>
  timelineEntryOf(entryId, rowEvents(entryId, events), asOf);

/** Misses in January, February and March: Stage 1, its second month, then Stage 2. */
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

describe('a capability timeline entry', () => {
  describe('when a stage is entered', () => {
    const stream = counterStream();
    const entered = stream.record(stageEntered({ period: '2026-01', misses: 1 }), {
      at: '2026-02-12T10:00:01.000Z',
    });

    it('is open, with who, where, which KPI and the month that entered it', () => {
      expect(entryAfter(S1, [entered])).toMatchObject({
        entryId: S1,
        managerId: 'mgr-a',
        serviceId: 'home-02',
        regionId: 'north-wales',
        indicatorCode: 'EDU',
        runStart: '2026-01',
        stage: 1,
        period: '2026-01',
        status: 'open',
        withdrawn: false,
        months: [monthEvidence('2026-01')],
        consecutiveMisses: 1,
        escalatedTo: null,
        resolution: null,
        reviewDue: false,
        reviews: [],
        appeals: [],
      });
    });

    it('keeps the entering record with where it is on the log', () => {
      expect(entryAfter(S1, [entered])?.entered).toEqual({
        ...entered.data,
        eventId: entered.eventId,
        globalPosition: entered.globalPosition,
        recordedAt: '2026-02-12T10:00:01.000Z',
      });
    });

    it('says so in its history, with the cause', () => {
      expect(entryAfter(S1, [entered])?.history).toEqual([
        {
          type: 'CapabilityStageEntered',
          eventId: entered.eventId,
          globalPosition: entered.globalPosition,
          streamVersion: 1,
          recordedAt: '2026-02-12T10:00:01.000Z',
          summary: 'Stage 1 entered for 2026-01 (1 month missed)',
          cause: entered.data.cause,
        },
      ]);
    });

    it('is not an entry of anything before it was entered', () => {
      expect(entryAfter(S1, [])).toBeNull();
      expect(entryAfter(S2, [entered])).toBeNull();
    });
  });

  describe('when a further miss is counted', () => {
    it('adds the month and the count', () => {
      const { s1, miss } = threeMisses();
      const entry = entryAfter(S1, [s1, miss]);
      expect(entry).toMatchObject({
        status: 'open',
        months: [monthEvidence('2026-01'), monthEvidence('2026-02')],
        consecutiveMisses: 2,
      });
      expect(entry?.history.map((h) => h.summary)).toEqual([
        'Stage 1 entered for 2026-01 (1 month missed)',
        '2026-02 missed again (2 in a row)',
      ]);
    });
  });

  describe('when the next stage is entered', () => {
    it('shows the earlier stage escalated to it', () => {
      const { events } = threeMisses();
      const stage1 = entryAfter(S1, events);
      expect(stage1).toMatchObject({ status: 'escalated', escalatedTo: S2 });
      expect(stage1?.history.at(-1)?.summary).toBe(`Escalated to Stage 2 (${S2})`);
    });

    it('opens the new stage with every month of the run so far', () => {
      const { events } = threeMisses();
      expect(entryAfter(S2, events)).toMatchObject({
        stage: 2,
        period: '2026-03',
        status: 'open',
        months: ['2026-01', '2026-02', '2026-03'].map((m) => monthEvidence(m)),
        consecutiveMisses: 3,
        history: [
          expect.objectContaining({
            summary: 'Stage 2 entered for 2026-03 (3 consecutive months missed)',
          }),
        ],
      });
    });
  });

  describe('when the KPI is met', () => {
    it('is resolved, with the met month and what caused it', () => {
      const { stream, events } = threeMisses();
      const resolved = stream.record(stageResolved({ stage: 2, period: '2026-04' }));
      const entry = entryAfter(S2, [...events, resolved]);
      expect(entry).toMatchObject({
        status: 'resolved',
        resolution: {
          reason: 'met',
          period: '2026-04',
          month: monthEvidence('2026-04', 95),
          nextManagerId: null,
          review: null,
          cause: resolved.data.cause,
          eventId: resolved.eventId,
          globalPosition: resolved.globalPosition,
          recordedAt: resolved.recordedAt.toISOString(),
        },
      });
      expect(entry?.history.at(-1)?.summary).toBe('Resolved: EDU met in 2026-04');
    });

    it('is open again when the resolution is withdrawn', () => {
      const { stream, events } = threeMisses();
      const resolved = stream.record(stageResolved({ stage: 2, period: '2026-04' }));
      const withdrawn = stream.record(recordWithdrawn(resolved));
      const entry = entryAfter(S2, [...events, resolved, withdrawn]);
      expect(entry).toMatchObject({ status: 'open', resolution: null });
      expect(entry?.history.at(-1)?.summary).toMatch(/^Resolution withdrawn: The return was/);
    });
  });

  describe('when a counted miss is withdrawn', () => {
    it('drops its month and count', () => {
      const { stream, s1, miss } = threeMisses();
      const withdrawn = stream.record(recordWithdrawn(miss));
      const entry = entryAfter(S1, [s1, miss, withdrawn]);
      expect(entry).toMatchObject({ months: [monthEvidence('2026-01')], consecutiveMisses: 1 });
      expect(entry?.history.at(-1)?.summary).toMatch(/^Miss of 2026-02 withdrawn: /);
    });
  });

  describe('when a Stage 2 is withdrawn', () => {
    /** Three misses, then an amendment of March withdraws Stage 2 on 25 April. */
    function withdrawnStage2() {
      const { stream, s2, events } = threeMisses();
      const withdrawn = stream.record(
        stageWithdrawn(s2, {
          explanation: 'The 2026-03 return was amended. Counted again in month order: 2026-03 met.',
        }),
        { at: '2026-04-25T10:00:01.000Z' },
      );
      return { stream, s2, all: [...events, withdrawn] };
    }

    it('shows it withdrawn, with the explanation', () => {
      const { s2, all } = withdrawnStage2();
      const entry = entryAfter(S2, all);
      expect(entry).toMatchObject({ status: 'withdrawn', withdrawn: true, stage: 2 });
      expect(entry?.entered.eventId).toBe(s2.eventId);
      expect(entry?.history.at(-1)?.summary).toBe(
        'Withdrawn: The 2026-03 return was amended. Counted again in month order: 2026-03 met.',
      );
    });

    it('brings Stage 1 back from escalated', () => {
      const entry = entryAfter(S1, withdrawnStage2().all);
      expect(entry).toMatchObject({ status: 'open', escalatedTo: null });
      expect(entry?.history.at(-1)?.summary).toBe('Escalation withdrawn');
    });

    it('as of a moment before the withdrawal, shows the stages as they stood then', () => {
      const { all } = withdrawnStage2();
      const before = new Date('2026-04-20T00:00:00Z');
      expect(entryAfter(S2, all, before)).toMatchObject({ status: 'open', withdrawn: false });
      expect(entryAfter(S1, all, before)).toMatchObject({ status: 'escalated', escalatedTo: S2 });
      expect(entryAfter(S2, all, before)?.history).toHaveLength(1);
    });

    it('as of a moment before it was entered, shows no Stage 2 and Stage 1 open', () => {
      const { all } = withdrawnStage2();
      const before = new Date('2026-04-01T00:00:00Z');
      expect(entryAfter(S2, all, before)).toBeNull();
      expect(entryAfter(S1, all, before)).toMatchObject({ status: 'open', consecutiveMisses: 2 });
    });

    it('counts an event recorded exactly at the moment asked about', () => {
      const { all } = withdrawnStage2();
      expect(entryAfter(S2, all, new Date('2026-04-25T10:00:01.000Z'))?.status).toBe('withdrawn');
    });

    it('is open again when a recount enters it again', () => {
      const { stream, all } = withdrawnStage2();
      const again = stream.record(stageEntered({ period: '2026-03', misses: 3 }));
      expect(entryAfter(S2, [...all, again])).toMatchObject({
        status: 'open',
        withdrawn: false,
        entered: expect.objectContaining({ eventId: again.eventId }),
      });
      expect(entryAfter(S1, [...all, again])).toMatchObject({ status: 'escalated' });
    });

    it('takes the later entering record when it is entered again for another month', () => {
      const { stream, all } = withdrawnStage2();
      const later = stream.record(stageEntered({ period: '2026-04', misses: 3 }));
      expect(entryAfter(S2, [...all, later])).toMatchObject({ status: 'open', period: '2026-04' });
    });
  });

  describe('at Stage 3', () => {
    function stage3() {
      const { stream, events } = threeMisses();
      const s3 = stream.record(stageEntered({ period: '2026-04', misses: 4 }), {
        at: '2026-05-12T10:00:01.000Z',
      });
      return { stream, events: [...events, s3] };
    }

    it('makes a review due until one is held', () => {
      const { stream, events } = stage3();
      expect(entryAfter(S3, events)).toMatchObject({ status: 'open', reviewDue: true });
      const review = stream.record(
        reviewRecorded({
          outcome: 'mitigating-circumstances',
          furtherReviewMonths: 3,
          nextReviewDue: '2026-08-28',
        }),
      );
      const entry = entryAfter(S3, [...events, review]);
      expect(entry).toMatchObject({
        status: 'open',
        reviewDue: false,
        reviews: [{ ...review.data, ...stampOf(review) }],
      });
      expect(entry?.history.at(-1)?.summary).toBe(
        'Review held by hr-sam on 2026-05-28: mitigating-circumstances (next review due 2026-08-28)',
      );
      expect(entry?.history.at(-1)?.cause).toBeNull();
    });

    it('attaches the review that closed the case, the resolution it made and the appeals', () => {
      const { stream, events } = stage3();
      const review = stream.record(reviewRecorded());
      const resolved = stream.record(
        stageResolved({
          stage: 3,
          reason: 'review-closed',
          review: { reviewId: 'review-1', outcome: 'standards-met', heldOn: '2026-05-28' },
        }),
      );
      const againstStage = stream.record(appealRecorded());
      const againstReview = stream.record(
        appealRecorded({
          against: { kind: 'review', reviewId: 'review-1', entryId: S3, outcome: 'standards-met' },
          outcome: 'upheld',
        }),
      );
      const entry = entryAfter(S3, [...events, review, resolved, againstStage, againstReview]);
      expect(entry).toMatchObject({
        status: 'resolved',
        reviewDue: false,
        resolution: { reason: 'review-closed', period: null, review: resolved.data.review },
        reviews: [expect.objectContaining({ reviewId: 'review-1' })],
        appeals: [
          { ...againstStage.data, ...stampOf(againstStage) },
          { ...againstReview.data, ...stampOf(againstReview) },
        ],
      });
      expect(entry?.history.slice(-4).map((h) => h.summary)).toEqual([
        'Review held by hr-sam on 2026-05-28: standards-met',
        'Resolved: the review held on 2026-05-28 closed the case (standards-met)',
        'Appeal heard by director-ola on 2026-06-10: not-upheld',
        'Appeal against the review outcome (standards-met) heard by director-ola on 2026-06-10: upheld',
      ]);
    });
  });

  describe('when the same event is in the list twice', () => {
    it('counts it once', () => {
      const { s1, miss } = threeMisses();
      expect(entryAfter(S1, [s1, miss, miss, s1])).toEqual(entryAfter(S1, [s1, miss]));
    });
  });

  describe('when the events come in another order', () => {
    it('folds them in stream order', () => {
      const { events } = threeMisses();
      expect(entryAfter(S1, [...events].reverse())).toEqual(entryAfter(S1, events));
    });
  });
});
