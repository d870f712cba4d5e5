import {
  NOTIFICATION_QUEUE,
  requeueNotifications,
  retryFailedNotificationJobs,
  type NotificationJobData,
} from '@kpi/features/notifications';
import { queueCounts } from '@kpi/scheduling';
import type { Queue } from 'bullmq';
import type { Pool } from 'pg';
import { progressBar } from '../progress-bar';
import { withJobQueue } from './with-job-queue';

/**
 * `cli notifications status|requeue|retry-failed`: the operator's side of the email queue
 * (docs/decisions/0036): its counts; every email not sent yet queued again from the delivery
 * rows after Redis lost its data; failed jobs put back to run once their cause is mended.
 */
export async function notificationsStatusCommand(): Promise<void> {
  await withQueue(async (queue) => console.log(JSON.stringify(await queueCounts(queue))));
}

export async function notificationsRequeueCommand(): Promise<void> {
  await withQueue(async (queue, database) => {
    const pool = await database();
    const bar = progressBar('requeue', 'jobs');
    const { deliveries, digests } = await requeueNotifications(pool, queue, {
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.stop();
    console.log(
      `queued ${deliveries} emails and ${digests} digests again (those still in Redis are unchanged)`,
    );
  });
}

export async function notificationsRetryFailedCommand(): Promise<void> {
  await withQueue(async (queue) => {
    const { jobs } = await retryFailedNotificationJobs(queue);
    console.log(`put ${jobs} failed notification jobs back to run`);
  });
}

/** The queue of this command, with the database on first use ({@link withJobQueue}). */
const withQueue = (
  work: (queue: Queue<NotificationJobData>, database: () => Promise<Pool>) => Promise<void>,
) => withJobQueue<NotificationJobData>(NOTIFICATION_QUEUE, work);
