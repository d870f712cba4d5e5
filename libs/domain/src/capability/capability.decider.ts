import type { Decider } from '../shared/decider';
import {
  addDays,
  addMonthsToDate,
  lastDayOfMonth,
  parseCalendarDate,
} from '../shared/calendar-date';
import {
  ConflictError,
  InvalidCommandError,
  NotFoundError,
  type FieldProblem,
} from '../shared/domain-errors';
import { londonDateOf, type Period } from '../shared/period';
import {
  ZERO_COUNTER,
  type CounterLedger,
  type LedgerRecord,
  type MonthStatus,
} from './capability-ledger.policy';
import { isFormalStage, type CapabilityStage } from './capability-stage.policy';
import type {
  CapabilityCommand,
  Involvement,
  RecordCapabilityAppeal,
  RecordCapabilityReview,
} from './capability.commands';
import {
  APPEAL_OUTCOMES,
  CLOSING_REVIEW_OUTCOMES,
  REVIEW_HOLDER_ROLES,
  REVIEW_OUTCOMES,
  type AppealOutcome,
  type AppealTarget,
  type CapabilityAppealRecorded,
  type CapabilityEvent,
  type CapabilityMissCounted,
  type CapabilityRecordEvent,
  type CapabilityReviewRecorded,
  type CapabilityStageEntered,
  type CapabilityStageResolved,
  type CauseRef,
  type CounterRef,
  type CounterSummary,
  type ReviewHolderRole,
  type ReviewOutcome,
} from './capability.events';

/** A record the stream holds and has not withdrawn. */
export type ActiveRecord = CapabilityStageEntered | CapabilityMissCounted | CapabilityStageResolved;

/** One stage of one run, as the timeline shows it. */
export interface EntryFacts {
  entryId: string;
  stage: CapabilityStage;
  runStart: Period;
  period: Period;
  withdrawn: boolean;
}

/** A consecutive-miss counter's stream folded: its records in force, entries, reviews, appeals. */
export interface CapabilityCounterState {
  counter: CounterRef | null;
  /** Record key → record, in the order written. */
  records: Record<string, ActiveRecord>;
  entries: Record<string, EntryFacts>;
  reviews: CapabilityReviewRecorded['data'][];
  appeals: CapabilityAppealRecorded['data'][];
  summary: CounterSummary;
}

export const MAX_REASONS_LENGTH = 4000;
export const MAX_FURTHER_REVIEW_MONTHS = 12;

export const capabilityCounterDecider: Decider<
  CapabilityCommand,
  CapabilityCounterState,
  CapabilityEvent
> = {
  initialState: () => ({
    counter: null,
    records: {},
    entries: {},
    reviews: [],
    appeals: [],
    summary: ZERO_COUNTER,
  }),

  decide(command, state) {
    switch (command.type) {
      case 'ReconcileCapabilityCounter':
        return reconcile(state, command.data.ledger, command.data.cause, command.data.reviewCauses);
      case 'RecordCapabilityReview':
        return [recordReview(state, command.data)];
      case 'RecordCapabilityAppeal':
        return [recordAppeal(state, command.data)];
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'CapabilityStageEntered':
        return {
          ...state,
          counter: counterOf(event.data),
          records: { ...state.records, [event.data.recordKey]: event },
          entries: {
            ...state.entries,
            [event.data.entryId]: {
              entryId: event.data.entryId,
              stage: event.data.stage,
              runStart: event.data.runStart,
              period: event.data.period,
              withdrawn: false,
            },
          },
          summary: event.data.counter,
        };
      case 'CapabilityMissCounted':
      case 'CapabilityStageResolved':
        return {
          ...state,
          counter: counterOf(event.data),
          records: { ...state.records, [event.data.recordKey]: event },
          summary: event.data.counter,
        };
      case 'CapabilityStageWithdrawn': {
        const entry = state.entries[event.data.entryId];
        return {
          ...state,
          records: without(state.records, event.data.recordKey),
          entries: entry
            ? { ...state.entries, [entry.entryId]: { ...entry, withdrawn: true } }
            : state.entries,
          summary: event.data.counter,
        };
      }
      case 'CapabilityRecordWithdrawn':
        return {
          ...state,
          records: without(state.records, event.data.recordKey),
          summary: event.data.counter,
        };
      case 'CapabilityReviewRecorded':
        return {
          ...state,
          counter: counterOf(event.data),
          reviews: [...state.reviews, event.data],
          summary: event.data.counter,
        };
      case 'CapabilityAppealRecorded':
        return { ...state, appeals: [...state.appeals, event.data] };
      default: {
        const unexpected: never = event;
        return unexpected;
      }
    }
  },
};

