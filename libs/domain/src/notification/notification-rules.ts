import {
  PACKAGE_OFFER_RECIPIENTS,
  PROVIDER_NOTIFICATION_ACKNOWLEDGERS,
  STAGE_3_REVIEW_RECIPIENTS,
} from '../access/roles';
import type {
  CapabilityReviewRecorded,
  CapabilityStageEntered,
} from '../capability/capability.events';
import type { CarePackageOffered } from '../call-off/call-off.events';
import type { Deadline } from '../deadline/deadline';
import type {
  PackageHandBackNoticeGiven,
  ProviderNotificationLogged,
} from '../provider-notification/provider-notification.events';
import type { DeadlinePassed, DeadlineReminderSent } from '../deadline/deadline.events';
import { londonDateOf } from '../shared/period';
import type { NotifiableEvent, Notification, NotificationKind, RecipientRef } from './notification';

/** The stored event types any rule reads (the reactor skips every other). */
export const NOTIFICATION_SOURCE_EVENT_TYPES = [
  'DeadlineReminderSent',
  'DeadlinePassed',
  'CapabilityStageEntered',
  'CapabilityReviewRecorded',
  'CarePackageOffered',
  'ProviderNotificationLogged',
  'PackageHandBackNoticeGiven',
] as const;

/**
 * What a deadline of each kind is, in words, for the generic rules; a kind not listed (one
 * added later) reads as its name. An overdue action (kind `action`, its `to` the owner's
 * account id) needs nothing more than its line here.
 */
