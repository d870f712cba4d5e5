import type { Queue } from 'bullmq';
import type { Pool } from 'pg';
import { retryFailedJobs, timerJobOptions } from '@kpi/scheduling';
import type { DeadlineJob, DeadlineJobData } from './deadline-jobs';

const REQUEUE_CHUNK = 1_000;

/**
 * Schedules again every job the reactor ever scheduled (its table `reactor_deadline_jobs`), for
 * a Redis that lost its data. Jobs still in Redis are left as they are (same ids); a job whose
 * deadline has passed runs at once, and its command writes nothing it wrote before.
 */
export async function requeueDeadlineJobs(
  pool: Pool,
  queue: Queue<DeadlineJobData>,
  options: {
    now?: Date;
    tenantId?: string;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<{ jobs: number }> {
  const now = options.now ?? new Date();
  const { rows } = await pool.query<{
    job_id: string;
    kind: DeadlineJob['name'];
    run_at: Date;
    data: DeadlineJobData;
  }>(
    `SELECT job_id, kind, run_at, data FROM reactor_deadline_jobs
      WHERE $1::text IS NULL OR tenant_id = $1 ORDER BY run_at, job_id`,
    [options.tenantId ?? null],
  );
  for (let start = 0; start < rows.length; start += REQUEUE_CHUNK) {
    const chunk = rows.slice(start, start + REQUEUE_CHUNK);
    await queue.addBulk(
      chunk.map((row) => ({
        name: row.kind,
        data: row.data,
        opts: timerJobOptions(row.job_id, row.run_at, now),
      })),
    );
    options.onProgress?.(start + chunk.length, rows.length);
  }
  return { jobs: rows.length };
}

/** Puts every failed deadline job back to run (after an operator mended the cause). */
export function retryFailedDeadlineJobs(queue: Queue<DeadlineJobData>): Promise<{ jobs: number }> {
  return retryFailedJobs(queue);
}
