import { FeatureCommand, type EntityId } from '@kpi/command-handling';
import type { ComplaintCategory, ComplaintFinding } from '@kpi/domain';

/*
 * The complaint and compliment commands. Ids and the day a complaint was received (the due
 * dates count from it) are parsed at the edge; the other dates and texts arrive as the request
 * gave them and the deciders check them (not in the future, not before the complaint was
 * received: that depends on the clock and on the complaint), naming the field.
 */

export interface LogComplaintInput {
  /** Optional: by default derived from the command id, so a retried request logs it once. */
  complaintId?: EntityId;
  serviceId: EntityId;
  /** `YYYY-MM-DD`, a day of the calendar. */
  receivedOn: string;
  category: ComplaintCategory;
  /** Sealed into the personal-data vault under the complainant's key before it is stored. */
  summary: string;
  /**
   * Who complained, as far as they said; left out for an anonymous complaint. Name and contact
   * are sealed like the summary. `subjectId` names a data subject already known (someone who
   * complained before); by default the complainant is a new one.
   */
  complainant?: {
    subjectId?: string;
    relationship?: string | null;
    name?: string | null;
    contact?: string | null;
  };
}

export interface AcknowledgeComplaintInput {
  complaintId: EntityId;
  acknowledgedOn: string;
}

export interface RespondToComplaintInput {
  complaintId: EntityId;
  respondedOn: string;
  summary: string;
  /** How the complainant can escalate if not satisfied: required. */
  escalationRoute: string;
  upheld: ComplaintFinding;
}

export interface LogComplimentInput {
  /** Optional: by default derived from the command id. */
  complimentId?: EntityId;
  serviceId: EntityId;
  receivedOn: string;
  summary: string;
  /** A data subject already known to seal the summary under (checked by the decider); by default a new one. */
  subjectId?: string;
}

/** Whether the command had been carried out already (a retry): then nothing new was written. */
interface Answered {
  streamId: string;
  replayed: boolean;
}

/** A complaint as logged, with the due dates worked out on the calendar in force. */
export interface LoggedComplaint extends Answered {
  complaintId: string;
  /** The complainant as a data subject: what a data-protection officer erases. */
  dataSubjectId: string;
  receivedOn: string;
  acknowledgementDueOn: string;
  responseDueOn: string;
}

export interface AcknowledgedComplaint extends Answered {
  complaintId: string;
  acknowledgedOn: string;
}

export interface RespondedComplaint extends Answered {
  complaintId: string;
  respondedOn: string;
  upheld: ComplaintFinding;
}

export interface LoggedCompliment extends Answered {
  complimentId: string;
  /** The data subject its summary is kept under: what a data-protection officer erases. */
  dataSubjectId: string;
}

export class LogComplaint extends FeatureCommand<LogComplaintInput, LoggedComplaint> {}

export class AcknowledgeComplaint extends FeatureCommand<
  AcknowledgeComplaintInput,
  AcknowledgedComplaint
> {}

export class RespondToComplaint extends FeatureCommand<
  RespondToComplaintInput,
  RespondedComplaint
> {}

export class LogCompliment extends FeatureCommand<LogComplimentInput, LoggedCompliment> {}