const DEADLINE_IN_WORDS: Readonly<Record<string, string>> = {
  'monthly-return': 'a monthly return',
  'complaint-acknowledgement': "a complaint's acknowledgement",
  'complaint-response': "a complaint's full response",
  supervision: 'a one-to-one supervision',
  appraisal: 'an appraisal',
  'care-certificate': 'the Care Certificate',
  'safeguarding-training': 'safeguarding training',
  'dbs-renewal': 'a DBS check renewal',
  action: 'an action',
  'risk-review': "a risk's review",
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `2026-11-20` → `20 November 2026`. */
export function dateInWords(date: string): string {
  const [year, month, day] = date.split('-');
  return `${Number(day)} ${MONTHS[Number(month) - 1]} ${year}`;
}

/** `2026-10` → `October 2026`. */
export function periodInWords(period: string): string {
  const [year, month] = period.split('-');
  return `${MONTHS[Number(month) - 1]} ${year}`;
}

const londonClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `2026-11-13T14:00:00.000Z` → `14:00 on 13 November 2026` (London time). */
export function londonTimeInWords(instant: string): string {
  const at = new Date(instant);
  return `${londonClock.format(at)} on ${dateInWords(londonDateOf(at))}`;
}

/** The notification of `kind` made from `event`: its id derives from both. */
function notification(
  event: NotifiableEvent,
  kind: NotificationKind,
  fields: Pick<Notification, 'recipients' | 'subject' | 'facts' | 'link'>,
): Notification {
  return {
    notificationId: `${kind}~${event.eventId}`,
    kind,
    tenantId: event.metadata.tenantId,
    sourceEventId: event.eventId,
    occurredAt:
      typeof event.recordedAt === 'string' ? event.recordedAt : event.recordedAt.toISOString(),
    ...fields,
  };
}

type Rule = (event: NotifiableEvent) => Notification | null;

const deadlineFacts = (deadline: Deadline): Record<string, string> => ({
  Service: deadline.serviceId,
  ...(deadline.period ? { Month: periodInWords(deadline.period) } : {}),
  ...(deadline.subjectId !== deadline.serviceId ? { About: deadline.subjectId } : {}),
  'Due on': dateInWords(deadline.dueOn),
});

/** A return's reminder (5 or 1 working days before the 20th) to the regional manager told. */
const returnDueSoon: Rule = (event) => {
  if (event.type !== 'DeadlineReminderSent') return null;
  const { deadline, reminder, to } = (event as unknown as DeadlineReminderSent).data;
  if (deadline.kind !== 'monthly-return' || to === null || deadline.period === null) return null;
  const tenantId = event.metadata.tenantId;
  return notification(event, 'return-due-soon', {
    recipients: [{ kind: 'manager', tenantId, managerId: to }],
    subject: `The ${periodInWords(deadline.period)} return of ${deadline.serviceId} is due by ${dateInWords(deadline.dueOn)}`,
    facts: { ...deadlineFacts(deadline), Reminder: reminder.replaceAll('-', ' ') },
    link: `/app/services/${deadline.serviceId}/returns/${deadline.period}/submit`,
  });
};

/** A return missed: overdue, to the regional manager the deadline names. */
const returnOverdue: Rule = (event) => {
  if (event.type !== 'DeadlinePassed') return null;
  const data = (event as unknown as DeadlinePassed).data;
  const { deadline, to } = data;
  if (data.outcome !== 'missed' || deadline.kind !== 'monthly-return' || to === null) return null;
  if (deadline.period === null) return null;
  return notification(event, 'return-overdue', {
    recipients: [{ kind: 'manager', tenantId: event.metadata.tenantId, managerId: to }],
    subject: `The ${periodInWords(deadline.period)} return of ${deadline.serviceId} is overdue: it was due by ${dateInWords(deadline.dueOn)}`,
    facts: deadlineFacts(deadline),
    link: '/app/returns-due',
  });
};

/** A complaint's full response: its reminder (when one is sent) or its being missed, to the home's manager. */
const complaintResponse: Rule = (event) => {
  if (event.type !== 'DeadlineReminderSent' && event.type !== 'DeadlinePassed') return null;
  const data = (event as unknown as DeadlineReminderSent | DeadlinePassed).data;
  if (data.deadline.kind !== 'complaint-response') return null;
  const missed = event.type === 'DeadlinePassed';
  if (missed && (data as DeadlinePassed['data']).outcome !== 'missed') return null;
  const { deadline } = data;
  return notification(event, missed ? 'complaint-response-overdue' : 'complaint-response-due', {
    recipients: [
      { kind: 'service-manager', tenantId: event.metadata.tenantId, serviceId: deadline.serviceId },
    ],
    subject: missed
      ? `The response to complaint ${deadline.subjectId} at ${deadline.serviceId} is overdue: it was due by ${dateInWords(deadline.dueOn)}`
      : `The response to complaint ${deadline.subjectId} at ${deadline.serviceId} is due by ${dateInWords(deadline.dueOn)}`,
    facts: { ...deadlineFacts(deadline), Complaint: deadline.subjectId },
    link: null,
  });
};

const reviewRecipients = (tenantId: string, regionId: string): RecipientRef[] => [
  ...STAGE_3_REVIEW_RECIPIENTS.map((role) => ({ kind: 'role' as const, tenantId, role })),
  { kind: 'regional-manager', tenantId, regionId },
];

/** Stage 3 entered: a review is due, to HR and the home's regional manager. */
const stage3ReviewDue: Rule = (event) => {
  if (event.type !== 'CapabilityStageEntered') return null;
  const data = (event as unknown as CapabilityStageEntered).data;
  if (data.stage !== 3 || !data.reviewDue) return null;
  return notification(event, 'stage-3-review-due', {
    recipients: reviewRecipients(event.metadata.tenantId, data.regionId),
    subject: `A Stage 3 review is due: manager ${data.managerId} missed ${data.indicatorCode} at ${data.serviceId} ${data.consecutiveMisses} months running`,
    facts: {
      Manager: data.managerId,
      Service: data.serviceId,
      Indicator: data.indicatorCode,
      'Stage 3 entered for': periodInWords(data.period),
    },
    link: `/app/capability/managers/${data.managerId}/timeline`,
  });
};

/** A review found mitigating circumstances: the next review is due when the further period ends. */
const furtherReviewDue: Rule = (event) => {
  if (event.type !== 'CapabilityReviewRecorded') return null;
  const data = (event as unknown as CapabilityReviewRecorded).data;
  if (data.outcome !== 'mitigating-circumstances' || data.nextReviewDue === null) return null;
  return notification(event, 'further-review-due', {
    recipients: reviewRecipients(event.metadata.tenantId, data.regionId),
    subject: `The next Stage 3 review of manager ${data.managerId} is due on ${dateInWords(data.nextReviewDue)}`,
    facts: {
      Manager: data.managerId,
      Service: data.serviceId,
      Indicator: data.indicatorCode,
      'Review held on': dateInWords(data.heldOn),
      'Next review due on': dateInWords(data.nextReviewDue),
    },
    link: `/app/capability/managers/${data.managerId}/timeline`,
  });
};

const OFFER_IN_WORDS: Readonly<Record<CarePackageOffered['data']['round'], string>> = {
  'first-refusal': 'first refusal',
  second: 'second offer',
  all: 'to every provider on the framework',
};

/** A package offered: to each provider offered it (another organisation: its own people). */
const packageOffered: Rule = (event) => {
  if (event.type !== 'CarePackageOffered') return null;
  const { packageId, providers, closesAt, round } = (event as unknown as CarePackageOffered).data;
  const councilId = event.metadata.tenantId;
  return notification(event, 'package-offered', {
    recipients: providers.flatMap((providerId) =>
      PACKAGE_OFFER_RECIPIENTS.map((role) => ({
        kind: 'role' as const,
        tenantId: providerId,
        role,
      })),
    ),
    subject: closesAt
      ? `${councilId} offers you care package ${packageId}: answer by ${londonTimeInWords(closesAt)}`
      : `${councilId} offers care package ${packageId} to every provider on its framework: the first to accept takes it`,
    facts: {
      Council: councilId,
      Package: packageId,
      Offer: OFFER_IN_WORDS[round],
      ...(closesAt ? { 'Answer by': londonTimeInWords(closesAt) } : {}),
    },
    link: null,
  });
};

const PROVIDER_NOTIFICATION_IN_WORDS: Readonly<
  Record<ProviderNotificationLogged['data']['kind'], string>
> = {
  'refused-entry': 'entry refused',
  'hospital-admission': 'a hospital admission',
  'safeguarding-concern': 'a safeguarding concern',
  'missed-call': 'a missed call',
  death: 'a death',
};

const councilRecipients = (councilId: string): RecipientRef[] =>
  PROVIDER_NOTIFICATION_ACKNOWLEDGERS.map((role) => ({ kind: 'role', tenantId: councilId, role }));

/**
 * A provider's notification to the council (§72–73): to those of the council who acknowledge
 * them. What happened and to whom stays in the vault: the email names the kind and the package.
 */
const providerNotified: Rule = (event) => {
  if (event.type !== 'ProviderNotificationLogged') return null;
  const data = (event as unknown as ProviderNotificationLogged).data;
  const councilId = event.metadata.tenantId;
  return notification(event, 'provider-notified', {
    recipients: councilRecipients(councilId),
    subject: `${data.providerId} notifies ${PROVIDER_NOTIFICATION_IN_WORDS[data.kind]} under package ${data.packageId}${data.late ? ' (late)' : ''}`,
    facts: {
      Provider: data.providerId,
      Package: data.packageId,
      What: PROVIDER_NOTIFICATION_IN_WORDS[data.kind],
      Happened: londonTimeInWords(data.occurredAt),
      'Notified at': londonTimeInWords(data.notifiedAt),
    },
    link: `/app/councils/${councilId}/care-frameworks/${data.frameworkId}/notices`,
  });
};

/** A provider's notice that it hands a package back (§51): to the same people. */
const handBackNotice: Rule = (event) => {
  if (event.type !== 'PackageHandBackNoticeGiven') return null;
  const data = (event as unknown as PackageHandBackNoticeGiven).data;
  const councilId = event.metadata.tenantId;
  return notification(event, 'package-hand-back', {
    recipients: councilRecipients(councilId),
    subject: `${data.providerId} hands package ${data.packageId} back at ${londonTimeInWords(data.handBackAt)}`,
    facts: {
      Provider: data.providerId,
      Package: data.packageId,
      'Notice given at': londonTimeInWords(data.noticeGivenAt),
      'Hand back at': londonTimeInWords(data.handBackAt),
    },
    link: `/app/councils/${councilId}/care-frameworks/${data.frameworkId}/notices`,
  });
};

/**
 * Any deadline whose `to` names someone: its reminders and its being missed reach that person
 * (a return's regional manager too, though the rules above reach them first: see
 * {@link notificationsFor}).
 */
const anyDeadline: Rule = (event) => {
  if (event.type !== 'DeadlineReminderSent' && event.type !== 'DeadlinePassed') return null;
  const data = (event as unknown as DeadlineReminderSent | DeadlinePassed).data;
  const missed = event.type === 'DeadlinePassed';
  if (missed && (data as DeadlinePassed['data']).outcome !== 'missed') return null;
  const { deadline, to } = data;
  if (to === null) return null;
  const what = DEADLINE_IN_WORDS[deadline.kind] ?? deadline.kind;
  return notification(event, missed ? 'deadline-missed' : 'deadline-reminder', {
    // An actor written as `user:<account id>` names the same person.
    recipients: [
      { kind: 'person', tenantId: event.metadata.tenantId, personId: to.replace(/^user:/, '') },
    ],
    subject: missed
      ? `Overdue: ${what} (${deadline.subjectId}) was due by ${dateInWords(deadline.dueOn)}`
      : `Reminder: ${what} (${deadline.subjectId}) is due by ${dateInWords(deadline.dueOn)}`,
    facts: { ...deadlineFacts(deadline), What: what },
    link: null,
  });
};

/** The rules, most specific first: who a rule reaches is not reached again by a later one. */
const RULES: readonly Rule[] = [
  returnDueSoon,
  returnOverdue,
  complaintResponse,
  stage3ReviewDue,
  furtherReviewDue,
  packageOffered,
  providerNotified,
  handBackNotice,
  anyDeadline,
];

/**
 * Every notification a stored event makes, one per rule that matches, most specific first.
 * Pure and deterministic: the same event always gives the same notifications with the same
 * ids. When two of them reach one person, that person gets the first only
 * ({@link uniqueDeliveries}): a missed return's regional manager is told "overdue" once, not
 * also "a deadline was missed".
 */
export function notificationsFor(event: NotifiableEvent): Notification[] {
  return RULES.map((rule) => rule(event)).filter((n): n is Notification => n !== null);
}
