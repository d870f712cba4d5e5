import type { PersonalText } from '../data-subject/personal-data';

/**
 * The roles a staff member is registered in (the staff register, docs/workforce.md). Every role
 * counts in supervision compliance and turnover:
 * - `care-worker`: a care or residential child-care worker on shift;
 * - `senior-care-worker`: a care worker who leads a shift or holds medication duties;
 * - `team-leader`: leads a team of care workers and supervises them;
 * - `deputy-manager`: deputises for the registered manager;
 * - `manager`: the home's (registered) manager;
 * - `other`: everyone else on the home's staff (cook, domestic, maintenance, administrator).
 */
export const STAFF_ROLES = [
  'care-worker',
  'senior-care-worker',
  'team-leader',
  'deputy-manager',
  'manager',
  'other',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The training courses the register records (each has a due date). */
export const TRAINING_COURSES = ['care-certificate', 'safeguarding'] as const;
export type TrainingCourse = (typeof TRAINING_COURSES)[number];

/**
 * A person joins a service's staff on `startedOn`. `staffId` is the person id supervision uses
 * as `superviseeId`. `dbsCheckedOn`: the pre-employment DBS check, when known (may be before
 * `startedOn`).
 */
export interface StaffMemberRegistered {
  type: 'StaffMemberRegistered';
  data: {
    staffId: string;
    serviceId: string;
    role: StaffRole;
    /** `YYYY-MM-DD`: the first day in post. */
    startedOn: string;
    dbsCheckedOn: string | null;
    registeredBy: string;
    recordedAt: string;
  };
}

/**
 * The staff member left; `leftOn` is their last day in post (they count as in post that day).
 * The reason can name people: from schema version 2 it is sealed in the personal-data vault
 * under the staff member's data subject (their staff id), so erasing them erases it. Version 1
 * held the text, read as it was.
 */
export interface StaffMemberLeft {
  type: 'StaffMemberLeft';
  data: {
    staffId: string;
    serviceId: string;
    leftOn: string;
    reason: PersonalText;
    recordedBy: string;
    recordedAt: string;
  };
}

/** An appraisal (annual) held on `heldOn` by `appraiserId`. */
export interface StaffAppraisalRecorded {
  type: 'StaffAppraisalRecorded';
  data: {
    staffId: string;
    serviceId: string;
    heldOn: string;
    appraiserId: string;
    recordedBy: string;
    recordedAt: string;
  };
}

/** A course completed: the Care Certificate, or safeguarding training (renewed annually). */
export interface StaffTrainingCompleted {
  type: 'StaffTrainingCompleted';
  data: {
    staffId: string;
    serviceId: string;
    course: TrainingCourse;
    completedOn: string;
    recordedBy: string;
    recordedAt: string;
  };
}

/** A DBS check (renewed every three years) made on `checkedOn`. */
export interface StaffDbsCheckRecorded {
  type: 'StaffDbsCheckRecorded';
  data: {
    staffId: string;
    serviceId: string;
    checkedOn: string;
    recordedBy: string;
    recordedAt: string;
  };
}

export type StaffEvent =
  | StaffMemberRegistered
  | StaffMemberLeft
  | StaffAppraisalRecorded
  | StaffTrainingCompleted
  | StaffDbsCheckRecorded;

/**
 * Upcasters of the staff events (libs/event-store EventTypeRegistry): a leaver stored at
 * version 1 has the same shape, its reason the text itself.
 */
export const STAFF_UPCASTERS = {
  StaffMemberLeft: { 1: (data: unknown): unknown => data },
} as const;