/**
 * Withdraws what the stream holds and the ledger does not (latest first), then writes what the
 * ledger holds and the stream does not (in month order). A record keeps its key for life, so
 * a recount that agrees with the stream writes nothing.
 */
function reconcile(
  state: CapabilityCounterState,
  ledger: CounterLedger,
  cause: CauseRef,
  reviewCauses: Readonly<Record<string, CauseRef>>,
): CapabilityRecordEvent[] {
  const wanted = new Set(ledger.records.map((record) => record.data.recordKey));
  const counter = ledger.summary;
  const events: CapabilityRecordEvent[] = [];
  const stale = Object.values(state.records)
    .filter((record) => !wanted.has(record.data.recordKey))
    .reverse();
  for (const record of stale) {
    const explanation = `${cause.description}. Counted again in month order: ${monthStory(ledger, record)}.`;
    const base = {
      ...counterOf(record.data),
      entryId: record.data.entryId,
      recordKey: record.data.recordKey,
      runStart: record.data.runStart,
      stage: record.data.stage,
      cause,
      counter,
      explanation,
    };
    events.push(
      record.type === 'CapabilityStageEntered'
        ? {
            type: 'CapabilityStageWithdrawn',
            data: {
              ...base,
              period: record.data.period,
              previousEntryId: record.data.previousEntryId,
            },
          }
        : {
            type: 'CapabilityRecordWithdrawn',
            data: { ...base, record: record.type, period: record.data.period },
          },
    );
  }
  for (const record of ledger.records) {
    if (state.records[record.data.recordKey]) continue;
    const review = record.type === 'CapabilityStageResolved' ? record.data.review : null;
    const recordCause = (review && reviewCauses[review.reviewId]) ?? cause;
    events.push(stamped(record, recordCause, counter));
  }
  return events;
}

function stamped(record: LedgerRecord, cause: CauseRef, counter: CounterSummary): ActiveRecord {
  switch (record.type) {
    case 'CapabilityStageEntered':
      return { type: record.type, data: { ...record.data, cause, counter } };
    case 'CapabilityMissCounted':
      return { type: record.type, data: { ...record.data, cause, counter } };
    case 'CapabilityStageResolved':
      return { type: record.type, data: { ...record.data, cause, counter } };
  }
}

/** What the recount says about the months of a withdrawn record: "2026-01 missed, 2026-02 met; …". */
function monthStory(ledger: CounterLedger, record: ActiveRecord): string {
  const until = record.data.period ?? ledger.months[ledger.months.length - 1]?.period;
  const months = ledger.months
    .filter((m) => m.period >= record.data.runStart && (until === undefined || m.period <= until))
    .map((m) => `${m.period} ${MONTH_STATUS_WORDS[m.status]}`);
  const now =
    ledger.summary.stage === 0
      ? 'the counter is at 0'
      : `the counter is at ${ledger.summary.consecutiveMisses} (Stage ${ledger.summary.stage})`;
  return months.length > 0 ? `${months.join(', ')}; ${now}` : now;
}

