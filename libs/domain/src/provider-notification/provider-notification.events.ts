import type { PersonalText } from '../data-subject/personal-data';

/**
 * What a care-at-home provider must tell the council about a package (seed 004 §72–73):
 * - `refused-entry`: the family refused the care worker entry and it was not resolved (§72);
 * - `hospital-admission`: the child or young person or parent/carer admitted to hospital;
 * - `safeguarding-concern`: safeguarding concerns about the child or young person;
 * - `missed-call`: a visit missed, late, void or "no response";
 * - `death`: the child or young person or parent/carer died.
 */
export const PROVIDER_NOTIFICATION_KINDS = [
  'refused-entry',
  'hospital-admission',
  'safeguarding-concern',
  'missed-call',
  'death',
] as const;
export type ProviderNotificationKind = (typeof PROVIDER_NOTIFICATION_KINDS)[number];

/**
 * A provider told the council of something that happened under a package (docs/decisions/0041).
 * `dueBy` is when the contract says the council had to be told (§72: one day after; §73: at
 * once, or by the end of the next working day), worked out with the calendar in force and kept;
 * `late` says whether `notifiedAt` came after it. Who it concerns and what happened can name
 * people: sealed in the personal-data vault under `subjectId` (the service user: a new subject
 * per notification unless the provider names one).
 */
export interface ProviderNotificationLogged {
  type: 'ProviderNotificationLogged';
  data: {
    notificationId: string;
    frameworkId: string;
    packageId: string;
    providerId: string;
    kind: ProviderNotificationKind;
    /** ISO instant: when it happened. */
    occurredAt: string;
    /** ISO instant: when the provider told the council. */
    notifiedAt: string;
    dueBy: string;
    late: boolean;
    subjectId: string;
    serviceUser: PersonalText | null;
    details: PersonalText;
    loggedBy: string;
    loggedAt: string;
  };
}

/** The council has seen the notification. */
export interface ProviderNotificationAcknowledged {
  type: 'ProviderNotificationAcknowledged';
  data: {
    notificationId: string;
    acknowledgedBy: string;
    acknowledgedAt: string;
  };
}

export type ProviderNotificationEvent =
  ProviderNotificationLogged | ProviderNotificationAcknowledged;

/**
 * A provider gave notice that it cannot continue a package (seed 004 §51: "a minimum of 7 days'
 * notice"): the package stays the provider's until `handBackAt`, seven calendar days after the
 * notice, then returns to the council. The reason can name the family: sealed under `subjectId`.
 */
export interface PackageHandBackNoticeGiven {
  type: 'PackageHandBackNoticeGiven';
  data: {
    packageId: string;
    frameworkId: string;
    providerId: string;
    noticeGivenAt: string;
    handBackAt: string;
    subjectId: string;
    reason: PersonalText;
    givenBy: string;
  };
}

export type HandBackEvent = PackageHandBackNoticeGiven;
