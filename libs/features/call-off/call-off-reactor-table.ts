import type { RecordedEvent } from '@kpi/event-store';
import type { Pool, PoolClient } from 'pg';
import type { CallOffJob } from './call-off-jobs';

/*
 * The call-off reactor's table, written by the reactor (call-off-reactor.ts) and by
 * `cli call-off requeue` (call-off-maintenance.ts). Internal: not exported from index.ts.
 */

/** Every job the reactor (or `cli call-off requeue`) ever scheduled. */
export const CALL_OFF_REACTOR_TABLE = 'reactor_call_off_jobs';

/** A job added to the queue, and the package's event it was scheduled for. */
export interface ScheduledCallOffJob {
  job: CallOffJob;
  cause: RecordedEvent;
}

/** Lists jobs in the reactor's table, each once (`ON CONFLICT DO NOTHING`). */
export async function recordCallOffJobs(
  db: Pick<Pool | PoolClient, 'query'>,
  table: string,
  scheduled: readonly ScheduledCallOffJob[],
): Promise<void> {
  await db.query(
    `INSERT INTO ${table} (job_id, tenant_id, package_id, run_at, caused_by, caused_at_position, data)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::uuid[], $6::bigint[], $7::jsonb[])
     ON CONFLICT (job_id) DO NOTHING`,
    [
      scheduled.map(({ job }) => job.opts.jobId),
      scheduled.map(({ job }) => job.data.tenantId),
      scheduled.map(({ job }) => job.data.packageId),
      scheduled.map(({ job }) => job.runAt.toISOString()),
      scheduled.map(({ cause }) => cause.eventId),
      scheduled.map(({ cause }) => cause.globalPosition),
      scheduled.map(({ job }) => JSON.stringify(job.data)),
    ],
  );
}
