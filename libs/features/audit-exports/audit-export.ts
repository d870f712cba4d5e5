/**
 * An evidence-bundle export: a tenant's audit trail (all of it, or some services' streams) for
 * the events recorded on some London days, written by the export job to a signed bundle.
 */

/** `expired`: done, and its bundle deleted after EXPORT_RETENTION_DAYS (the row says what it was). */
export const AUDIT_EXPORT_STATUSES = ['queued', 'running', 'done', 'failed', 'expired'] as const;
export type AuditExportStatus = (typeof AUDIT_EXPORT_STATUSES)[number];

/** London days `YYYY-MM-DD`, both included: the events recorded from the start of `from` to the end of `to`. */
export interface ExportPeriod {
  from: string;
  to: string;
}

/** An export as its requester sees it. */
export interface AuditExportView {
  exportId: string;
  /** Whose trail it holds. */
  tenantId: string;
  /** The grant it was asked under; null for an organisation's export of its own trail. */
  grantId: string | null;
  /** null: the whole organisation. */
  serviceIds: string[] | null;
  period: ExportPeriod;
  requestedBy: string;
  requestedAt: string;
  status: AuditExportStatus;
  /** Events written so far, of `eventsTotal` (null until the job has counted them). */
  progress: { eventsDone: number; eventsTotal: number | null };
  /** Attempts the job has started (a failed attempt is retried). */
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  /** Why the last attempt failed (the export is `failed` once no attempt is left). */
  failure: string | null;
  /** Once done: the bundle (still described once expired, though no longer kept). */
  bundle: AuditExportBundle | null;
  /** When the bundle was deleted, its retention over; null while it is kept. */
  expiredAt: string | null;
}

export interface AuditExportBundle {
  fileName: string;
  sizeBytes: number;
  /** SHA-256 of the .tar.gz file, lowercase hex. */
  sha256: string;
  /** The manifest's `streamsMerkleRoot`. */
  streamsMerkleRoot: string;
  events: number;
  streams: number;
}

/** Asked for under a grant: whose trail, and what the grant opens (checked by the grant's own rules). */
export interface GrantBounds {
  grantId: string;
  grantorTenantId: string;
  /** null: the whole organisation. */
  serviceIds: string[] | null;
  period: ExportPeriod;
}
