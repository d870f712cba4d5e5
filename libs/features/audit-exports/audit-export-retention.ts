import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool } from 'pg';

/** How often the worker looks for bundles past their retention. */
export const EXPORT_RETENTION_EVERY_MS = 60 * 60 * 1000;

/** At most this many bundles are deleted per batch (the run goes on until none is left). */
const BATCH = 100;

export interface ExportRetention {
  /** EXPORT_DIR: where the bundles are. */
  exportDirectory: string;
  /** EXPORT_RETENTION_DAYS: how long a bundle is kept after it was made. */
  retentionDays: number;
  now: Date;
}

/**
 * Deletes the bundles of exports finished more than `retentionDays` ago and marks them
 * `expired` (when, kept on the row with the bundle's hash and Merkle root). The file goes
 * first, then the row: a run stopped in between leaves a `done` row without its file (a
 * download says it is no longer kept) that the next run marks. Answers how many expired.
 */
export async function expireAuditExportBundles(
  pool: Pool,
  { exportDirectory, retentionDays, now }: ExportRetention,
): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 24 * 60 * 60 * 1000);
  let expired = 0;
  for (;;) {
    const { rows } = await pool.query<{ export_id: string; file_name: string }>(
      `SELECT export_id, file_name FROM audit_exports
        WHERE status = 'done' AND finished_at < $1
        ORDER BY finished_at LIMIT ${BATCH}`,
      [cutoff],
    );
    if (rows.length === 0) return expired;
    for (const { file_name: fileName } of rows) {
      await unlink(join(exportDirectory, fileName)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
    const marked = await pool.query(
      `UPDATE audit_exports SET status = 'expired', expired_at = $2
        WHERE export_id = ANY($1) AND status = 'done'`,
      [rows.map((row) => row.export_id), now],
    );
    expired += marked.rowCount ?? 0;
  }
}
