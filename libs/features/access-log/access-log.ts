import type { Queryable } from '@kpi/projections';

/** What was read: a person's capability record, audit data, an export, a complaint, evidence naming people. */
export const ACCESS_KINDS = [
  'capability-record',
  'audit-trail',
  'export',
  'complaint',
  'evidence',
  'provider-notification',
] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

/** Whether the read was answered, or refused (403, or 404 for what the reader may not see). */
export const ACCESS_OUTCOMES = ['read', 'refused'] as const;
export type AccessOutcome = (typeof ACCESS_OUTCOMES)[number];

/** One read, as it is recorded. */
export interface AccessEntry {
  at: Date;
  /** The tenant whose data it is; null when the request named no tenant's. */
  ownerTenantId: string | null;
  reader: { tenantId: string; userId: string; roles: readonly string[] };
  kind: AccessKind;
  /** What was read: a manager id (a capability record), a stream id, an export's id. */
  subjectId: string;
  /** Which view of it: `events`, `verification`, `timeline`, `why <entry>`… */
  detail: string | null;
  /** The grant it was read under (or asked to be read under, when refused). */
  grantId: string | null;
  outcome: AccessOutcome;
  /** The request's id (its correlation id): the log lines of the same request carry it. */
  requestId: string | null;
}

/**
 * Appends one entry to the access log (append-only: a trigger refuses UPDATE and DELETE).
 * Callers write it before they answer, and a read whose entry cannot be written fails: no read
 * goes unrecorded. Exports are recorded when asked for and at each download of the bundle.
 */
export async function recordAccess(db: Queryable, entry: AccessEntry): Promise<void> {
  await db.query(
    `INSERT INTO access_log (at, owner_tenant_id, reader_tenant_id, reader_user_id, reader_roles,
                             kind, subject_id, detail, grant_id, outcome, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      entry.at,
      entry.ownerTenantId,
      entry.reader.tenantId,
      entry.reader.userId,
      [...entry.reader.roles],
      entry.kind,
      entry.subjectId,
      entry.detail,
      entry.grantId,
      entry.outcome,
      entry.requestId,
    ],
  );
}
