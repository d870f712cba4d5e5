import type { Migration } from './migration';

/**
 * Evidence files (docs/decisions/0040): the bytes of files that name nobody, content-addressed
 * — one row per tenant and SHA-256, however many records they are attached to. They are written
 * by the command that attaches them, before its event, and never changed or deleted (a trigger):
 * a download is checked against the hash its event holds. Files that hold personal data are
 * not here: they are encrypted in the personal-data vault (`personal_data`), under their data
 * subject's key. The access log learns the kinds `evidence` (reads of files that name people)
 * and `provider-notification` (reads of what a provider told the council: decision 0041).
 */
export const evidenceMigration: Migration = {
  id: '0011_evidence',
  sql: /* sql */ `
CREATE TABLE evidence_files (
  tenant_id   text        NOT NULL,
  sha256      text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size        integer     NOT NULL CHECK (size > 0),
  content     bytea       NOT NULL,
  stored_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, sha256),
  CHECK (octet_length(content) = size)
);

CREATE FUNCTION evidence_files_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'evidence files are content-addressed: % on evidence_files is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER evidence_files_no_update BEFORE UPDATE OR DELETE ON evidence_files
  FOR EACH ROW EXECUTE FUNCTION evidence_files_are_immutable();

ALTER TABLE access_log DROP CONSTRAINT access_log_kind_check;
ALTER TABLE access_log ADD CONSTRAINT access_log_kind_check
  CHECK (kind IN ('capability-record', 'audit-trail', 'export', 'complaint', 'evidence',
                 'provider-notification'));
`,
};
