/**
 * What a complaint is about. Chosen to match how councils ask providers to report complaints
 * (docs/rules/complaints.md) and how inspectors read them; `safeguarding` complaints are also
 * referred under the safeguarding procedure, which this does not replace.
 *
 * - `care-and-support`: the care or support given (plans not followed, quality, dignity)
 * - `staff-conduct`: how a member of staff behaved
 * - `communication`: not told, not listened to, not called back
 * - `missed-or-late-visit`: care at home: a visit missed, late or cut short
 * - `medication`: medicines given wrongly, late or not at all
 * - `safeguarding`: a concern about abuse or neglect
 * - `fees-and-charges`: invoices, charges, contributions
 * - `other`
 */
export const COMPLAINT_CATEGORIES = [
  'care-and-support',
  'staff-conduct',
  'communication',
  'missed-or-late-visit',
  'medication',
  'safeguarding',
  'fees-and-charges',
  'other',
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

/** How the response decided the complaint. */
export const COMPLAINT_FINDINGS = ['upheld', 'partly-upheld', 'not-upheld'] as const;
export type ComplaintFinding = (typeof COMPLAINT_FINDINGS)[number];

/**
 * Who complained, without personal details: names and contact details are kept apart from
 * events so they can be erased without breaking the trail (docs/rules/audit-trail.md); the event
 * log holds only the complainant's relationship to the person cared for.
 */
export interface Complainant {
  /** To the person cared for: `parent`, `social worker`, `the young person`. */
  relationship: string | null;
}

/**
 * A complaint received by a service (docs/rules/complaints.md). The due dates are worked out
 * when it is logged, with the bank-holiday calendar then in force, and kept: a holiday added
 * later does not move a deadline already set. `acknowledgementDueOn` is the next working day
 * ("acknowledged on receipt": by the end of the next working day, decision 0012);
 * `responseDueOn` the 15th working day after receipt.
 */
export interface ComplaintLogged {
  type: 'ComplaintLogged';
  data: {
    complaintId: string;
    serviceId: string;
    /** `YYYY-MM-DD`: when the service received it (the deadlines count from here). */
    receivedOn: string;
    category: ComplaintCategory;
    summary: string;
    complainant: Complainant;
    acknowledgementDueOn: string;
    responseDueOn: string;
    loggedBy: string;
    loggedAt: string;
  };
}

export interface ComplaintAcknowledged {
  type: 'ComplaintAcknowledged';
  data: {
    complaintId: string;
    acknowledgedOn: string;
    acknowledgedBy: string;
    recordedAt: string;
  };
}

/** The full response, which must tell the complainant how to escalate if not satisfied. */
export interface ComplaintResponded {
  type: 'ComplaintResponded';
  data: {
    complaintId: string;
    respondedOn: string;
    summary: string;
    /** Where the complainant can take it next, e.g. the Local Government and Social Care Ombudsman. */
    escalationRoute: string;
    upheld: ComplaintFinding;
    respondedBy: string;
    recordedAt: string;
  };
}

export type ComplaintEvent = ComplaintLogged | ComplaintAcknowledged | ComplaintResponded;

/** A compliment received by a service: logged too, and counted beside complaints. */
export interface ComplimentLogged {
  type: 'ComplimentLogged';
  data: {
    complimentId: string;
    serviceId: string;
    receivedOn: string;
    summary: string;
    loggedBy: string;
    loggedAt: string;
  };
}

export type ComplimentEvent = ComplimentLogged;
