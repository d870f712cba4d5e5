import type { CounterLedger } from './capability-ledger.policy';
import type { CauseRef, CounterRef } from './capability.events';

/**
 * Issued by the escalation process: make the counter's stream say what the ledger says.
 * Records the stream has and the ledger lacks are withdrawn; records the ledger has and the
 * stream lacks are written. `cause` is the stored event that made the process look again.
 */
export interface ReconcileCapabilityCounter {
  type: 'ReconcileCapabilityCounter';
  data: {
    counter: CounterRef;
    ledger: CounterLedger;
    cause: CauseRef;
    /** The stored review events by review id: a record a review caused cites the review. */
    reviewCauses: Readonly<Record<string, CauseRef>>;
  };
}

/** A Stage 3 review (checked by the decider; fields as sent). */
export interface RecordCapabilityReview {
  type: 'RecordCapabilityReview';
  data: {
    counter: Omit<CounterRef, 'regionId'>;
    reviewId: string;
    heldBy: unknown;
    heldByRole: unknown;
    heldOn: unknown;
    companionOffered: unknown;
    outcome: unknown;
    furtherReviewMonths: unknown;
    reasons: unknown;
    recordedBy: string;
    now: Date;
  };
}

/** Someone's earlier part in a case, found outside the counter's stream (supervisions, line management). */
export interface Involvement {
  personId: string;
  how: string;
}

export interface RecordCapabilityAppeal {
  type: 'RecordCapabilityAppeal';
  data: {
    counter: Omit<CounterRef, 'regionId'>;
    appealId: string;
    /** `{ entryId }` of a Stage 2 or 3 entry, or `{ reviewId }`. */
    against: unknown;
    heardBy: unknown;
    heardOn: unknown;
    outcome: unknown;
    reasons: unknown;
    /** People involved in the case whom the stream does not name (the handler finds them). */
    involvedElsewhere: readonly Involvement[];
    recordedBy: string;
    now: Date;
  };
}

export type CapabilityCommand =
  ReconcileCapabilityCounter | RecordCapabilityReview | RecordCapabilityAppeal;
