import type { Migration } from './migration';

/**
 * Exports' bundles are kept EXPORT_RETENTION_DAYS after they are made, then deleted by the
 * worker: the row stays, `expired` with when, its hash and Merkle root still saying what was
 * given (docs/decisions/0034).
 */
export const auditExportRetentionMigration: Migration = {
  id: '0014_audit_export_retention',
  sql: /* sql */ `
ALTER TABLE audit_exports DROP CONSTRAINT audit_exports_status_check;
ALTER TABLE audit_exports ADD CONSTRAINT audit_exports_status_check
  CHECK (status IN ('queued', 'running', 'done', 'failed', 'expired'));
ALTER TABLE audit_exports ADD COLUMN expired_at timestamptz;
CREATE INDEX audit_exports_done_by_finish ON audit_exports (finished_at) WHERE status = 'done';
`,
};
