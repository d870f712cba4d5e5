/**
 * Commands on one staff member's stream. Ids are checked by the use case (they make the stream
 * id); everything else arrives as the request gave it and is checked by the decider.
 */
export interface RegisterStaffMember {
  type: 'RegisterStaffMember';
  data: {
    staffId: string;
    /** A service of the tenant (the use case checks it exists). */
    serviceId: string;
    role: unknown;
    startedOn: unknown;
    /** Optional: the pre-employment DBS check. */
    dbsCheckedOn?: unknown;
    registeredBy: string;
    now: Date;
  };
}

export interface RecordStaffMemberLeft {
  type: 'RecordStaffMemberLeft';
  data: { staffId: string; leftOn: unknown; reason: unknown; recordedBy: string; now: Date };
}

export interface RecordAppraisal {
  type: 'RecordAppraisal';
  data: { staffId: string; heldOn: unknown; appraiserId: unknown; recordedBy: string; now: Date };
}

export interface RecordTraining {
  type: 'RecordTraining';
  data: { staffId: string; course: unknown; completedOn: unknown; recordedBy: string; now: Date };
}

export interface RecordDbsCheck {
  type: 'RecordDbsCheck';
  data: { staffId: string; checkedOn: unknown; recordedBy: string; now: Date };
}

export type StaffCommand =
  RegisterStaffMember | RecordStaffMemberLeft | RecordAppraisal | RecordTraining | RecordDbsCheck;
