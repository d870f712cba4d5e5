import type { JobsOptions, Queue } from 'bullmq';

/** The BullMQ queue of evidence-bundle exports (the worker processes it). */
export const AUDIT_EXPORTS_QUEUE = 'audit-exports';

export interface AuditExportJobData {
  exportId: string;
}

/** An export's job: its id is the export's (added twice, it runs once), retried twice. */
export function auditExportJobOptions(exportId: string): JobsOptions & { jobId: string } {
  return {
    jobId: exportId,
    attempts: 3,
    backoff: { type: 'exponential', delay: 5_000 },
    // The export's row keeps what matters; Redis keeps a job long enough to see it end.
    removeOnComplete: { age: 7 * 24 * 3600 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}

/** Puts an export on the queue (the API, once its row is stored). */
export async function enqueueAuditExport(
  queue: Queue<AuditExportJobData>,
  exportId: string,
): Promise<void> {
  await queue.add('export', { exportId }, auditExportJobOptions(exportId));
}
