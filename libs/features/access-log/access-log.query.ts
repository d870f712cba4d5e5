import { endOfLondonDay, londonInstant } from '@kpi/domain';
import { FeatureQuery, type Queryable } from '@kpi/projections';
import type { AccessKind, AccessOutcome } from './access-log';

/**
 * Which entries a tenant sees: `owner` — every read of its own data, by anyone, under a grant
 * or not; `grant-holder` — the reads its own people made under grants made to it (a regulator).
 */
export type AccessLogSide = 'owner' | 'grant-holder';

export interface AccessLogParams {
  sides: readonly AccessLogSide[];
  subjectId?: string | undefined;
  kind?: AccessKind | undefined;
  grantId?: string | undefined;
  outcome?: AccessOutcome | undefined;
  /** Europe/London days `YYYY-MM-DD`, both included. */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

/** One entry as a reader of the log sees it. */
export interface AccessLogEntryView {
  entryId: number;
  at: string;
  ownerTenantId: string | null;
  readerTenantId: string;
  readerUserId: string;
  readerRoles: string[];
  kind: AccessKind;
  subjectId: string;
  detail: string | null;
  grantId: string | null;
  outcome: AccessOutcome;
  requestId: string | null;
}

export interface AccessLogPage {
  entries: AccessLogEntryView[];
  /** The `offset` of the next page; null on the last. */
  nextOffset: number | null;
}

/** The tenant's access log, newest first, filtered and paged. */
export class ReadAccessLog extends FeatureQuery<AccessLogParams, AccessLogPage> {}

interface AccessLogRow {
  entry_id: string;
  at: Date;
  owner_tenant_id: string | null;
  reader_tenant_id: string;
  reader_user_id: string;
  reader_roles: string[];
  kind: AccessKind;
  subject_id: string;
  detail: string | null;
  grant_id: string | null;
  outcome: AccessOutcome;
  request_id: string | null;
}

export async function readAccessLog(
  db: Queryable,
  tenantId: string,
  params: AccessLogParams,
): Promise<AccessLogPage> {
  const { sides, limit, offset } = params;
  const { rows } = await db.query<AccessLogRow>(
    `SELECT entry_id, at, owner_tenant_id, reader_tenant_id, reader_user_id, reader_roles, kind,
            subject_id, detail, grant_id, outcome, request_id
       FROM access_log
      WHERE ((owner_tenant_id = $1 AND $2)
             OR (reader_tenant_id = $1 AND grant_id IS NOT NULL AND $3))
        AND ($4::text IS NULL OR subject_id = $4)
        AND ($5::text IS NULL OR kind = $5)
        AND ($6::text IS NULL OR grant_id = $6)
        AND ($7::text IS NULL OR outcome = $7)
        AND ($8::timestamptz IS NULL OR at >= $8)
        AND ($9::timestamptz IS NULL OR at < $9)
      ORDER BY at DESC, entry_id DESC
      LIMIT $10 OFFSET $11`,
    [
      tenantId,
      sides.includes('owner'),
      sides.includes('grant-holder'),
      params.subjectId ?? null,
      params.kind ?? null,
      params.grantId ?? null,
      params.outcome ?? null,
      params.from === undefined ? null : londonInstant(params.from, '00:00'),
      params.to === undefined ? null : endOfLondonDay(params.to),
      limit + 1,
      offset,
    ],
  );
  return {
    entries: rows.slice(0, limit).map(toView),
    nextOffset: rows.length > limit ? offset + limit : null,
  };
}

function toView(row: AccessLogRow): AccessLogEntryView {
  return {
    entryId: Number(row.entry_id),
    at: row.at.toISOString(),
    ownerTenantId: row.owner_tenant_id,
    readerTenantId: row.reader_tenant_id,
    readerUserId: row.reader_user_id,
    readerRoles: row.reader_roles,
    kind: row.kind,
    subjectId: row.subject_id,
    detail: row.detail,
    grantId: row.grant_id,
    outcome: row.outcome,
    requestId: row.request_id,
  };
}
