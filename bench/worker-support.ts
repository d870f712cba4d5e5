import { Queue } from 'bullmq';
import type { Pool } from 'pg';
import type { PostgresEventStore } from '@kpi/event-store';
import { waitFor } from '@kpi/testing';
import { seconds } from './bench-support';

/*
 * The benches' view of a worker: how far each reader of the log is behind, and when the worker has
 * settled (nothing waiting, every reader at the head).
 */

export const countEvents = async (pool: Pool) =>
  Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);

/**
 * Events after each checkpoint named (null: the checkpoint does not exist yet). Far behind
 * (over 50,000 positions) the distance in positions stands for the count, which would scan most
 * of the log.
 */
export async function checkpointLags(
  pool: Pool,
  store: PostgresEventStore,
  checkpoints: readonly string[],
): Promise<Map<string, number | null>> {
  const { rows } = await pool.query<{
    name: string;
    transaction_id: string;
    global_position: string;
  }>('SELECT name, transaction_id::text, global_position FROM checkpoints WHERE name = ANY ($1)', [
    checkpoints,
  ]);
  const { rows: head } = await pool.query<{ max: string | null }>(
    'SELECT max(global_position) AS max FROM events',
  );
  const top = Number(head[0]!.max ?? 0);
  const result = new Map<string, number | null>(checkpoints.map((name) => [name, null]));
  // The read models share one runner (and so one checkpoint): count each distinct one once.
  const counted = new Map<string, number>();
  for (const row of rows) {
    const key = `${row.transaction_id}/${row.global_position}`;
    let lag = counted.get(key);
    if (lag === undefined) {
      const behind = top - Number(row.global_position);
      lag =
        behind > 50_000
          ? behind
          : await store.countEventsAfter({
              transactionId: Number(row.transaction_id),
              globalPosition: Number(row.global_position),
            });
      counted.set(key, lag);
    }
    result.set(row.name, lag);
  }
  return result;
}

/** True when every checkpoint named exists and has no event after it. */
export async function allCaughtUp(
  pool: Pool,
  store: PostgresEventStore,
  checkpoints: readonly string[],
): Promise<boolean> {
  const lags = await checkpointLags(pool, store, checkpoints);
  return [...lags.values()].every((lag) => lag === 0);
}

/**
 * Waits until the worker has nothing left to do: every checkpoint named is at the head of the
 * log, no job of the queues named is waiting or running, and the head has not moved between two
 * looks `quietMs` apart. Returns how long it took and how many events were written meanwhile
 * (e.g. the deadline chains of services opened years ago, each month closed by a job).
 */
export async function waitForWorkerToSettle(
  pool: Pool,
  store: PostgresEventStore,
  {
    checkpoints,
    redisUrl,
    prefix,
    queues,
    quietMs = 500,
    timeoutMs = 600_000,
  }: {
    checkpoints: readonly string[];
    redisUrl: string;
    prefix: string;
    queues: readonly string[];
    quietMs?: number;
    timeoutMs?: number;
  },
): Promise<{ seconds: number; events: number }> {
  const started = process.hrtime.bigint();
  const before = await countEvents(pool);
  const connection = { url: redisUrl, maxRetriesPerRequest: null };
  const open = queues.map((name) => new Queue(name, { connection, prefix }));
  const busyJobs = async () => {
    const counts = await Promise.all(
      open.map((queue) => queue.getJobCounts('waiting', 'active', 'prioritized')),
    );
    return counts.reduce(
      (sum, c) => sum + (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0),
      0,
    );
  };
  try {
    let lastHead = -1;
    await waitFor(
      async () => {
        const head = await countEvents(pool);
        const quiet =
          head === lastHead &&
          (await busyJobs()) === 0 &&
          (await allCaughtUp(pool, store, checkpoints));
        lastHead = head;
        return quiet;
      },
      { description: 'the worker to settle', timeoutMs, intervalMs: quietMs },
    );
  } finally {
    await Promise.all(open.map((queue) => queue.close()));
  }
  return { seconds: seconds(started), events: (await countEvents(pool)) - before };
}
