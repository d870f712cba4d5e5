import type { EventStore } from '@kpi/event-store';
import { connectRedis, loadEnvironment, openDatabase } from '@kpi/runtime';
import {
  CALL_OFF_QUEUE,
  callOffStatus,
  requeueCallOffJobs,
  retryFailedCallOffJobs,
  type CallOffJobData,
} from '@kpi/features/call-off';
import { Queue } from 'bullmq';
import type { Pool } from 'pg';
import { progressBar } from '../progress-bar';

/**
 * `cli call-off status|requeue|retry-failed`: the operator's side of the call-off timers
 * (docs/decisions/0013), as `cli deadlines` is for deadlines: the queue's counts and the packages
 * waiting for a window to close; every open window's timer scheduled again from the log after
 * Redis lost its data; failed jobs put back to run once their cause is mended.
 */
export async function callOffStatusCommand(options: { tenant?: string }): Promise<void> {
  await withQueue(async (queue, pool, store) =>
    console.log(JSON.stringify(await callOffStatus(pool, store, queue, tenantOf(options)))),
  );
}

export async function callOffRequeueCommand(options: { tenant?: string }): Promise<void> {
  await withQueue(async (queue, pool, store) => {
    const bar = progressBar('requeue', 'packages');
    const { packages, jobs } = await requeueCallOffJobs(pool, store, queue, {
      ...tenantOf(options),
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.stop();
    console.log(
      `scheduled ${jobs} call-off timers again, of ${packages} packages (those still in Redis are unchanged)`,
    );
  });
}

export async function callOffRetryFailedCommand(): Promise<void> {
  await withQueue(async (queue) => {
    const { jobs } = await retryFailedCallOffJobs(queue);
    console.log(`put ${jobs} failed call-off jobs back to run`);
  });
}

const tenantOf = (options: { tenant?: string }) =>
  options.tenant ? { tenantId: options.tenant } : {};

/**
 * The call-off queue, on a Redis connection that fails at once while Redis is away, and the
 * database: an unreachable REDIS_URL or DATABASE_URL ends the command with one line naming it,
 * never a wait.
 */
async function withQueue(
  work: (queue: Queue<CallOffJobData>, pool: Pool, store: EventStore) => Promise<void>,
): Promise<void> {
  const { config, logger } = loadEnvironment('cli', { logTo: 'stderr' });
  const redis = await connectRedis(config.REDIS_URL);
  const queue = new Queue<CallOffJobData>(CALL_OFF_QUEUE, {
    connection: redis,
    prefix: config.BULLMQ_PREFIX,
  });
  try {
    const { pool, store } = await openDatabase(config, logger, { component: 'cli' });
    try {
      await work(queue, pool, store);
    } finally {
      await pool.end();
    }
  } finally {
    await queue.close();
    redis.disconnect();
  }
}
