import { managerOn } from '../organisation/service.decider';
import { lastDayOfMonth } from '../shared/calendar-date';
import { nextPeriod, periodsBetween, type Period } from '../shared/period';
import type { CapabilityServiceFacts, MonthFacts } from './capability-facts';
import { stageFor, type CapabilityStage } from './capability-stage.policy';
import {
  CLOSING_REVIEW_OUTCOMES,
  type CapabilityMissCounted,
  type CapabilityReviewRecorded,
  type CapabilityStageEntered,
  type CapabilityStageResolved,
  type CounterRef,
  type CounterSummary,
  type MonthEvidence,
  type ResolutionReason,
} from './capability.events';

/** A record as the procedure derives it, before the process stamps it with a cause. */
type Derived<Event extends { type: string; data: object }> = {
  type: Event['type'];
  data: Omit<Event['data'], 'cause' | 'counter'>;
};

export type LedgerRecord =
  | Derived<CapabilityStageEntered>
  | Derived<CapabilityMissCounted>
  | Derived<CapabilityStageResolved>;

/** How one month stood for the counter when it was counted. */
export type MonthStatus =
  | 'met'
  | 'missed'
  | 'not-applicable'
  /** Data-only, derived without a target, or activity (in range or flagged): never a miss. */
  | 'not-judged'
  | 'not-reported'
  | 'pending'
  | 'another-manager'
  | 'no-manager';

/** Everything the procedure concludes about one counter from the facts, in month order. */
export interface CounterLedger {
  records: LedgerRecord[];
  summary: CounterSummary;
  /** Each month considered, oldest first, up to the first pending one (for explanations). */
  months: { period: Period; status: MonthStatus }[];
  /** The run still open after the last month counted (null: none). */
  run: OpenRun | null;
}

export interface CounterLedgerInput {
  counter: CounterRef;
  service: CapabilityServiceFacts;
  /** The first month the home's framework judges (null: not published yet). */
  frameworkStart: Period | null;
  months: ReadonlyMap<Period, MonthFacts>;
  /** The Stage 3 reviews recorded on the counter's stream. */
  reviews: readonly CapabilityReviewRecorded['data'][];
  /**
   * The home's months with their manager, as {@link monthSlots} gives them: pass them when
   * counting several counters of one home, so they are worked out once.
   */
  slots?: readonly MonthSlot[];
}

/** A month counted at a home: who managed it on its last day, and its return (if any). */
export interface MonthSlot {
  period: Period;
  lastDay: string;
  managerId: string | null;
  month: MonthFacts | undefined;
}

/** The months a home's counters are counted over, each with its manager and return. */
export function monthSlots(
  service: CapabilityServiceFacts,
  frameworkStart: Period | null,
  months: ReadonlyMap<Period, MonthFacts>,
): MonthSlot[] {
  return countedMonths(service, frameworkStart, months).map((period) => {
    const lastDay = lastDayOfMonth(period);
    return {
      period,
      lastDay,
      managerId: managerOn(service.appointments, lastDay),
      month: months.get(period),
    };
  });
}

export const ZERO_COUNTER: CounterSummary = Object.freeze({
  consecutiveMisses: 0,
  stage: 0,
  runStart: null,
  openEntryId: null,
  lastMissedPeriod: null,
  reviewDue: false,
  lastReviewOn: null,
  nextReviewDue: null,
});

/** The timeline entry of one stage of one run: `<home>.<KPI>.<first month of the run>.s<stage>`. */
export const capabilityEntryId = (
  counter: Pick<CounterRef, 'serviceId' | 'indicatorCode'>,
  runStart: Period,
  stage: CapabilityStage,
): string => `${counter.serviceId}.${counter.indicatorCode}.${runStart}.s${stage}`;

/** The months a home's returns are counted over: from its first judged month to its latest return. */
export function countedMonths(
  service: CapabilityServiceFacts,
  frameworkStart: Period | null,
  months: ReadonlyMap<Period, MonthFacts>,
): Period[] {
  if (months.size === 0) return [];
  const start =
    frameworkStart !== null && frameworkStart > service.openedIn
      ? frameworkStart
      : service.openedIn;
  const latest = [...months.keys()].reduce((a, b) => (a > b ? a : b));
  return periodsBetween(start, latest);
}

/** A run of misses still open after the months counted so far. */
export interface OpenRun {
  runStart: Period;
  misses: number;
  stage: CapabilityStage;
  months: MonthEvidence[];
  lastMissed: Period;
}

