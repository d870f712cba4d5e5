import type { PersonalText } from '../data-subject/personal-data';
import type { Judgement } from '../kpi/judge-indicator.policy';
import type { Period } from '../shared/period';
import type { CapabilityStage, CounterStage } from './capability-stage.policy';

/**
 * A consecutive-miss counter: one manager, one home, one KPI (docs/rules/capability.md#counters).
 * Each counter has a stream of its own (`<tenant>:capability:<manager>:<home>:<KPI>`)
 * holding everything the procedure concluded about it and everything people recorded.
 */
export interface CounterRef {
  managerId: string;
  serviceId: string;
  /** The home's region (for dashboards); fixed once the home is registered. */
  regionId: string;
  indicatorCode: string;
}

/** A stored return event: the submission of a month's return or one of its amendments. */
export interface ReturnRef {
  streamId: string;
  eventId: string;
  globalPosition: number;
  type: 'MonthlyReturnSubmitted' | 'MonthlyReturnAmended';
  /** 0 for the submission. */
  amendmentNumber: number;
  /** Who submitted or amended it (`user:<id>`). */
  by: string;
  /** When (ISO-8601): `submittedAt` or `amendedAt`. */
  at: string;
}

/** One month of one KPI as the procedure counted it: the judgement and the return it came from. */
export interface MonthEvidence {
  period: Period;
  /** Outcome, RAG, the value judged and the thresholds (benchmark, floor, tolerance). */
  judgement: Judgement;
  frameworkId: string;
  frameworkVersion: number;
  /** The return event the judgement was read from (the submission or its latest amendment). */
  source: ReturnRef;
}

/** The stored event that made the process write something: a return, an amendment, a review… */
export interface CauseRef {
  eventId: string;
  globalPosition: number;
  streamId: string;
  type: string;
  /** Who caused it (`user:<id>`, `system:<component>`). */
  by: string;
  /** When it happened (ISO-8601): the business time of the causing event. */
  at: string;
  /**
   * What it was, in words: `The 2026-08 return of ty-gwyn was amended by user:rm-1 (amendment
   * 1)`. Never an amendment's reason (it can name people); causes written before reasons were
   * kept apart quote it.
   */
  description: string;
}

/** Where a counter stands after an event (what the counters read model shows). */
export interface CounterSummary {
  consecutiveMisses: number;
  stage: CounterStage;
  /** First month of the open run of misses; null when the counter is at zero. */
  runStart: Period | null;
  /** The timeline entry of the open stage. */
  openEntryId: string | null;
  /** The last month counted as missed in the open run. */
  lastMissedPeriod: Period | null;
  /** Stage 3 is open and no review has been held for it yet. */
  reviewDue: boolean;
  /** The date of the last review of the open Stage 3. */
  lastReviewOn: string | null;
  /** After `mitigating-circumstances`: when the further review period ends and the next review is due. */
  nextReviewDue: string | null;
}

interface RecordBase extends CounterRef {
  /** The timeline entry (one stage of one run) this record belongs to. */
  entryId: string;
  /** Identifies the record within the counter; a withdrawal names it. */
  recordKey: string;
  runStart: Period;
  stage: CapabilityStage;
  cause: CauseRef;
  counter: CounterSummary;
}

/** The same KPI was missed for the number of consecutive months that opens `stage`. */
export interface CapabilityStageEntered {
  type: 'CapabilityStageEntered';
  data: RecordBase & {
    /** The month whose miss entered the stage. */
    period: Period;
    consecutiveMisses: number;
    /** Every month of the run so far, oldest first: why the stage was entered. */
    months: MonthEvidence[];
    /** The entry of the stage this one escalates from (null for Stage 1). */
    previousEntryId: string | null;
    /** Stage 3 makes a review due. */
    reviewDue: boolean;
  };
}

/** A further month missed that keeps the run at its stage (Stage 1's second month; months after Stage 3). */
export interface CapabilityMissCounted {
  type: 'CapabilityMissCounted';
  data: RecordBase & { period: Period; consecutiveMisses: number; month: MonthEvidence };
}

export const RESOLUTION_REASONS = [
  /** The KPI was met: the counter resets to 0. */
  'met',
  /** The KPI did not apply that month: the run is broken (docs/decisions/0011). */
  'not-applicable',
  /** Another manager was appointed to the home on the month's last day. */
  'manager-changed',
  /** Nobody was appointed to the home on the month's last day. */
  'no-manager',
  /** A Stage 3 review closed the case (standards met, alternative employment, dismissal). */
  'review-closed',
] as const;
export type ResolutionReason = (typeof RESOLUTION_REASONS)[number];

