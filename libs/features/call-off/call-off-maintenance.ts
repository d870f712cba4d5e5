import { streamIds } from '@kpi/domain';
import type { EventStore } from '@kpi/event-store';
import type { Queue } from 'bullmq';
import type { Pool } from 'pg';
import { callOffJobOfStream, type CallOffJobData } from './call-off-jobs';
import {
  CALL_OFF_REACTOR_TABLE,
  recordCallOffJobs,
  type ScheduledCallOffJob,
} from './call-off-reactor-table';
import { retryFailedJobs, queueCounts, type QueueCounts } from '@kpi/scheduling';

/** Package streams read, and jobs added, at a time. */
const CHUNK = 500;

export interface CallOffMaintenanceOptions {
  now?: Date;
  /** One council only. */
  tenantId?: string;
  /** Packages looked at so far, of how many. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * A package waiting for a window to close, with the job that closes it; its cause (in the
 * reactor's table) is the package's last event.
 */
type OpenWindow = ScheduledCallOffJob;

/**
 * Every package waiting for a window to close, read from the log, not from Redis: the packages
 * are those of the reactor's table (every package whose window it ever timed; one it has not
 * reached yet it will time itself), each stream folded to what it needs *now* — the job of its
 * current window, as the reactor computes it (`callOffJobFor`), or nothing when it is placed,
 * unplaced or offered to all.
 */
async function openWindows(
  pool: Pool,
  store: EventStore,
  options: CallOffMaintenanceOptions,
  onChunk: (windows: OpenWindow[]) => Promise<void>,
): Promise<{ packages: number }> {
  const now = options.now ?? new Date();
  const { rows: exists } = await pool.query<{ table: string | null }>(
    'SELECT to_regclass($1)::text AS table',
    [CALL_OFF_REACTOR_TABLE],
  );
  // The worker creates the table when it first starts: before that, nothing was ever timed.
  if (!exists[0]?.table) return { packages: 0 };
  const { rows } = await pool.query<{ tenant_id: string; package_id: string }>(
    `SELECT DISTINCT tenant_id, package_id FROM ${CALL_OFF_REACTOR_TABLE}
      WHERE $1::text IS NULL OR tenant_id = $1 ORDER BY tenant_id, package_id`,
    [options.tenantId ?? null],
  );
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const ids = chunk.map((row) => streamIds.carePackage(row.tenant_id, row.package_id));
    const histories = await store.readStreams(ids);
    const windows: OpenWindow[] = [];
    chunk.forEach((row, i) => {
      const history = histories.get(ids[i]!) ?? [];
      const job = callOffJobOfStream(row.tenant_id, history, now);
      if (job) windows.push({ job, cause: history.at(-1)! });
    });
    await onChunk(windows);
    options.onProgress?.(start + chunk.length, rows.length);
  }
  return { packages: rows.length };
}

/**
 * Schedules again the timer of every package still waiting for a window to close, for a Redis
 * that lost its data (`cli call-off requeue`). Each job is the one the reactor would schedule
 * now, with the same id: a job still in Redis (delayed, completed or failed) is left as it is,
 * and running it twice adds nothing; a window that closed while Redis was empty runs at once,
 * and the offer moves on as if its timer had fired (offered at the close). The jobs are listed
 * in the reactor's table, as the reactor's own are.
 */
export async function requeueCallOffJobs(
  pool: Pool,
  store: EventStore,
  queue: Queue<CallOffJobData>,
  options: CallOffMaintenanceOptions = {},
): Promise<{ packages: number; jobs: number }> {
  let jobs = 0;
  const { packages } = await openWindows(pool, store, options, async (windows) => {
    if (windows.length === 0) return;
    await queue.addBulk(
      windows.map(({ job }) => ({ name: job.name, data: job.data, opts: job.opts })),
    );
    await recordCallOffJobs(pool, CALL_OFF_REACTOR_TABLE, windows);
    jobs += windows.length;
  });
  return { packages, jobs };
}

export interface CallOffStatus {
  /** The `call-off` queue's jobs. */
  jobs: QueueCounts;
  packages: {
    /** Packages on offer with a window to close (each needs its timer). */
    waitingForWindow: number;
    /** Of those, windows already closed whose offer has not moved on yet (a worker down, a job lost or failed). */
    windowClosed: number;
    /** Of those, the ones whose job is not in Redis (Redis lost its data: `cli call-off requeue`). */
    withoutJob: number;
  };
}

/** `cli call-off status`: the queue's counts, and the packages waiting for their windows. */
export async function callOffStatus(
  pool: Pool,
  store: EventStore,
  queue: Queue<CallOffJobData>,
  options: CallOffMaintenanceOptions = {},
): Promise<CallOffStatus> {
  const now = options.now ?? new Date();
  const packages = { waitingForWindow: 0, windowClosed: 0, withoutJob: 0 };
  await openWindows(pool, store, { ...options, now }, async (windows) => {
    const states = await Promise.all(windows.map(({ job }) => queue.getJobState(job.opts.jobId)));
    packages.waitingForWindow += windows.length;
    packages.windowClosed += windows.filter(({ job }) => job.runAt <= now).length;
    packages.withoutJob += states.filter((state) => state === 'unknown').length;
  });
  return { jobs: await queueCounts(queue), packages };
}

/** Puts every failed call-off job back to run once (`cli call-off retry-failed`). */
export function retryFailedCallOffJobs(queue: Queue<CallOffJobData>): Promise<{ jobs: number }> {
  return retryFailedJobs(queue);
}
