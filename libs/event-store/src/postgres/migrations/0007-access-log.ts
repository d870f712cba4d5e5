import type { Migration } from './migration';

/**
 * The access log: who read a person's records, audit data or an export, when, under which
 * grant, and the reads refused. Append-only like the events table: a trigger refuses UPDATE,
 * DELETE and TRUNCATE, so an entry, once written, stays as written.
 */
export const accessLogMigration: Migration = {
  id: '0007_access_log',
  sql: /* sql */ `
CREATE TABLE access_log (
  entry_id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at                timestamptz NOT NULL,
  owner_tenant_id   text,       -- whose data; NULL when the request named no tenant's
  reader_tenant_id  text        NOT NULL,
  reader_user_id    text        NOT NULL,
  reader_roles      text[]      NOT NULL,
  kind              text        NOT NULL
                    CHECK (kind IN ('capability-record', 'audit-trail', 'export', 'complaint')),
  subject_id        text        NOT NULL,
  detail            text,
  grant_id          text,
  outcome           text        NOT NULL CHECK (outcome IN ('read', 'refused')),
  request_id        text
);
CREATE INDEX access_log_owner ON access_log (owner_tenant_id, at DESC, entry_id DESC);
CREATE INDEX access_log_reader ON access_log (reader_tenant_id, at DESC, entry_id DESC)
  WHERE grant_id IS NOT NULL;

CREATE FUNCTION access_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the access log is append-only: % on access_log is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER access_log_no_update BEFORE UPDATE OR DELETE ON access_log
  FOR EACH ROW EXECUTE FUNCTION access_log_is_append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
  FOR EACH STATEMENT EXECUTE FUNCTION access_log_is_append_only();
`,
};