/** The open stage of a run ended, and the counter went back to 0. */
export interface CapabilityStageResolved {
  type: 'CapabilityStageResolved';
  data: RecordBase & {
    reason: ResolutionReason;
    /** The month that ended the run; null when a review closed it. */
    period: Period | null;
    /** The met (or not-applicable) month, when that is what ended it. */
    month: MonthEvidence | null;
    /** For manager-changed: who managed the home that month. */
    nextManagerId: string | null;
    review: { reviewId: string; outcome: ReviewOutcome; heldOn: string } | null;
  };
}

/** A stage that should not have happened (an amendment or a corrected appointment showed it). */
export interface CapabilityStageWithdrawn {
  type: 'CapabilityStageWithdrawn';
  data: RecordBase & {
    period: Period;
    previousEntryId: string | null;
    /** Why, in words: what changed and what the months show now. */
    explanation: string;
  };
}

/** A counted miss or a resolution that should not have happened. */
export interface CapabilityRecordWithdrawn {
  type: 'CapabilityRecordWithdrawn';
  data: RecordBase & {
    record: 'CapabilityMissCounted' | 'CapabilityStageResolved';
    period: Period | null;
    explanation: string;
  };
}

export const REVIEW_OUTCOMES = [
  /** A further review period of N months is set; at its end another review is due. */
  'mitigating-circumstances',
  /** The case is closed. */
  'standards-met',
  'alternative-employment-offered',
  'dismissed',
] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** Outcomes that close the case: the run ends and the counter goes back to 0. */
export const CLOSING_REVIEW_OUTCOMES: readonly ReviewOutcome[] = [
  'standards-met',
  'alternative-employment-offered',
  'dismissed',
];

export const REVIEW_HOLDER_ROLES = ['hr', 'regional-manager'] as const;
export type ReviewHolderRole = (typeof REVIEW_HOLDER_ROLES)[number];

/**
 * A Stage 3 review, recorded as the Acas Code asks: who held it, when, companion offered, why.
 * From schema version 2 its reasons are sealed under the manager's key (the manager id is their
 * data subject id); version 1 held them as text, still read as it was.
 */
export interface CapabilityReviewRecorded {
  type: 'CapabilityReviewRecorded';
  data: CounterRef & {
    reviewId: string;
    /** The Stage 3 entry reviewed. */
    entryId: string;
    runStart: Period;
    heldBy: string;
    heldByRole: ReviewHolderRole;
    /** `YYYY-MM-DD`. */
    heldOn: string;
    companionOffered: boolean;
    outcome: ReviewOutcome;
    /** For mitigating-circumstances: the further review period, in months. */
    furtherReviewMonths: number | null;
    /** heldOn + furtherReviewMonths. */
    nextReviewDue: string | null;
    reasons: PersonalText;
    recordedBy: string;
    recordedAt: string;
    counter: CounterSummary;
  };
}

export const APPEAL_OUTCOMES = ['upheld', 'partly-upheld', 'not-upheld'] as const;
export type AppealOutcome = (typeof APPEAL_OUTCOMES)[number];

export type AppealTarget =
  | { kind: 'stage'; entryId: string; stage: CapabilityStage }
  | { kind: 'review'; reviewId: string; entryId: string; outcome: ReviewOutcome };

/**
 * An appeal against a formal stage or a review outcome, heard by someone not involved before.
 * Its reasons are sealed under the manager's key from schema version 2, as a review's.
 */
export interface CapabilityAppealRecorded {
  type: 'CapabilityAppealRecorded';
  data: CounterRef & {
    appealId: string;
    against: AppealTarget;
    runStart: Period;
    heardBy: string;
    heardOn: string;
    outcome: AppealOutcome;
    reasons: PersonalText;
    recordedBy: string;
    recordedAt: string;
  };
}

/** What the escalation process writes: the counter's records and their withdrawals. */
export type CapabilityRecordEvent =
  | CapabilityStageEntered
  | CapabilityMissCounted
  | CapabilityStageResolved
  | CapabilityStageWithdrawn
  | CapabilityRecordWithdrawn;

export type CapabilityEvent =
  CapabilityRecordEvent | CapabilityReviewRecorded | CapabilityAppealRecorded;

export const CAPABILITY_EVENT_TYPES = [
  'CapabilityStageEntered',
  'CapabilityMissCounted',
  'CapabilityStageResolved',
  'CapabilityStageWithdrawn',
  'CapabilityRecordWithdrawn',
  'CapabilityReviewRecorded',
  'CapabilityAppealRecorded',
] as const satisfies readonly CapabilityEvent['type'][];

/**
 * Upcasters of the review and appeal (libs/event-store EventTypeRegistry): a version-1 event
 * holds its reasons as text, which version 2's `PersonalText` still is, so it is read as stored
 * (never rewritten, and its reasons cannot be erased).
 */
export const CAPABILITY_UPCASTERS = {
  CapabilityReviewRecorded: { 1: (data: unknown): unknown => data },
  CapabilityAppealRecorded: { 1: (data: unknown): unknown => data },
} as const;
