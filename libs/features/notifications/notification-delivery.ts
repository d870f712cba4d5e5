import type { Pool } from 'pg';
import { emailSha256, stableMessageId, type MailSender, type SendOutcome } from './mail-sender';
import type { DeliveryKey } from './notification-jobs';
import { notificationEmail, type EmailLinks } from './notification-email';

/** The server is away: the processor stops taking jobs for a while (none of them counts a try). */
export class MailServerUnavailableError extends Error {
  constructor(readonly response: string) {
    super(`The SMTP server is not available: ${response}`);
    this.name = 'MailServerUnavailableError';
  }
}

/** Not sent this time; tried again later with backoff (a 4xx, a row not yet committed). */
export class DeliveryDeferredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryDeferredError';
  }
}

/**
 * How long a delivery stays claimed (`sending`) before another attempt may take it over: an
 * attempt that crashed between the claim and the mark. Longer than any send may take.
 */
export const CLAIM_TIMEOUT_MS = 2 * 60_000;

export type DeliveryResult =
  | 'sent'
  /** Sent already (a job run twice): nothing sent again. */
  | 'already-sent'
  /** The person chose the daily digest: left for it. */
  | 'left-for-digest'
  /** Their address bounced: held, shown in the page only. */
  | 'held'
  /** Their access was removed (or they were erased) meanwhile: not sent. */
  | 'not-sent'
  /** The row is digest, held or not-sent already. */
  | 'nothing-to-do';

export interface RecipientOnRecord {
  email: string;
  active: boolean;
  mode: 'immediate' | 'daily-digest';
  bounced: boolean;
}

/** The recipient's address, standing, choice of mode, and whether that address bounced. */
export async function recipientOnRecord(
  pool: Pool,
  tenantId: string,
  accountId: string,
): Promise<RecipientOnRecord | null> {
  const { rows } = await pool.query<{ email: string; status: string; mode: string | null }>(
    `SELECT a.email, a.status, p.mode
       FROM accounts a
       LEFT JOIN notification_preferences p USING (tenant_id, account_id)
      WHERE a.tenant_id = $1 AND a.account_id = $2`,
    [tenantId, accountId],
  );
  const row = rows[0];
  if (!row) return null;
  const { rows: bounces } = await pool.query(
    `SELECT 1 FROM notification_bounces
      WHERE tenant_id = $1 AND account_id = $2 AND email_sha256 = $3`,
    [tenantId, accountId, emailSha256(row.email)],
  );
  return {
    email: row.email,
    active: row.status === 'active',
    mode: row.mode === 'daily-digest' ? 'daily-digest' : 'immediate',
    bounced: bounces.length > 0,
  };
}

/** Records that mail to the account's present address was refused for good. */
export async function recordBounce(
  pool: Pool,
  tenantId: string,
  accountId: string,
  email: string,
  outcome: Extract<SendOutcome, { kind: 'rejected' }>,
  now: Date,
): Promise<void> {
  await pool.query(
    `INSERT INTO notification_bounces (tenant_id, account_id, email_sha256, smtp_code, smtp_response, bounced_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [
      tenantId,
      accountId,
      emailSha256(email),
      outcome.code,
      // The server's words may quote the address: kept without it.
      outcome.response.replaceAll(email, '<address>'),
      now,
    ],
  );
}

/**
 * Emails one delivery, once (docs/decisions/0036): claims the row (`pending` → `sending`, or a
 * `sending` whose attempt crashed), then, unless the person chose the digest, was removed, or
 * their address bounces, sends it with its stable Message-ID and marks it `sent`. A row already
 * sent is never sent again. The one window left: a crash after the server accepted the mail and
 * before the mark — the retried job sends it again, with the same Message-ID.
 */
export async function deliverNotification(
  pool: Pool,
  mail: MailSender,
  links: EmailLinks,
  key: DeliveryKey,
  now: Date,
): Promise<DeliveryResult> {
  const where = 'tenant_id = $1 AND account_id = $2 AND notification_id = $3';
  const params = [key.tenantId, key.accountId, key.notificationId];
  const { rows } = await pool.query<{
    subject: string;
    facts: Record<string, string>;
    link: string | null;
  }>(
    `UPDATE notification_deliveries
        SET status = 'sending', claimed_at = $4, attempts = attempts + 1
      WHERE ${where}
        AND (status = 'pending'
             OR (status = 'sending' AND claimed_at < $5 AND digest_day IS NULL))
      RETURNING subject, facts, link`,
    [...params, now, new Date(now.getTime() - CLAIM_TIMEOUT_MS)],
  );
  const row = rows[0];
  if (!row) return afterNoClaim(pool, where, params);
  const settle = (status: string, extra = '', values: unknown[] = []) =>
    pool.query(
      `UPDATE notification_deliveries SET status = '${status}', claimed_at = NULL${extra}
        WHERE ${where}`,
      [...params, ...values],
    );
  const recipient = await recipientOnRecord(pool, key.tenantId, key.accountId);
  if (!recipient || !recipient.active) {
    await settle('not-sent', ', last_error = $4', ['the account has no access']);
    return 'not-sent';
  }
  if (recipient.mode === 'daily-digest') {
    await settle('digest');
    return 'left-for-digest';
  }
  if (recipient.bounced) {
    await settle('held', ', last_error = $4', ['the address bounced']);
    return 'held';
  }
  const messageId = stableMessageId(mail.from, 'delivery', ...params);
  const outcome = await mail.send({
    to: recipient.email,
    messageId,
    ...notificationEmail(row, links),
  });
  switch (outcome.kind) {
    case 'sent':
      await settle('sent', ', sent_at = $4, message_id = $5, last_error = NULL', [now, messageId]);
      return 'sent';
    case 'rejected':
      await recordBounce(pool, key.tenantId, key.accountId, recipient.email, outcome, now);
      await settle('held', ', last_error = $4', [`${outcome.code} ${outcome.response}`]);
      return 'held';
    case 'deferred':
      await settle('pending', ', last_error = $4', [`${outcome.code ?? ''} ${outcome.response}`]);
      throw new DeliveryDeferredError(`Deferred by the SMTP server: ${outcome.response}`);
    case 'unavailable':
      await settle('pending', ', last_error = $4', [outcome.response]);
      throw new MailServerUnavailableError(outcome.response);
  }
}

/**
 * No claim: sent (or settled) already, claimed by a live attempt, or not committed yet — the
 * reactor enqueues inside its transaction, so a job can run before its row is visible, or
 * become visible between the claim and this look: both are tried again.
 */
async function afterNoClaim(pool: Pool, where: string, params: unknown[]): Promise<DeliveryResult> {
  const { rows } = await pool.query<{ status: string; digest_day: string | null }>(
    `SELECT status, digest_day FROM notification_deliveries WHERE ${where}`,
    params,
  );
  const status = rows[0]?.status;
  // Not there, or there only now: the claim ran before the reactor's transaction committed.
  if (status === undefined || status === 'pending')
    throw new DeliveryDeferredError('The delivery was not committed yet when claimed');
  // In a digest being sent: the digest's job sends it.
  if (status === 'sending' && rows[0]!.digest_day === null)
    throw new DeliveryDeferredError('Another attempt is sending this delivery');
  return status === 'sent' ? 'already-sent' : 'nothing-to-do';
}
