import { FeatureCommand, type CommandOutcome, type EntityId } from '@kpi/command-handling';
import type { StaffEvent, StaffRole, StaffState, TrainingCourse } from '@kpi/domain';

/*
 * The staff-register commands. Ids are parsed at the edge; dates arrive as `YYYY-MM-DD` text
 * and the staff decider checks them (not in the future, within the time in post: that depends
 * on the clock and on the register), naming the field.
 */

/** A starter at one of the tenant's services. */
export interface RegisterStaffMemberInput {
  /** The person id: what supervision records name as `superviseeId`. */
  staffId: EntityId;
  serviceId: EntityId;
  role: StaffRole;
  /** First day in post. */
  startedOn: string;
  /** The pre-employment DBS check, when known. */
  dbsCheckedOn?: string;
}

/** A leaver: their last day in post and why. */
export interface RecordStaffMemberLeftInput {
  staffId: EntityId;
  leftOn: string;
  reason: string;
}

export interface RecordAppraisalInput {
  staffId: EntityId;
  heldOn: string;
  appraiserId: EntityId;
}

export interface RecordTrainingInput {
  staffId: EntityId;
  course: TrainingCourse;
  completedOn: string;
}

export interface RecordDbsCheckInput {
  staffId: EntityId;
  checkedOn: string;
}

/** What a staff-register command answers: its stream, the events written, the entry after it. */
export type StaffOutcome = CommandOutcome<StaffEvent, StaffState>;

export class RegisterStaffMember extends FeatureCommand<RegisterStaffMemberInput, StaffOutcome> {}

export class RecordStaffMemberLeft extends FeatureCommand<
  RecordStaffMemberLeftInput,
  StaffOutcome
> {}

export class RecordAppraisal extends FeatureCommand<RecordAppraisalInput, StaffOutcome> {}

export class RecordTraining extends FeatureCommand<RecordTrainingInput, StaffOutcome> {}

export class RecordDbsCheck extends FeatureCommand<RecordDbsCheckInput, StaffOutcome> {}
