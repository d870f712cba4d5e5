import type { NotificationKind, NotificationMode } from '@kpi/domain';
import { FeatureQuery, type Queryable } from '@kpi/projections';
import { emailSha256 } from './mail-sender';

/** What became of a notification's email, as its person sees it. */
export type EmailStatus =
  /** Waiting to be sent (or kept in the pages only, where no SMTP server is set). */
  | 'waiting'
  | 'sent'
  /** Left for the person's daily digest (or in one being sent). */
  | 'in-digest'
  /** Their address bounced: not sent until it changes or the admin clears it. */
  | 'held'
  | 'not-sent';

/** One notification in a person's list. */
export interface InboxNotification {
  notificationId: string;
  kind: NotificationKind;
  subject: string;
  facts: Record<string, string>;
  link: string | null;
  /** When what it tells of happened (ISO-8601). */
  occurredAt: string;
  read: boolean;
  email: { status: EmailStatus; sentAt: string | null };
}

/** A person's notifications, newest first, with how many are unread and how they are emailed. */
export interface Inbox {
  unread: number;
  mode: NotificationMode;
  notifications: InboxNotification[];
}

/** How many of a person's notifications a list shows, newest first. */
export const INBOX_SIZE = 100;

/** The signed-in person's notifications (their account in their organisation). */
export class ReadMyNotifications extends FeatureQuery<
  { accountId: string; limit: number },
  Inbox
> {}

const EMAIL_STATUS: Readonly<Record<string, EmailStatus>> = {
  pending: 'waiting',
  sent: 'sent',
  digest: 'in-digest',
  held: 'held',
  'not-sent': 'not-sent',
};

/** Answers ReadMyNotifications from the delivery rows: the newest `limit`. */
export async function readMyNotifications(
  db: Queryable,
  tenantId: string,
  { accountId, limit }: { accountId: string; limit: number },
): Promise<Inbox> {
  const { rows } = await db.query<{
    notification_id: string;
    kind: NotificationKind;
    subject: string;
    facts: Record<string, string>;
    link: string | null;
    occurred_at: Date;
    read_at: Date | null;
    status: string;
    digest_day: string | null;
    sent_at: Date | null;
  }>(
    `SELECT notification_id, kind, subject, facts, link, occurred_at, read_at, status,
            digest_day::text, sent_at
       FROM notification_deliveries
      WHERE tenant_id = $1 AND account_id = $2
      ORDER BY occurred_at DESC, notification_id DESC
      LIMIT $3`,
    [tenantId, accountId, limit],
  );
  const { rows: counts } = await db.query<{ unread: number; mode: NotificationMode | null }>(
    `SELECT (SELECT count(*)::int FROM notification_deliveries
              WHERE tenant_id = $1 AND account_id = $2 AND read_at IS NULL) AS unread,
            (SELECT mode FROM notification_preferences
              WHERE tenant_id = $1 AND account_id = $2) AS mode`,
    [tenantId, accountId],
  );
  return {
    unread: counts[0]?.unread ?? 0,
    mode: counts[0]?.mode ?? 'immediate',
    notifications: rows.map((row) => ({
      notificationId: row.notification_id,
      kind: row.kind,
      subject: row.subject,
      facts: row.facts,
      link: row.link,
      occurredAt: row.occurred_at.toISOString(),
      read: row.read_at !== null,
      email: {
        status:
          row.status === 'sending'
            ? row.digest_day
              ? 'in-digest'
              : 'waiting'
            : (EMAIL_STATUS[row.status] ?? 'waiting'),
        sentAt: row.sent_at?.toISOString() ?? null,
      },
    })),
  };
}

/** How many of the signed-in person's notifications are unread (the pages' menu shows it). */
export class CountUnreadNotifications extends FeatureQuery<{ accountId: string }, number> {}

/** Answers CountUnreadNotifications: one indexed count. */
export async function countUnreadNotifications(
  db: Queryable,
  tenantId: string,
  { accountId }: { accountId: string },
): Promise<number> {
  const { rows } = await db.query<{ unread: number }>(
    `SELECT count(*)::int AS unread FROM notification_deliveries
      WHERE tenant_id = $1 AND account_id = $2 AND read_at IS NULL`,
    [tenantId, accountId],
  );
  return rows[0]?.unread ?? 0;
}

/** An address mail to which was refused for good, as the admin sees it. */
export interface Bounce {
  accountId: string;
  email: string;
  smtpCode: number;
  /** The server's words (the address itself left out). */
  smtpResponse: string;
  bouncedAt: string;
  /** Notifications not emailed since (kept in the person's page). */
  held: number;
}

/** The organisation's bounced addresses: what its admins see and may clear. */
export class ListBounces extends FeatureQuery<Record<string, never>, Bounce[]> {}

/**
 * Answers ListBounces: the bounces of the accounts' present addresses (a bounce of an address
 * since changed, or erased, no longer holds anything and is not listed).
 */
export async function listBounces(db: Queryable, tenantId: string): Promise<Bounce[]> {
  const { rows } = await db.query<{
    account_id: string;
    email: string;
    email_sha256: string;
    smtp_code: number;
    smtp_response: string;
    bounced_at: Date;
    held: number;
  }>(
    `SELECT b.account_id, a.email, b.email_sha256, b.smtp_code, b.smtp_response, b.bounced_at,
            (SELECT count(*)::int FROM notification_deliveries d
              WHERE d.tenant_id = b.tenant_id AND d.account_id = b.account_id
                AND d.status = 'held') AS held
       FROM notification_bounces b
       JOIN accounts a USING (tenant_id, account_id)
      WHERE b.tenant_id = $1 AND a.status <> 'removed'
      ORDER BY b.bounced_at DESC`,
    [tenantId],
  );
  return rows
    .filter((row) => row.email_sha256 === emailSha256(row.email))
    .map((row) => ({
      accountId: row.account_id,
      email: row.email,
      smtpCode: row.smtp_code,
      smtpResponse: row.smtp_response,
      bouncedAt: row.bounced_at.toISOString(),
      held: row.held,
    }));
}
