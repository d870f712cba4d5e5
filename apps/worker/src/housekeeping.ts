import { purgeSignInRecords, SIGN_IN_HOUSEKEEPING_EVERY_MS } from '@kpi/features/accounts';
import { repeatingJobs, type RepeatingJobs, type RepeatingJobsOptions } from '@kpi/scheduling';
import type { Pool } from 'pg';

/** The BullMQ queue of the worker's housekeeping. */
export const HOUSEKEEPING_QUEUE = 'housekeeping';

/** The job that deletes sign-in's lapsed sessions, failures and lockouts. */
export const PURGE_SIGN_IN_RECORDS = 'purge-sign-in-records';

/**
 * The worker's repeating housekeeping on BullMQ job schedulers: every hour, the sign-in records
 * nothing reads any more are deleted (one worker does each run).
 */
export function housekeeping(pool: Pool, options: RepeatingJobsOptions): RepeatingJobs {
  return repeatingJobs(
    HOUSEKEEPING_QUEUE,
    [
      {
        name: PURGE_SIGN_IN_RECORDS,
        everyMs: SIGN_IN_HOUSEKEEPING_EVERY_MS,
        run: (now) => purgeSignInRecords(pool, now),
      },
    ],
    options,
  );
}
