import { retryFailedJobs } from '@kpi/scheduling';
import type { Queue } from 'bullmq';
import type { Pool } from 'pg';
import { deliveryJob, digestJob, type NotificationJobData } from './notification-jobs';

const REQUEUE_CHUNK = 1_000;

/**
 * Queues again every email not sent yet, from the delivery rows, for a Redis that lost its data:
 * each `pending` delivery (and one claimed by an attempt that never finished), and each digest
 * begun and not sent. The job ids are the rows' keys, so jobs still in Redis are left as they are,
 * and a row sent meanwhile is not sent again (deliverNotification, sendDigest).
 */
export async function requeueNotifications(
  pool: Pool,
  queue: Queue<NotificationJobData>,
  options: { now?: Date; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ deliveries: number; digests: number }> {
  const now = options.now ?? new Date();
  const { rows: deliveries } = await pool.query<{
    tenant_id: string;
    account_id: string;
    notification_id: string;
  }>(
    `SELECT tenant_id, account_id, notification_id FROM notification_deliveries
      WHERE status = 'pending' OR (status = 'sending' AND digest_day IS NULL)
      ORDER BY created_at, notification_id`,
  );
  const { rows: digests } = await pool.query<{
    tenant_id: string;
    account_id: string;
    digest_day: string;
  }>(
    `SELECT tenant_id, account_id, digest_day::text FROM notification_digests
      WHERE status = 'sending' ORDER BY digest_day, account_id`,
  );
  const jobs = [
    ...deliveries.map((row) =>
      deliveryJob(
        {
          tenantId: row.tenant_id,
          accountId: row.account_id,
          notificationId: row.notification_id,
        },
        now,
      ),
    ),
    ...digests.map((row) =>
      digestJob(
        { tenantId: row.tenant_id, accountId: row.account_id, digestDay: row.digest_day },
        now,
      ),
    ),
  ];
  for (let start = 0; start < jobs.length; start += REQUEUE_CHUNK) {
    await queue.addBulk(jobs.slice(start, start + REQUEUE_CHUNK));
    options.onProgress?.(Math.min(start + REQUEUE_CHUNK, jobs.length), jobs.length);
  }
  return { deliveries: deliveries.length, digests: digests.length };
}

/** Puts every failed notification job back to run (after an operator mended the cause). */
export function retryFailedNotificationJobs(
  queue: Queue<NotificationJobData>,
): Promise<{ jobs: number }> {
  return retryFailedJobs(queue);
}
