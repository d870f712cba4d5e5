import {
  capabilityEntryId,
  CHILDRENS_HOMES_INDICATORS,
  judgeIndicator,
  periodsBetween,
  streamIds,
  ZERO_COUNTER,
  type AppealOutcome,
  type AppealTarget,
  type CapabilityAppealRecorded,
  type CapabilityEvent,
  type CapabilityMissCounted,
  type CapabilityRecordWithdrawn,
  type CapabilityReviewRecorded,
  type CapabilityStage,
  type CapabilityStageEntered,
  type CapabilityStageResolved,
  type CapabilityStageWithdrawn,
  type CauseRef,
  type CounterRef,
  type CounterSummary,
  type MonthEvidence,
  type Period,
  type ResolutionReason,
  type ReviewOutcome,
  type SupervisionRecorded,
} from '@kpi/domain';
import { recorded } from './read-models.fixtures';
import type { Recorded } from './recorded-domain-event';

/*
 * For the capability read models' specs only: builders that emit the escalation process's
 * events as capability.events.ts shapes them (STYLE.md 8), one counter by default — mgr-a's
 * EDU at home-02 — and a counter stream that records them with increasing stream versions.
 * `fromProcessModel` turns what the real process wrote (in memory) into recorded events.
 */

export const EDU_OF_A: CounterRef = {
  managerId: 'mgr-a',
  serviceId: 'home-02',
  regionId: 'north-wales',
  indicatorCode: 'EDU',
};

const EDU = CHILDRENS_HOMES_INDICATORS.find((i) => i.code === 'EDU')!;
const p = (period: string): Period => period as Period;

/** The entry id the process gives one stage of a run of mgr-a's EDU misses. */
export const eduEntry = (runStart: string, stage: CapabilityStage): string =>
  capabilityEntryId(EDU_OF_A, p(runStart), stage);

/** EDU as judged for a month (70: missed, red; 95: met), read from that month's submission. */
export function monthEvidence(period: string, value = 70): MonthEvidence {
  return {
    period: p(period),
    judgement: judgeIndicator(EDU, value),
    frameworkId: 'childrens-homes',
    frameworkVersion: 1,
    source: {
      streamId: `acme:monthly-return:home-02:${period}`,
      eventId: `return-${period}`,
      globalPosition: 1,
      type: 'MonthlyReturnSubmitted',
      amendmentNumber: 0,
      by: 'user:rm-gwen',
      at: `${period}-28T10:00:00.000Z`,
    },
  };
}

export function causeRef(description = 'The return of home-02 was submitted'): CauseRef {
  return {
    eventId: 'cause-1',
    globalPosition: 1,
    streamId: 'acme:monthly-return:home-02:2026-01',
    type: 'MonthlyReturnSubmitted',
    by: 'user:rm-gwen',
    at: '2026-02-12T10:00:00.000Z',
    description,
  };
}

/** The summary of a counter with an open stage (reset to 0 with `ZERO_COUNTER`). */
export function openCounter(
  runStart: string,
  stage: CapabilityStage,
  misses: number,
  lastMissed: string,
  more: Partial<CounterSummary> = {},
): CounterSummary {
  return {
    consecutiveMisses: misses,
    stage,
    runStart: p(runStart),
    openEntryId: eduEntry(runStart, stage),
    lastMissedPeriod: p(lastMissed),
    reviewDue: stage === 3,
    lastReviewOn: null,
    nextReviewDue: null,
    ...more,
  };
}

/** The stage that `misses` consecutive misses open (the process's stage table). */
const stageOf = (misses: number): CapabilityStage => (misses <= 2 ? 1 : misses === 3 ? 2 : 3);

/** The stage entered when `period` was missed, `misses` months into a run starting `runStart`. */
export function stageEntered({
  runStart = '2026-01',
  period,
  misses,
  counter,
}: {
  runStart?: string;
  period: string;
  misses: number;
  counter?: CounterSummary;
}): CapabilityStageEntered {
  const stage = stageOf(misses);
  return {
    type: 'CapabilityStageEntered',
    data: {
      ...EDU_OF_A,
      entryId: eduEntry(runStart, stage),
      recordKey: `entered:${runStart}:s${stage}:${period}`,
      runStart: p(runStart),
      stage,
      cause: causeRef(`The ${period} return of home-02 was submitted`),
      counter: counter ?? openCounter(runStart, stage, misses, period),
      period: p(period),
      consecutiveMisses: misses,
      months: periodsBetween(p(runStart), p(period)).map((m) => monthEvidence(m)),
      previousEntryId: stage === 1 ? null : eduEntry(runStart, (stage - 1) as CapabilityStage),
      reviewDue: stage === 3,
    },
  };
}

