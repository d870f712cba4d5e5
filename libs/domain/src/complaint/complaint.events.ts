import type { PersonalText } from '../data-subject/personal-data';

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
 * Who complained. Their name and contact details are personal data: the event holds them
 * sealed (docs/audit-trail.md#personal-data-and-erasure), under the complainant's key, so
 * erasing the complainant makes them unreadable without touching the trail. Events of schema
 * version 1 hold only the relationship (upcast with no subject, name or contact).
 */
export interface Complainant {
  /**
   * The complainant as a data subject: the complaint's summary, their name and contact and the
   * response are sealed under their key. Null in events logged before personal data was kept
   * apart (schema version 1).
   */
  subjectId: string | null;
  /** To the person cared for: `parent`, `social worker`, `the young person`. */
  relationship: string | null;
  name: PersonalText | null;
  /** How to reach them: an address, a phone number, an email address. */
  contact: PersonalText | null;
}

/**
 * A complaint received by a service (docs/rules/complaints.md). The due dates are worked out
 * when it is logged, with the bank-holiday calendar then in force, and kept: a holiday added
 * later does not move a deadline already set. `acknowledgementDueOn` is the next working day
 * ("acknowledged on receipt": by the end of the next working day, decision 0012);
 * `responseDueOn` the 15th working day after receipt.
 *
 * Schema version 2 holds the summary and the complainant's name and contact sealed; version 1
 * held the summary as text (still read as it was) and no name or contact.
 */
export interface ComplaintLogged {
  type: 'ComplaintLogged';
  data: {
    complaintId: string;
    serviceId: string;
    /** `YYYY-MM-DD`: when the service received it (the deadlines count from here). */
    receivedOn: string;
    category: ComplaintCategory;
    summary: PersonalText;
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

/**
 * The full response, which must tell the complainant how to escalate if not satisfied. From
 * schema version 2 its summary is sealed under the complainant's key (version 1 held the text).
 */
export interface ComplaintResponded {
  type: 'ComplaintResponded';
  data: {
    complaintId: string;
    respondedOn: string;
    summary: PersonalText;
    /** Where the complainant can take it next, e.g. the Local Government and Social Care Ombudsman. */
    escalationRoute: string;
    upheld: ComplaintFinding;
    respondedBy: string;
    recordedAt: string;
  };
}

export type ComplaintEvent = ComplaintLogged | ComplaintAcknowledged | ComplaintResponded;

/**
 * A compliment received by a service: logged too, and counted beside complaints. Its summary
 * can name people (who was thanked, who thanked them): from schema version 2 it is sealed in
 * the personal-data vault under `subjectId`, a data subject of its own unless the request named
 * one. Version 1 held the text (read as it was) and no subject.
 */
export interface ComplimentLogged {
  type: 'ComplimentLogged';
  data: {
    complimentId: string;
    serviceId: string;
    receivedOn: string;
    /** Null in events logged before personal data was kept apart (schema version 1). */
    subjectId: string | null;
    summary: PersonalText;
    loggedBy: string;
    loggedAt: string;
  };
}

export type ComplimentEvent = ComplimentLogged;

/** The fields of a complaint stored at schema version 1, before personal data was kept apart. */
interface ComplaintLoggedV1 {
  complainant: { relationship: string | null };
}

/**
 * Upcasters of the complaint and compliment events (libs/event-store EventTypeRegistry): stored events are
 * never rewritten, so a version-1 complaint keeps its summary as text; it is read with no data
 * subject, name or contact. A version-1 response has the same shape, its summary text.
 */
export const COMPLAINT_UPCASTERS = {
  ComplaintLogged: {
    1: (data: unknown): unknown => {
      const v1 = data as ComplaintLoggedV1 & Record<string, unknown>;
      return {
        ...v1,
        complainant: {
          subjectId: null,
          relationship: v1.complainant.relationship,
          name: null,
          contact: null,
        },
      };
    },
  },
  ComplaintResponded: { 1: (data: unknown): unknown => data },
  /** A version-1 compliment keeps its summary as text, with no data subject. */
  ComplimentLogged: {
    1: (data: unknown): unknown => ({ ...(data as Record<string, unknown>), subjectId: null }),
  },
} as const;
