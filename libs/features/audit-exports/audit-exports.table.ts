import type { Queryable } from '@kpi/projections';
import type { AuditExportStatus, AuditExportView, ExportPeriod } from './audit-export';

/*
 * The audit_exports table (migration 0008): one row per export, mutable as its job moves on.
 */

interface AuditExportRow {
  export_id: string;
  tenant_id: string;
  requester_tenant_id: string;
  requested_by: string;
  grant_id: string | null;
  service_ids: string[] | null;
  period_from: string;
  period_to: string;
  requested_at: Date;
  status: AuditExportStatus;
  attempts: number;
  events_total: string | null;
  events_done: string;
  streams: number | null;
  started_at: Date | null;
  finished_at: Date | null;
  failure: string | null;
  file_name: string | null;
  size_bytes: string | null;
  sha256: string | null;
  merkle_root: string | null;
  expired_at: Date | null;
}

/** An export as the job reads it: the view, and who asked from which organisation. */
export type AuditExportRecord = AuditExportView & { requesterTenantId: string };

const COLUMNS = `export_id, tenant_id, requester_tenant_id, requested_by, grant_id, service_ids,
  period_from::text AS period_from, period_to::text AS period_to, requested_at, status, attempts,
  events_total, events_done, streams, started_at, finished_at, failure, file_name, size_bytes,
  sha256, merkle_root, expired_at`;

export interface NewAuditExport {
  exportId: string;
  tenantId: string;
  requesterTenantId: string;
  requestedBy: string;
  grantId: string | null;
  serviceIds: string[] | null;
  period: ExportPeriod;
  requestedAt: Date;
}

/** Adds an export, queued; false when one by that id exists already (a retried request). */
export async function insertAuditExport(db: Queryable, row: NewAuditExport): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO audit_exports (export_id, tenant_id, requester_tenant_id, requested_by, grant_id,
                                service_ids, period_from, period_to, requested_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (export_id) DO NOTHING
     RETURNING export_id`,
    [
      row.exportId,
      row.tenantId,
      row.requesterTenantId,
      row.requestedBy,
      row.grantId,
      row.serviceIds,
      row.period.from,
      row.period.to,
      row.requestedAt,
    ],
  );
  return rows.length === 1;
}

export async function findAuditExport(
  db: Queryable,
  exportId: string,
): Promise<AuditExportRecord | null> {
  const { rows } = await db.query<AuditExportRow>(
    `SELECT ${COLUMNS} FROM audit_exports WHERE export_id = $1`,
    [exportId],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/** An attempt begins: running, progress from nothing. */
export async function markRunning(db: Queryable, exportId: string, now: Date): Promise<void> {
  await db.query(
    `UPDATE audit_exports
        SET status = 'running', attempts = attempts + 1, started_at = $2, finished_at = NULL,
            events_total = NULL, events_done = 0, streams = NULL
      WHERE export_id = $1`,
    [exportId, now],
  );
}

export async function recordCounted(
  db: Queryable,
  exportId: string,
  counted: { eventsTotal: number; streams: number },
): Promise<void> {
  await db.query('UPDATE audit_exports SET events_total = $2, streams = $3 WHERE export_id = $1', [
    exportId,
    counted.eventsTotal,
    counted.streams,
  ]);
}

export async function recordProgress(
  db: Queryable,
  exportId: string,
  eventsDone: number,
): Promise<void> {
  await db.query('UPDATE audit_exports SET events_done = $2 WHERE export_id = $1', [
    exportId,
    eventsDone,
  ]);
}

export async function markDone(
  db: Queryable,
  exportId: string,
  done: {
    finishedAt: Date;
    fileName: string;
    sizeBytes: number;
    sha256: string;
    streamsMerkleRoot: string;
    events: number;
    streams: number;
  },
): Promise<void> {
  await db.query(
    `UPDATE audit_exports
        SET status = 'done', finished_at = $2, file_name = $3, size_bytes = $4, sha256 = $5,
            merkle_root = $6, events_total = $7, events_done = $7, streams = $8, failure = NULL
      WHERE export_id = $1`,
    [
      exportId,
      done.finishedAt,
      done.fileName,
      done.sizeBytes,
      done.sha256,
      done.streamsMerkleRoot,
      done.events,
      done.streams,
    ],
  );
}

/**
 * Attempt `attempt` failed: `failed` with the reason once no attempt is left, else back to
 * `queued` (the job is retried) with the reason kept — unless the next attempt has begun
 * already. An export already done stays done.
 */
export async function markAttemptFailed(
  db: Queryable,
  exportId: string,
  failure: { reason: string; final: boolean; attempt: number; at: Date },
): Promise<void> {
  await db.query(
    `UPDATE audit_exports
        SET status = CASE WHEN $3 THEN 'failed' ELSE 'queued' END, failure = $2,
            finished_at = CASE WHEN $3 THEN $4::timestamptz ELSE NULL END
      WHERE export_id = $1 AND status <> 'done' AND ($3 OR attempts <= $5)`,
    [exportId, failure.reason, failure.final, failure.at, failure.attempt],
  );
}

function toRecord(row: AuditExportRow): AuditExportRecord {
  const done = row.status === 'done' || row.status === 'expired';
  return {
    exportId: row.export_id,
    tenantId: row.tenant_id,
    requesterTenantId: row.requester_tenant_id,
    grantId: row.grant_id,
    serviceIds: row.service_ids,
    period: { from: row.period_from, to: row.period_to },
    requestedBy: row.requested_by,
    requestedAt: row.requested_at.toISOString(),
    status: row.status,
    progress: {
      eventsDone: Number(row.events_done),
      eventsTotal: row.events_total === null ? null : Number(row.events_total),
    },
    attempts: row.attempts,
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    failure: row.failure,
    bundle: done
      ? {
          fileName: row.file_name!,
          sizeBytes: Number(row.size_bytes),
          sha256: row.sha256!,
          streamsMerkleRoot: row.merkle_root!,
          events: Number(row.events_total),
          streams: row.streams ?? 0,
        }
      : null,
    expiredAt: row.expired_at?.toISOString() ?? null,
  };
}