/**
 * The capability procedure for one (manager, home, KPI), computed from the facts in month
 * order (docs/rules/capability.md; decisions in docs/decisions/0011):
 *
 * - each month is attributed to the manager appointed on its last day; a month of another
 *   manager (or of nobody) ends this manager's run;
 * - a month whose return has not arrived is pending: it and every later month wait;
 * - a miss extends the run (1, 2 → Stage 1; 3 → Stage 2; 4 and more → Stage 3, review due);
 *   a met month resets it and resolves the open stage; a not-applicable month breaks it too;
 *   a month in which the KPI is not reported (not due) is skipped;
 * - a Stage 3 review that closes the case ends the run once every month that ended before the
 *   review has been counted; months ending after it start afresh.
 *
 * The result depends only on the facts, never on the order they arrived in.
 */
export function deriveCounterLedger(input: CounterLedgerInput): CounterLedger {
  const slots = input.slots ?? monthSlots(input.service, input.frameworkStart, input.months);
  const count = startCount(input.counter, input.reviews, null);
  for (const slot of slots) if (!countMonth(count, slot)) break;
  return finishCount(count);
}

/**
 * The same count carried on from where an earlier one left a counter without reviews (its
 * open run after the months it counted) over the months that follow, every one of them with
 * its return. Gives the records of those months only, and where the counter then stands:
 * for a counter with no reviews, `deriveCounterLedger` over all the months gives the earlier
 * records followed by exactly these (capability-next-month.ts relies on it; its property test
 * checks it).
 */
export function extendCounterLedger(
  counter: CounterRef,
  run: OpenRun | null,
  slots: readonly MonthSlot[],
): CounterLedger {
  const count = startCount(counter, [], run);
  for (const slot of slots) if (!countMonth(count, slot)) break;
  return finishCount(count);
}

/** A count in progress: the records so far and the run the next month extends or ends. */
interface Count {
  counter: CounterRef;
  reviews: readonly CapabilityReviewRecorded['data'][];
  closingReviews: Map<Period, CapabilityReviewRecorded['data']>;
  records: LedgerRecord[];
  considered: CounterLedger['months'];
  run: OpenRun | null;
  lastConsidered: Period | null;
}

function startCount(
  counter: CounterRef,
  reviews: readonly CapabilityReviewRecorded['data'][],
  run: OpenRun | null,
): Count {
  return {
    counter,
    reviews,
    closingReviews: closingReviewByRun(reviews),
    records: [],
    considered: [],
    run: run && { ...run, months: [...run.months] },
    lastConsidered: null,
  };
}

const entryOf = (counter: CounterRef, open: OpenRun) =>
  capabilityEntryId(counter, open.runStart, open.stage);

function resolve(
  count: Count,
  open: OpenRun,
  reason: ResolutionReason,
  details: Pick<CapabilityStageResolved['data'], 'period' | 'month' | 'nextManagerId' | 'review'>,
): void {
  count.records.push({
    type: 'CapabilityStageResolved',
    data: {
      ...count.counter,
      entryId: entryOf(count.counter, open),
      recordKey: `resolved:${open.runStart}:s${open.stage}:${reason}:${details.period ?? details.review?.reviewId}`,
      runStart: open.runStart,
      stage: open.stage,
      reason,
      ...details,
    },
  });
}

function closeByReview(count: Count, open: OpenRun, review: CapabilityReviewRecorded['data']) {
  resolve(count, open, 'review-closed', {
    period: null,
    month: null,
    nextManagerId: null,
    review: { reviewId: review.reviewId, outcome: review.outcome, heldOn: review.heldOn },
  });
}