/** A further miss that keeps the run at its stage. */
export function missCounted({
  runStart = '2026-01',
  period,
  misses,
  counter,
}: {
  runStart?: string;
  period: string;
  misses: number;
  counter?: CounterSummary;
}): CapabilityMissCounted {
  const stage = stageOf(misses);
  return {
    type: 'CapabilityMissCounted',
    data: {
      ...EDU_OF_A,
      entryId: eduEntry(runStart, stage),
      recordKey: `miss:${runStart}:s${stage}:${period}`,
      runStart: p(runStart),
      stage,
      cause: causeRef(`The ${period} return of home-02 was submitted`),
      counter: counter ?? openCounter(runStart, stage, misses, period),
      period: p(period),
      consecutiveMisses: misses,
      month: monthEvidence(period),
    },
  };
}

/** The open stage ended by a month (met by default) or by a review that closed the case. */
export function stageResolved({
  runStart = '2026-01',
  stage,
  reason = 'met',
  period = null,
  review = null,
}: {
  runStart?: string;
  stage: CapabilityStage;
  reason?: ResolutionReason;
  period?: string | null;
  review?: CapabilityStageResolved['data']['review'];
}): CapabilityStageResolved {
  return {
    type: 'CapabilityStageResolved',
    data: {
      ...EDU_OF_A,
      entryId: eduEntry(runStart, stage),
      recordKey: `resolved:${runStart}:s${stage}:${reason}:${period ?? review?.reviewId}`,
      runStart: p(runStart),
      stage,
      cause: causeRef(
        review
          ? `The Stage 3 review held by hr-sam on ${review.heldOn} concluded ${review.outcome}`
          : `The ${period} return of home-02 was submitted`,
      ),
      counter: ZERO_COUNTER,
      reason,
      period: period === null ? null : p(period),
      month: reason === 'met' && period !== null ? monthEvidence(period, 95) : null,
      nextManagerId: null,
      review,
    },
  };
}

/** The withdrawal of an entered stage, as a recount writes it. */
export function stageWithdrawn(
  entered: CapabilityStageEntered,
  {
    counter = ZERO_COUNTER,
    explanation = 'The return was amended. Counted again in month order: the counter is at 0.',
  }: { counter?: CounterSummary; explanation?: string } = {},
): CapabilityStageWithdrawn {
  const { managerId, serviceId, regionId, indicatorCode, entryId, recordKey, runStart, stage } =
    entered.data;
  return {
    type: 'CapabilityStageWithdrawn',
    data: {
      managerId,
      serviceId,
      regionId,
      indicatorCode,
      entryId,
      recordKey,
      runStart,
      stage,
      cause: causeRef('The return of home-02 was amended'),
      counter,
      period: entered.data.period,
      previousEntryId: entered.data.previousEntryId,
      explanation,
    },
  };
}

/** The withdrawal of a counted miss or a resolution. */
export function recordWithdrawn(
  record: CapabilityMissCounted | CapabilityStageResolved,
  {
    counter = ZERO_COUNTER,
    explanation = 'The return was amended. Counted again in month order: the counter is at 0.',
  }: { counter?: CounterSummary; explanation?: string } = {},
): CapabilityRecordWithdrawn {
  const { managerId, serviceId, regionId, indicatorCode, entryId, recordKey, runStart, stage } =
    record.data;
  return {
    type: 'CapabilityRecordWithdrawn',
    data: {
      managerId,
      serviceId,
      regionId,
      indicatorCode,
      entryId,
      recordKey,
      runStart,
      stage,
      cause: causeRef('The return of home-02 was amended'),
      counter,
      record: record.type,
      period: record.data.period,
      explanation,
    },
  };
}

