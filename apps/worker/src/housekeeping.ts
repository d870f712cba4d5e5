import { purgeSignInRecords, SIGN_IN_HOUSEKEEPING_EVERY_MS } from '@kpi/features/accounts';
import { expireAuditExportBundles, EXPORT_RETENTION_EVERY_MS } from '@kpi/features/audit-exports';
import { repeatingJobs, type RepeatingJobs, type RepeatingJobsOptions } from '@kpi/scheduling';
import type { Pool } from 'pg';

/** The BullMQ queue of the worker's housekeeping. */
export const HOUSEKEEPING_QUEUE = 'housekeeping';

/** The job that deletes sign-in's lapsed sessions, failures and lockouts. */
export const PURGE_SIGN_IN_RECORDS = 'purge-sign-in-records';

/** The job that deletes exports' bundles past EXPORT_RETENTION_DAYS. */
export const EXPIRE_EXPORT_BUNDLES = 'expire-export-bundles';

/** What the export retention needs: EXPORT_DIR and EXPORT_RETENTION_DAYS. */
export interface ExportRetentionSettings {
  exportDirectory: string;
  retentionDays: number;
}

/**
 * The worker's repeating housekeeping on BullMQ job schedulers, every hour (one worker does
 * each run): the sign-in records nothing reads any more are deleted, and so are exports'
 * bundles past their retention.
 */
export function housekeeping(
  pool: Pool,
  exportRetention: ExportRetentionSettings,
  options: RepeatingJobsOptions,
): RepeatingJobs {
  return repeatingJobs(
    HOUSEKEEPING_QUEUE,
    [
      {
        name: PURGE_SIGN_IN_RECORDS,
        everyMs: SIGN_IN_HOUSEKEEPING_EVERY_MS,
        run: (now) => purgeSignInRecords(pool, now),
      },
      {
        name: EXPIRE_EXPORT_BUNDLES,
        everyMs: EXPORT_RETENTION_EVERY_MS,
        run: async (now) => {
          await expireAuditExportBundles(pool, { ...exportRetention, now });
        },
      },
    ],
    options,
  );
}
