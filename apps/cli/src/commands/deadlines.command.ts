import { connectRedis, loadEnvironment, openDatabase } from '@kpi/runtime';
import {
  DEADLINE_QUEUE,
  requeueDeadlineJobs,
  retryFailedDeadlineJobs,
  type DeadlineJobData,
} from '@kpi/features/deadlines';
import { queueCounts } from '@kpi/scheduling';
import { Queue } from 'bullmq';
import type { Pool } from 'pg';
import { progressBar } from '../progress-bar';

/**
 * `cli deadlines status|requeue|retry-failed`: the operator's side of the deadline queue
 * (docs/decisions/0012): its counts; every job scheduled again from the reactor's table after
 * Redis lost its data; failed jobs put back to run once their cause is mended.
 */
export async function deadlinesStatusCommand(): Promise<void> {
  await withQueue(async (queue) => console.log(JSON.stringify(await queueCounts(queue))));
}

export async function deadlinesRequeueCommand(options: { tenant?: string }): Promise<void> {
  await withQueue(async (queue, database) => {
    const pool = await database();
    const bar = progressBar('requeue', 'jobs');
    const { jobs } = await requeueDeadlineJobs(pool, queue, {
      ...(options.tenant ? { tenantId: options.tenant } : {}),
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.stop();
    console.log(`scheduled ${jobs} deadline jobs again (those still in Redis are unchanged)`);
  });
}

export async function deadlinesRetryFailedCommand(): Promise<void> {
  await withQueue(async (queue) => {
    const { jobs } = await retryFailedDeadlineJobs(queue);
    console.log(`put ${jobs} failed deadline jobs back to run`);
  });
}

/**
 * The deadline queue, on a Redis connection that fails at once while Redis is away, and the
 * database for the commands that need it: an unreachable REDIS_URL or DATABASE_URL ends the
 * command with one line naming it, never a wait.
 */
async function withQueue(
  work: (queue: Queue<DeadlineJobData>, database: () => Promise<Pool>) => Promise<void>,
): Promise<void> {
  const { config, logger } = loadEnvironment('cli', { logTo: 'stderr' });
  const redis = await connectRedis(config.REDIS_URL);
  const queue = new Queue<DeadlineJobData>(DEADLINE_QUEUE, {
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
