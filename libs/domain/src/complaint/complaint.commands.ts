/**
 * The complaint commands. Ids and the service are checked by the use case (the service must be
 * one of the tenant's); the due dates are worked out by it with the calendar in force.
 */
export interface LogComplaint {
  type: 'LogComplaint';
  data: {
    complaintId: string;
    serviceId: string;
    /** Checked as a date by the use case (the due dates count from it); the decider checks the rest. */
    receivedOn: string;
    category: unknown;
    /** The text, checked here; sealed into the vault by the use case before it is stored. */
    summary: unknown;
    /** `{ subjectId?, relationship?, name?, contact? }`, or nothing for an anonymous complaint. */
    complainant: unknown;
    /** The complainant's data subject id when the request names none (new per complaint). */
    newSubjectId: string;
    acknowledgementDueOn: string;
    responseDueOn: string;
    loggedBy: string;
    now: Date;
  };
}

export interface AcknowledgeComplaint {
  type: 'AcknowledgeComplaint';
  data: { complaintId: string; acknowledgedOn: unknown; acknowledgedBy: string; now: Date };
}

export interface RespondToComplaint {
  type: 'RespondToComplaint';
  data: {
    complaintId: string;
    respondedOn: unknown;
    /** The text, checked here; sealed into the vault by the use case before it is stored. */
    summary: unknown;
    escalationRoute: unknown;
    upheld: unknown;
    respondedBy: string;
    now: Date;
  };
}

export type ComplaintCommand = LogComplaint | AcknowledgeComplaint | RespondToComplaint;

export interface LogCompliment {
  type: 'LogCompliment';
  data: {
    complimentId: string;
    serviceId: string;
    receivedOn: unknown;
    /** The text, checked here; sealed into the vault by the use case before it is stored. */
    summary: unknown;
    /** The data subject to seal the summary under, when the request names one. */
    subjectId: unknown;
    /** The data subject when the request names none (new per compliment). */
    newSubjectId: string;
    loggedBy: string;
    now: Date;
  };
}

export type ComplimentCommand = LogCompliment;
