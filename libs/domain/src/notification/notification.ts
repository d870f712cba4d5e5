import type { Role } from '../access/roles';

/**
 * Notifications that reach people (docs/decisions/0036-notifications.md): what a stored event
 * tells someone, and to whom. The rules that make them are pure (`notification-rules.ts`); the
 * notifications feature resolves the recipients to accounts, keeps one delivery per
 * notification and person, and sends it by email, at once or in a daily digest.
 */

export const NOTIFICATION_KINDS = [
  /** A month's return is due soon (its regional manager's reminder, 5 or 1 working days before). */
  'return-due-soon',
  /** A month's return was not in by the 20th: overdue, to the regional manager. */
  'return-overdue',
  /** A manager entered Stage 3: a review is due (HR and the region's regional manager). */
  'stage-3-review-due',
  /** A Stage 3 review set a further review period: the next review is due at its end. */
  'further-review-due',
  /** A complaint's full response is due soon (a reminder before it). */
  'complaint-response-due',
  /** A complaint's full response was not sent within 15 working days. */
  'complaint-response-overdue',
  /** A council offered a care-at-home package to the provider. */
  'package-offered',
  /** A provider notified the council (§72–73): refused entry, hospital, safeguarding, missed call, death. */
  'provider-notified',
  /** A provider gave notice that it hands a package back (§51). */
  'package-hand-back',
  /** Any other deadline's reminder that names who is told (an action's owner, …). */
  'deadline-reminder',
  /** Any other deadline missed that names who is told (an action overdue, …). */
  'deadline-missed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Who a notification is for, as the event names them; the notifications feature resolves each
 * to the active accounts it means (removed and erased accounts receive nothing).
 */
export type RecipientRef =
  /** An account id (`acc-…`): the person as they sign in. */
  | { kind: 'account'; tenantId: string; accountId: string }
  /** A manager id (`rm-gwen`, `mgr-home-02`): the accounts linked to that manager. */
  | { kind: 'manager'; tenantId: string; managerId: string }
  /**
   * A person named by a deadline's `to`, which may be either an account id (an action's owner)
   * or a manager id (a return's regional manager): the accounts that are, or are linked to, it.
   */
  | { kind: 'person'; tenantId: string; personId: string }
  /** Everyone in the organisation with the role. */
  | { kind: 'role'; tenantId: string; role: Role }
  /** The regional manager of a region as the organisation has it now (rm_regions). */
  | { kind: 'regional-manager'; tenantId: string; regionId: string }
  /** The manager appointed to a service now (rm_services). */
  | { kind: 'service-manager'; tenantId: string; serviceId: string };

/** One thing to tell people, made from one stored event by one rule. */
export interface Notification {
  /**
   * `<kind>~<event id>`: derived from the rule and the event, so the same event read again (a
   * replay, a retried batch) gives the same id, and a person is told once.
   */
  notificationId: string;
  kind: NotificationKind;
  /** The organisation where it happened (a package offer: the council's). */
  tenantId: string;
  /** The stored event it was made from. */
  sourceEventId: string;
  /** When that event was recorded (ISO-8601). */
  occurredAt: string;
  recipients: RecipientRef[];
  /** The email's subject and the inbox's headline: one sentence, no personal details. */
  subject: string;
  /** What it is about, as label → value (ids, months, dates): listed in the email and the page. */
  facts: Record<string, string>;
  /** Where to act, a path of the web pages (`/app/returns-due`); null when no page shows it. */
  link: string | null;
}

/** What a rule reads of a stored event (libs/event-store RecordedEvent fits). */
export interface NotifiableEvent {
  eventId: string;
  type: string;
  data: unknown;
  metadata: { tenantId: string };
  recordedAt: Date | string;
}

/**
 * Notifications are news: an event recorded more than this long before the reactor reads it
 * (the history, when notifications are first switched on over an existing log; a worker down
 * for longer) tells nobody — no page entry, no email about a return missed a year ago.
 */
export const NOTIFICATION_MAX_AGE_DAYS = 7;

/** Whether an event recorded at `recordedAt` is still news at `now` (see NOTIFICATION_MAX_AGE_DAYS). */
export function isStillNews(recordedAt: Date | string, now: Date): boolean {
  const recorded = typeof recordedAt === 'string' ? new Date(recordedAt) : recordedAt;
  return now.getTime() - recorded.getTime() <= NOTIFICATION_MAX_AGE_DAYS * 24 * 3600_000;
}

/** How a person wants their email: each notification at once, or one digest a day (07:00 London). */
export const NOTIFICATION_MODES = ['immediate', 'daily-digest'] as const;
export type NotificationMode = (typeof NOTIFICATION_MODES)[number];

export function isNotificationMode(value: unknown): value is NotificationMode {
  return typeof value === 'string' && (NOTIFICATION_MODES as readonly string[]).includes(value);
}

/** One notification for one account: what the delivery table keeps a row of. */
export interface Delivery {
  notification: Notification;
  recipientTenantId: string;
  accountId: string;
}

/**
 * The deliveries of a batch's notifications, once each per event and person: when two rules of
 * one event (or two recipient references of one notification) reach the same account, the
 * first — the rules are ordered most specific first — is the one they get; a notification
 * listed twice (the same event read twice) gives its deliveries once.
 */
export function uniqueDeliveries(
  notifications: readonly Notification[],
  accountsOf: (ref: RecipientRef) => readonly { tenantId: string; accountId: string }[],
): Delivery[] {
  const seen = new Set<string>();
  const deliveries: Delivery[] = [];
  for (const notification of notifications) {
    for (const ref of notification.recipients) {
      for (const account of accountsOf(ref)) {
        const key = JSON.stringify([
          notification.sourceEventId,
          account.tenantId,
          account.accountId,
        ]);
        if (seen.has(key)) continue;
        seen.add(key);
        deliveries.push({
          notification,
          recipientTenantId: account.tenantId,
          accountId: account.accountId,
        });
      }
    }
  }
  return deliveries;
}