const MONTH_STATUS_WORDS: Record<MonthStatus, string> = {
  met: 'met',
  missed: 'missed',
  'not-applicable': 'not applicable',
  'not-judged': 'not judged',
  'not-reported': 'not reported',
  pending: 'waiting for its return',
  'another-manager': 'managed by someone else',
  'no-manager': 'without a manager',
};

function recordReview(
  state: CapabilityCounterState,
  data: RecordCapabilityReview['data'],
): CapabilityReviewRecorded {
  const { counter, reviewId, recordedBy, now } = data;
  const stage3 = latestEntry(state, 3);
  if (!state.counter || !stage3) {
    throw new ConflictError(
      `${counter.managerId} has no Stage 3 for ${counter.indicatorCode} at ${counter.serviceId}: a capability review is held at Stage 3`,
      { summary: state.summary },
    );
  }
  const closedBy = state.reviews.find(
    (r) => r.runStart === stage3.runStart && CLOSING_REVIEW_OUTCOMES.includes(r.outcome),
  );
  if (closedBy) {
    throw new ConflictError(
      `The case was closed by the review held on ${closedBy.heldOn} (${closedBy.outcome})`,
      {
        review: { reviewId: closedBy.reviewId, heldOn: closedBy.heldOn, outcome: closedBy.outcome },
      },
    );
  }
  const problems: FieldProblem[] = [];
  const heldBy = personIdField(data.heldBy, 'heldBy', problems);
  const heldByRole = oneOf(data.heldByRole, REVIEW_HOLDER_ROLES, 'heldByRole', problems);
  const heldOn = dateField(data.heldOn, 'heldOn', problems, {
    after: lastDayOfMonth(stage3.period),
    afterReason: `must be after ${stage3.period} ended: Stage 3 was entered for that month`,
    now,
  });
  if (typeof data.companionOffered !== 'boolean') {
    problems.push({
      field: 'companionOffered',
      reason: 'is required: true or false (Acas Code: the right to be accompanied)',
    });
  }
  const outcome = oneOf(data.outcome, REVIEW_OUTCOMES, 'outcome', problems);
  let furtherReviewMonths: number | null = null;
  if (outcome === 'mitigating-circumstances') {
    const months = data.furtherReviewMonths;
    if (
      !Number.isInteger(months) ||
      (months as number) < 1 ||
      (months as number) > MAX_FURTHER_REVIEW_MONTHS
    ) {
      problems.push({
        field: 'furtherReviewMonths',
        reason: `is required for mitigating-circumstances: whole months, 1 to ${MAX_FURTHER_REVIEW_MONTHS}`,
      });
    } else furtherReviewMonths = months as number;
  } else if (data.furtherReviewMonths !== undefined && data.furtherReviewMonths !== null) {
    problems.push({
      field: 'furtherReviewMonths',
      reason: 'is only set with the outcome mitigating-circumstances',
    });
  }
  const reasons = textField(data.reasons, 'reasons', problems);
  if (problems.length > 0) throw new InvalidCommandError(problems);

  const nextReviewDue =
    furtherReviewMonths === null ? null : addMonthsToDate(heldOn!, furtherReviewMonths);
  const reviewsOpenStage = state.summary.openEntryId === stage3.entryId;
  return {
    type: 'CapabilityReviewRecorded',
    data: {
      ...state.counter,
      reviewId,
      entryId: stage3.entryId,
      runStart: stage3.runStart,
      heldBy: heldBy!,
      heldByRole: heldByRole as ReviewHolderRole,
      heldOn: heldOn!,
      companionOffered: data.companionOffered as boolean,
      outcome: outcome as ReviewOutcome,
      furtherReviewMonths,
      nextReviewDue,
      reasons: reasons!,
      recordedBy,
      recordedAt: now.toISOString(),
      counter: reviewsOpenStage
        ? { ...state.summary, reviewDue: false, lastReviewOn: heldOn!, nextReviewDue }
        : state.summary,
    },
  };
}