/** Counts one month. Returns false at a pending month: it and every later month wait. */
function countMonth(count: Count, slot: MonthSlot): boolean {
  const { counter } = count;
  const { period } = slot;
  const review = count.run?.stage === 3 ? count.closingReviews.get(count.run.runStart) : undefined;
  if (count.run && review && review.heldOn <= slot.lastDay) {
    closeByReview(count, count.run, review);
    count.run = null;
  }
  const manager = slot.managerId;
  if (manager !== counter.managerId) {
    count.considered.push({
      period,
      status: manager === null ? 'no-manager' : 'another-manager',
    });
    count.lastConsidered = period;
    if (count.run) {
      resolve(count, count.run, manager === null ? 'no-manager' : 'manager-changed', {
        period,
        month: null,
        nextManagerId: manager,
        review: null,
      });
      count.run = null;
    }
    return true;
  }
  const month = slot.month;
  if (!month) {
    count.considered.push({ period, status: 'pending' });
    return false;
  }
  count.lastConsidered = period;
  const judgement = month.results[counter.indicatorCode];
  if (!judgement) {
    count.considered.push({ period, status: 'not-reported' });
    return true;
  }
  const { outcome } = judgement;
  count.considered.push({
    period,
    status:
      outcome === 'met' || outcome === 'missed' || outcome === 'not-applicable'
        ? outcome
        : 'not-judged',
  });
  const evidence: MonthEvidence = {
    period,
    judgement,
    frameworkId: month.frameworkId,
    frameworkVersion: month.frameworkVersion,
    source: month.source,
  };
  if (judgement.outcome !== 'missed') {
    if (count.run) {
      resolve(count, count.run, judgement.outcome === 'met' ? 'met' : 'not-applicable', {
        period,
        month: evidence,
        nextManagerId: null,
        review: null,
      });
      count.run = null;
    }
    return true;
  }
  const previous: OpenRun | null = count.run;
  const misses: number = (previous?.misses ?? 0) + 1;
  const stage = stageFor(misses) as CapabilityStage;
  const runMonths = previous?.months ?? [];
  runMonths.push(evidence); // one list per run, copied only when a stage is entered
  const current: OpenRun = {
    runStart: previous?.runStart ?? period,
    misses,
    stage,
    months: runMonths,
    lastMissed: period,
  };
  if (!previous || stage > previous.stage) {
    count.records.push({
      type: 'CapabilityStageEntered',
      data: {
        ...counter,
        entryId: entryOf(counter, current),
        recordKey: `entered:${current.runStart}:s${stage}:${period}`,
        runStart: current.runStart,
        stage,
        period,
        consecutiveMisses: misses,
        months: [...current.months],
        previousEntryId: previous ? entryOf(counter, previous) : null,
        reviewDue: stage === 3,
      },
    });
  } else {
    count.records.push({
      type: 'CapabilityMissCounted',
      data: {
        ...counter,
        entryId: entryOf(counter, current),
        recordKey: `miss:${current.runStart}:s${stage}:${period}`,
        runStart: current.runStart,
        stage,
        period,
        consecutiveMisses: misses,
        month: evidence,
      },
    });
  }
  count.run = current;
  return true;
}

/** A review that closed the case applies once every month that ended before it is counted. */
function finishCount(count: Count): CounterLedger {
  const { run, lastConsidered } = count;
  const review = run?.stage === 3 ? count.closingReviews.get(run.runStart) : undefined;
  if (
    run &&
    review &&
    lastConsidered &&
    lastDayOfMonth(nextPeriod(lastConsidered)) >= review.heldOn
  ) {
    closeByReview(count, run, review);
    count.run = null;
  }
  return {
    records: count.records,
    summary: summaryOf(count.counter, count.run, count.reviews),
    months: count.considered,
    run: count.run,
  };
}

/** The first review of each run that closed the case (a second one is refused by the decider). */
function closingReviewByRun(
  reviews: readonly CapabilityReviewRecorded['data'][],
): Map<Period, CapabilityReviewRecorded['data']> {
  const closing = new Map<Period, CapabilityReviewRecorded['data']>();
  for (const review of reviews) {
    if (!CLOSING_REVIEW_OUTCOMES.includes(review.outcome)) continue;
    const earlier = closing.get(review.runStart);
    if (!earlier || review.heldOn < earlier.heldOn) closing.set(review.runStart, review);
  }
  return closing;
}

function summaryOf(
  counter: CounterRef,
  run: OpenRun | null,
  reviews: readonly CapabilityReviewRecorded['data'][],
): CounterSummary {
  if (!run) return ZERO_COUNTER;
  const reviewsOfStage =
    run.stage === 3
      ? reviews
          .filter((r) => r.runStart === run.runStart)
          .sort((a, b) => a.heldOn.localeCompare(b.heldOn))
      : [];
  const lastReview = reviewsOfStage[reviewsOfStage.length - 1];
  return {
    consecutiveMisses: run.misses,
    stage: run.stage,
    runStart: run.runStart,
    openEntryId: capabilityEntryId(counter, run.runStart, run.stage),
    lastMissedPeriod: run.lastMissed,
    reviewDue: run.stage === 3 && !lastReview,
    lastReviewOn: lastReview?.heldOn ?? null,
    nextReviewDue: lastReview?.nextReviewDue ?? null,
  };
}
