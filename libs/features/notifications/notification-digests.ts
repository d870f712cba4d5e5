import { londonDateOf } from '@kpi/domain';
import type { Queue } from 'bullmq';
import type { Pool } from 'pg';
import {
  recordBounce,
  recipientOnRecord,
  MailServerUnavailableError,
  DeliveryDeferredError,
} from './notification-delivery';
import { digestEmail, type EmailLinks } from './notification-email';
import { digestJob, type DigestKey, type NotificationJobData } from './notification-jobs';
import { stableMessageId, type MailSender } from './mail-sender';

/** When the digest goes: 07:00 every day, Europe/London (a BullMQ job scheduler's cron). */
export const DIGEST_SCHEDULE = { pattern: '0 7 * * *', tz: 'Europe/London' } as const;

/**
 * The daily run: one digest job per person with notifications left for the digest. The job id
 * is the person and the London day, so a run repeated the same day queues nothing new.
 */
export async function planDigests(
  pool: Pool,
  queue: Queue<NotificationJobData>,
  now: Date,
): Promise<{ digests: number }> {
  const { rows } = await pool.query<{ tenant_id: string; account_id: string }>(
    `SELECT DISTINCT tenant_id, account_id FROM notification_deliveries
      WHERE status = 'digest' AND created_at <= $1`,
    [now],
  );
  const digestDay = londonDateOf(now);
  if (rows.length > 0) {
    await queue.addBulk(
      rows.map((row) =>
        digestJob({ tenantId: row.tenant_id, accountId: row.account_id, digestDay }, now),
      ),
    );
  }
  return { digests: rows.length };
}

export type DigestResult = 'sent' | 'already-sent' | 'held' | 'not-sent' | 'nothing-to-do';

/**
 * Emails a person's digest of a day, once: the first attempt gathers every notification left
 * for the digest into the digest's row (and marks them as in it), so a retry sends the same
 * list with the same Message-ID, and a notification is in one digest only. Sent: every row in
 * it is marked sent. The window is the single email's: a crash after the server accepted it
 * and before the mark sends it again, recognisably.
 */
export async function sendDigest(
  pool: Pool,
  mail: MailSender,
  links: EmailLinks,
  key: DigestKey,
  now: Date,
): Promise<DigestResult> {
  const digest = await gatherDigest(pool, mail, key, now);
  if (digest === null) return 'nothing-to-do';
  if (digest.status === 'sent') return 'already-sent';
  if (digest.status !== 'sending') return 'nothing-to-do';
  const settle = async (status: 'sent' | 'held' | 'not-sent', error: string | null) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `UPDATE notification_digests SET status = $4, last_error = $5,
                sent_at = CASE WHEN $4 = 'sent' THEN $6::timestamptz END
          WHERE tenant_id = $1 AND account_id = $2 AND digest_day = $3`,
        [key.tenantId, key.accountId, key.digestDay, status, error, now],
      );
      await client.query(
        `UPDATE notification_deliveries
            SET status = $4, last_error = $5, claimed_at = NULL,
                sent_at = CASE WHEN $4 = 'sent' THEN $6::timestamptz END,
                message_id = CASE WHEN $4 = 'sent' THEN $7 END
          WHERE tenant_id = $1 AND account_id = $2 AND digest_day = $3 AND status = 'sending'`,
        [key.tenantId, key.accountId, key.digestDay, status, error, now, digest.messageId],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  };
  const recipient = await recipientOnRecord(pool, key.tenantId, key.accountId);
  if (!recipient || !recipient.active) {
    await settle('not-sent', 'the account has no access');
    return 'not-sent';
  }
  if (recipient.bounced) {
    await settle('held', 'the address bounced');
    return 'held';
  }
  await pool.query(
    `UPDATE notification_digests SET attempts = attempts + 1
      WHERE tenant_id = $1 AND account_id = $2 AND digest_day = $3`,
    [key.tenantId, key.accountId, key.digestDay],
  );
  const outcome = await mail.send({
    to: recipient.email,
    messageId: digest.messageId,
    ...digestEmail(digest.notifications, key.digestDay, links),
  });
  switch (outcome.kind) {
    case 'sent':
      await settle('sent', null);
      return 'sent';
    case 'rejected':
      await recordBounce(pool, key.tenantId, key.accountId, recipient.email, outcome, now);
      await settle('held', `${outcome.code} ${outcome.response}`);
      return 'held';
    case 'deferred':
      throw new DeliveryDeferredError(`Deferred by the SMTP server: ${outcome.response}`);
    case 'unavailable':
      throw new MailServerUnavailableError(outcome.response);
  }
}

interface GatheredDigest {
  status: string;
  messageId: string;
  notifications: { subject: string; facts: Record<string, string>; link: string | null }[];
}

/**
 * The digest's row, made on the first attempt from the rows left for the digest (which then
 * belong to it: status `sending`, their digest day set); null when there was nothing to send.
 */
async function gatherDigest(
  pool: Pool,
  mail: MailSender,
  key: DigestKey,
  now: Date,
): Promise<GatheredDigest | null> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const params = [key.tenantId, key.accountId, key.digestDay];
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `notification-digest:${params.join(':')}`,
    ]);
    let { rows } = await client.query<{
      status: string;
      message_id: string;
      notification_ids: string[];
    }>(
      `SELECT status, message_id, notification_ids FROM notification_digests
        WHERE tenant_id = $1 AND account_id = $2 AND digest_day = $3`,
      params,
    );
    if (rows.length === 0) {
      const { rows: waiting } = await client.query<{ notification_id: string }>(
        `UPDATE notification_deliveries SET status = 'sending', digest_day = $3, claimed_at = $4
          WHERE tenant_id = $1 AND account_id = $2 AND status = 'digest' AND created_at <= $4
          RETURNING notification_id`,
        [...params, now],
      );
      if (waiting.length === 0) {
        await client.query('COMMIT');
        return null;
      }
      const messageId = stableMessageId(mail.from, 'digest', ...params);
      const ids = waiting.map((row) => row.notification_id);
      await client.query(
        `INSERT INTO notification_digests (tenant_id, account_id, digest_day, notification_ids, message_id, status)
         VALUES ($1, $2, $3, $4, $5, 'sending')`,
        [...params, ids, messageId],
      );
      rows = [{ status: 'sending', message_id: messageId, notification_ids: ids }];
    }
    const digest = rows[0]!;
    const { rows: notifications } = await client.query<{
      subject: string;
      facts: Record<string, string>;
      link: string | null;
    }>(
      `SELECT subject, facts, link FROM notification_deliveries
        WHERE tenant_id = $1 AND account_id = $2 AND notification_id = ANY ($3)
        ORDER BY occurred_at, notification_id`,
      [key.tenantId, key.accountId, digest.notification_ids],
    );
    await client.query('COMMIT');
    return { status: digest.status, messageId: digest.message_id, notifications };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