/** The latest entry of a stage that has not been withdrawn. */
function latestEntry(
  state: CapabilityCounterState,
  stage: CapabilityStage,
): EntryFacts | undefined {
  return Object.values(state.entries)
    .filter((e) => e.stage === stage && !e.withdrawn)
    .sort((a, b) => a.period.localeCompare(b.period))
    .pop();
}

/** What an appeal is against, checked against the stream: a formal stage or a review. */
export function appealTargetOf(state: CapabilityCounterState, against: unknown): AppealTarget {
  const target = (typeof against === 'object' && against !== null ? against : {}) as Record<
    string,
    unknown
  >;
  const { entryId, reviewId } = target;
  if ((entryId === undefined) === (reviewId === undefined)) {
    throw InvalidCommandError.of(
      'against',
      'must name either { "entryId": … } (a Stage 2 or 3 entry) or { "reviewId": … } (a review outcome)',
    );
  }
  if (entryId !== undefined) {
    const entry = typeof entryId === 'string' ? state.entries[entryId] : undefined;
    if (!entry) throw InvalidCommandError.of('against.entryId', 'is not an entry of this case');
    if (entry.withdrawn) {
      throw new ConflictError(`Entry ${entry.entryId} was withdrawn: there is nothing to appeal`);
    }
    if (!isFormalStage(entry.stage)) {
      throw InvalidCommandError.of(
        'against.entryId',
        'is Stage 1, which is informal: Stage 2, Stage 3 and review outcomes can be appealed',
      );
    }
    return { kind: 'stage', entryId: entry.entryId, stage: entry.stage };
  }
  const review = state.reviews.find((r) => r.reviewId === reviewId);
  if (!review) throw InvalidCommandError.of('against.reviewId', 'is not a review of this case');
  return {
    kind: 'review',
    reviewId: review.reviewId,
    entryId: review.entryId,
    outcome: review.outcome,
  };
}

/** The run an appeal target belongs to. */
export function runOfTarget(state: CapabilityCounterState, target: AppealTarget): Period {
  return state.entries[target.entryId]!.runStart;
}

/**
 * Everyone the counter's stream shows took part in a run: the manager, whoever submitted or
 * amended the returns counted, held or recorded a review, heard or recorded an appeal.
 */
export function involvementInRun(state: CapabilityCounterState, runStart: Period): Involvement[] {
  const involved: Involvement[] = [];
  if (state.counter)
    involved.push({ personId: state.counter.managerId, how: 'is the manager whose case it is' });
  for (const record of Object.values(state.records)) {
    if (record.data.runStart !== runStart) continue;
    const months =
      record.type === 'CapabilityStageEntered'
        ? record.data.months
        : record.type === 'CapabilityMissCounted'
          ? [record.data.month]
          : [];
    for (const month of months) {
      involved.push({
        personId: personIdOf(month.source.by),
        how: `${month.source.amendmentNumber === 0 ? 'submitted' : 'amended'} the ${month.period} return counted in the case`,
      });
    }
  }
  for (const review of state.reviews.filter((r) => r.runStart === runStart)) {
    involved.push({ personId: review.heldBy, how: `held the review of ${review.heldOn}` });
    involved.push({
      personId: personIdOf(review.recordedBy),
      how: `recorded the review of ${review.heldOn}`,
    });
  }
  for (const appeal of state.appeals.filter((a) => a.runStart === runStart)) {
    involved.push({ personId: appeal.heardBy, how: `heard the appeal of ${appeal.heardOn}` });
  }
  return involved;
}

