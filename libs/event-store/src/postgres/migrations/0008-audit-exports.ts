import type { Migration } from './migration';

/**
 * Evidence-bundle exports: one row per export asked for, with where its job stands (queued,
 * running, done, failed), its progress, and — once done — the bundle's file, SHA-256 and
 * Merkle root. Mutable, as a job's progress is; who asked and who downloaded is in the
 * append-only access log.
 */
export const auditExportsMigration: Migration = {
  id: '0008_audit_exports',
  sql: /* sql */ `
CREATE TABLE audit_exports (
  export_id            text        PRIMARY KEY,
  tenant_id            text        NOT NULL,  -- whose trail is exported
  requester_tenant_id  text        NOT NULL,  -- the organisation itself, or the grant's holder
  requested_by         text        NOT NULL,
  grant_id             text,                  -- NULL: an organisation's export of its own trail
  service_ids          text[],                -- NULL: the whole organisation
  period_from          date        NOT NULL,  -- London days, both included, by recorded time
  period_to            date        NOT NULL CHECK (period_to >= period_from),
  requested_at         timestamptz NOT NULL,
  status               text        NOT NULL DEFAULT 'queued'
                       CHECK (status IN ('queued', 'running', 'done', 'failed')),
  attempts             integer     NOT NULL DEFAULT 0,
  events_total         bigint,
  events_done          bigint      NOT NULL DEFAULT 0,
  streams              integer,
  started_at           timestamptz,
  finished_at          timestamptz,
  failure              text,
  file_name            text,
  size_bytes           bigint,
  sha256               text,
  merkle_root          text
);
CREATE INDEX audit_exports_requester ON audit_exports (requester_tenant_id, requested_at DESC);
`,
};
