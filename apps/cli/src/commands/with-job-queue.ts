import { connectRedis, loadEnvironment, openDatabase } from '@kpi/runtime';
import { Queue } from 'bullmq';
import type { Pool } from 'pg';

/**
 * A BullMQ queue of the worker's (`name`), on a Redis connection that fails at once while Redis
 * is away, and the database for the commands that need it, opened on first use: an unreachable
 * REDIS_URL or DATABASE_URL ends the command with one line naming it, never a wait. What
 * `cli deadlines` and `cli notifications` run their status, requeue and retry-failed in.
 */
export async function withJobQueue<Data>(
  name: string,
  work: (queue: Queue<Data>, database: () => Promise<Pool>) => Promise<void>,
): Promise<void> {
  const { config, logger } = loadEnvironment('cli', { logTo: 'stderr' });
  const redis = await connectRedis(config.REDIS_URL);
  const queue = new Queue<Data>(name, { connection: redis, prefix: config.BULLMQ_PREFIX });
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
