import { FeatureCommand, type EntityId } from '@kpi/command-handling';
import type {
  AppealOutcome,
  AppealTarget,
  ReviewHolderRole,
  ReviewOutcome,
  SupervisionKind,
} from '@kpi/domain';
import type { AppendResult } from '@kpi/event-store';

/** Which counter a review or appeal is about: a manager, a home, a KPI (parsed at the edge). */
export interface CounterInput {
  managerId: EntityId;
  serviceId: EntityId;
  /** An indicator code such as `EDU`; which codes a home has only its framework knows. */
  indicatorCode: string;
}

/**
 * A Stage 3 review. Types and enums are parsed at the edge; the rules (heldOn after the Stage 3
 * month and not in the future, furtherReviewMonths only with mitigating circumstances, 1–12)
 * depend on the case and the clock, so the decider checks them.
 */
export interface RecordCapabilityReviewInput extends CounterInput {
  heldBy: string;
  heldByRole: ReviewHolderRole;
  /** `YYYY-MM-DD`, checked by the decider against the case and today. */
  heldOn: string;
  companionOffered: boolean;
  outcome: ReviewOutcome;
  furtherReviewMonths?: number;
  reasons: string;
}

/**
 * What an appeal is against: `{ entryId }` of a formal stage or `{ reviewId }`. The members'
 * values are the decider's to check (they must name an entry or review of this case).
 */
export interface AppealAgainstInput {
  entryId?: unknown;
  reviewId?: unknown;
}

export interface RecordCapabilityAppealInput extends CounterInput {
  against: AppealAgainstInput;
  heardBy: string;
  /** `YYYY-MM-DD`, checked by the decider against the case and today. */
  heardOn: string;
  outcome: AppealOutcome;
  reasons: string;
}

/**
 * A capability item of a supervision, as the edge took it (an object with these members only):
 * the decider names a malformed value, the use case a home or indicator the tenant lacks.
 */
export interface CapabilityItemInput {
  serviceId: unknown;
  indicatorCode: unknown;
}

export interface RecordSupervisionInput {
  superviseeId: EntityId;
  supervisorId: string;
  /** `YYYY-MM-DD`, checked by the decider (not in the future). */
  date: string;
  kind: SupervisionKind;
  capabilityItems?: readonly CapabilityItemInput[];
}

/** What a recorded command answers besides its own facts. */
interface Recorded {
  streamId: string;
  /** True when the command had been carried out already (a retry): nothing new was written. */
  replayed: boolean;
  /** The events written (or, on a retry, found): ids and places in the stream and the log. */
  appended: AppendResult['events'];
}

export interface ReviewRecorded extends Recorded {
  reviewId: string;
  /** The Stage 3 entry reviewed. */
  entryId: string;
  outcome: ReviewOutcome;
  nextReviewDue: string | null;
}

export interface AppealRecorded extends Recorded {
  appealId: string;
  against: AppealTarget;
}

export interface SupervisionRecordedResult extends Recorded {
  supervisionId: string;
}

export class RecordCapabilityReview extends FeatureCommand<
  RecordCapabilityReviewInput,
  ReviewRecorded
> {}

export class RecordCapabilityAppeal extends FeatureCommand<
  RecordCapabilityAppealInput,
  AppealRecorded
> {}

export class RecordSupervision extends FeatureCommand<
  RecordSupervisionInput,
  SupervisionRecordedResult
> {}