/** A Stage 3 review of the run starting 2026-01 (by default: held by hr-sam, standards met). */
export function reviewRecorded({
  runStart = '2026-01',
  reviewId = 'review-1',
  heldOn = '2026-05-28',
  outcome = 'standards-met',
  furtherReviewMonths = null,
  nextReviewDue = null,
  counter,
}: {
  runStart?: string;
  reviewId?: string;
  heldOn?: string;
  outcome?: ReviewOutcome;
  furtherReviewMonths?: number | null;
  nextReviewDue?: string | null;
  counter?: CounterSummary;
} = {}): CapabilityReviewRecorded {
  return {
    type: 'CapabilityReviewRecorded',
    data: {
      ...EDU_OF_A,
      reviewId,
      entryId: eduEntry(runStart, 3),
      runStart: p(runStart),
      heldBy: 'hr-sam',
      heldByRole: 'hr',
      heldOn,
      companionOffered: true,
      outcome,
      furtherReviewMonths,
      nextReviewDue,
      reasons: 'Education attendance plan agreed with the virtual school',
      recordedBy: 'user:hr-sam',
      recordedAt: `${heldOn}T16:00:00.000Z`,
      counter: counter ?? {
        ...openCounter(runStart, 3, 4, '2026-04'),
        reviewDue: false,
        lastReviewOn: heldOn,
        nextReviewDue,
      },
    },
  };
}

/** An appeal heard by director-ola (by default: against Stage 3 of the run starting 2026-01). */
export function appealRecorded({
  runStart = '2026-01',
  against = { kind: 'stage', entryId: eduEntry(runStart, 3), stage: 3 },
  heardOn = '2026-06-10',
  outcome = 'not-upheld',
}: {
  runStart?: string;
  against?: AppealTarget;
  heardOn?: string;
  outcome?: AppealOutcome;
} = {}): CapabilityAppealRecorded {
  return {
    type: 'CapabilityAppealRecorded',
    data: {
      ...EDU_OF_A,
      appealId: 'appeal-1',
      against,
      runStart: p(runStart),
      heardBy: 'director-ola',
      heardOn,
      outcome,
      reasons: 'The four months were missed and support was offered',
      recordedBy: 'user:hr-sam',
      recordedAt: `${dayAfter(heardOn)}T09:00:00.000Z`,
    },
  };
}

const dayAfter = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export const supervisionRecorded = (
  data: Partial<SupervisionRecorded['data']> = {},
): SupervisionRecorded => ({
  type: 'SupervisionRecorded',
  data: {
    supervisionId: 'sup-1',
    superviseeId: 'mgr-a',
    supervisorId: 'rm-gwen',
    date: '2026-02-03',
    kind: 'one-to-one',
    capabilityItems: [{ serviceId: 'home-02', indicatorCode: 'EDU' }],
    recordedBy: 'user:rm-gwen',
    recordedAt: '2026-02-03T15:00:00.000Z',
    ...data,
  },
});

/**
 * One counter's stream: each event recorded gets the next stream version and, unless `at`
 * says otherwise, a recording time a day after the one before (from 2026-02-01).
 */
export function counterStream(tenantId = 'acme') {
  const streamId = streamIds.capability(tenantId, 'mgr-a', 'home-02', 'EDU');
  let version = 0;
  let clock = Date.parse('2026-02-01T09:00:00Z');
  return {
    streamId,
    record<Event extends CapabilityEvent>(
      event: Event,
      { at }: { at?: string } = {},
    ): Recorded<Event> {
      version += 1;
      clock = at === undefined ? clock + 86_400_000 : Date.parse(at);
      return recorded(event, {
        tenantId,
        streamId,
        streamVersion: version,
        recordedAt: new Date(clock).toISOString(),
      });
    },
  };
}

/** What the real escalation process wrote on its counters' streams, as the log hands it over. */
/** What this needs of `CapabilityProcessModel` (libs/testing, which only specs may import). */
interface ProcessLog {
  tenantId: string;
  log: readonly {
    eventId: string;
    streamId: string;
    recordedAt: string;
    type: string;
    data: unknown;
  }[];
}

export function fromProcessModel(model: ProcessLog): Recorded<CapabilityEvent>[] {
  const versions = new Map<string, number>();
  return model.log.flatMap((logged) => {
    if (!logged.streamId.includes(':capability:')) return [];
    const streamVersion = (versions.get(logged.streamId) ?? 0) + 1;
    versions.set(logged.streamId, streamVersion);
    return [
      recorded({ type: logged.type, data: logged.data } as CapabilityEvent, {
        tenantId: model.tenantId,
        eventId: logged.eventId,
        streamId: logged.streamId,
        streamVersion,
        recordedAt: logged.recordedAt,
      }),
    ];
  });
}
