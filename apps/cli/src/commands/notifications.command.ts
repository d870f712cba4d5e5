import { connectRedis, loadEnvironment, openDatabase } from '@kpi/runtime';
import {
  NOTIFICATION_QUEUE,
  requeueNotifications,
  retryFailedNotificationJobs,
  type NotificationJobData,
} from '@kpi/features/notifications';
import { queueCounts } from '@kpi/scheduling';
import { Queue } from 'bullmq';
import type { Pool } from 'pg';
import { progressBar } from '../progress-bar';

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

/**
 * The email queue, on a Redis connection that fails at once while Redis is away, and the
 * database for the commands that need it: an unreachable REDIS_URL or DATABASE_URL ends the
 * command with one line naming it, never a wait.
 */
async function withQueue(
  work: (queue: Queue<NotificationJobData>, database: () => Promise<Pool>) => Promise<void>,
): Promise<void> {
  const { config, logger } = loadEnvironment('cli', { logTo: 'stderr' });
  const redis = await connectRedis(config.REDIS_URL);
  const queue = new Queue<NotificationJobData>(NOTIFICATION_QUEUE, {
    connection: redis,
    prefix: config.BULLMQ_PREFIX,
  });
  let pool: Pool | undefined;
  const database = async () =>
    (pool ??= (await openDatabase(config, logger, { component: 'cli' })).pool);
  try {
    await work(queue, database);
  } finally {
    await queue.close();
    redis.disconnect();
    await pool?.end();
  }
}