function recordAppeal(
  state: CapabilityCounterState,
  data: RecordCapabilityAppeal['data'],
): CapabilityAppealRecorded {
  const { counter, appealId, recordedBy, now } = data;
  if (!state.counter) {
    throw new NotFoundError(
      `${counter.managerId} has no capability case for ${counter.indicatorCode} at ${counter.serviceId}`,
    );
  }
  const against = appealTargetOf(state, data.against);
  const runStart = runOfTarget(state, against);
  const problems: FieldProblem[] = [];
  const heardBy = personIdField(data.heardBy, 'heardBy', problems);
  const appealed =
    against.kind === 'review'
      ? state.reviews.find((r) => r.reviewId === against.reviewId)!.heldOn
      : lastDayOfMonth(state.entries[against.entryId]!.period);
  const heardOn = dateField(data.heardOn, 'heardOn', problems, {
    after: against.kind === 'review' ? addDays(appealed, -1) : appealed,
    afterReason:
      against.kind === 'review'
        ? `must be on or after the review it appeals (${appealed})`
        : `must be after the month the stage was entered for ended (${appealed})`,
    now,
  });
  const outcome = oneOf(data.outcome, APPEAL_OUTCOMES, 'outcome', problems);
  const reasons = textField(data.reasons, 'reasons', problems);
  if (problems.length > 0) throw new InvalidCommandError(problems);

  const involvement = [...involvementInRun(state, runStart), ...data.involvedElsewhere].filter(
    (i) => personIdOf(i.personId) === heardBy,
  );
  if (involvement.length > 0) {
    throw new ConflictError(
      `${heardBy} cannot hear the appeal: an appeal must be heard by someone not previously involved in the case (${heardBy} ${involvement[0]!.how})`,
      {
        errors: [
          {
            field: 'heardBy',
            reason: `was involved in the case: ${involvement.map((i) => i.how).join('; ')}`,
          },
        ],
        involvement,
      },
    );
  }
  return {
    type: 'CapabilityAppealRecorded',
    data: {
      ...state.counter,
      appealId,
      against,
      runStart,
      heardBy: heardBy!,
      heardOn: heardOn!,
      outcome: outcome as AppealOutcome,
      reasons: reasons!,
      recordedBy,
      recordedAt: now.toISOString(),
    },
  };
}

/** A person id as events hold it: `user:rm-gwen` and `rm-gwen` are the same person. */
export function personIdOf(actorOrPerson: string): string {
  return actorOrPerson.replace(/^user:/, '');
}

const PERSON_ID = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}$/;

function personIdField(
  value: unknown,
  field: string,
  problems: FieldProblem[],
): string | undefined {
  if (typeof value === 'string' && PERSON_ID.test(value)) return personIdOf(value);
  problems.push({
    field,
    reason: 'is required: the person id (1 to 128 letters, digits, . _ @ : -)',
  });
  return undefined;
}

function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  field: string,
  problems: FieldProblem[],
): T | undefined {
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  problems.push({ field, reason: `must be one of ${allowed.join(', ')}` });
  return undefined;
}

function textField(value: unknown, field: string, problems: FieldProblem[]): string | undefined {
  if (typeof value === 'string' && value.trim() !== '' && value.length <= MAX_REASONS_LENGTH)
    return value.trim();
  problems.push({ field, reason: `is required: 1 to ${MAX_REASONS_LENGTH} characters` });
  return undefined;
}

function dateField(
  value: unknown,
  field: string,
  problems: FieldProblem[],
  rules: { after: string; afterReason: string; now: Date },
): string | undefined {
  let date: string;
  try {
    date = parseCalendarDate(value, field);
  } catch (error) {
    if (error instanceof InvalidCommandError) problems.push(...error.problems);
    return undefined;
  }
  const today = londonDateOf(rules.now);
  if (date > today) {
    problems.push({ field, reason: `is in the future (today is ${today})` });
    return undefined;
  }
  if (date <= rules.after) {
    problems.push({ field, reason: rules.afterReason });
    return undefined;
  }
  return date;
}

function counterOf(data: CounterRef): CounterRef {
  const { managerId, serviceId, regionId, indicatorCode } = data;
  return { managerId, serviceId, regionId, indicatorCode };
}

function without<T>(records: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _removed, ...rest } = records;
  return rest;
}
