import type { Migration } from './migration';

/**
 * The personal-data vault's mutable tables, beside the immutable log (docs/decisions/0032):
 * one AES-256-GCM key per data subject, kept only wrapped by the master key from configuration
 * (`PERSONAL_DATA_KEY`), and the ciphertexts events refer to. Erasing a subject overwrites its
 * wrapped key with NULL, which makes every ciphertext sealed with it unreadable for good; a
 * trigger keeps an erased subject erased. Ciphertexts are never changed: each is checked
 * against the hash its event holds.
 */
export const personalDataMigration: Migration = {
  id: '0006_personal_data',
  sql: /* sql */ `
CREATE TABLE data_subject_keys (
  tenant_id       text        NOT NULL,
  subject_id      text        NOT NULL,
  wrapped_key     bytea,
  created_at      timestamptz NOT NULL DEFAULT now(),
  erased_at       timestamptz,
  erased_by       text,
  erasure_reason  text,
  PRIMARY KEY (tenant_id, subject_id),
  CONSTRAINT data_subject_keys_erased_or_keyed CHECK (
    (wrapped_key IS NULL) = (erased_at IS NOT NULL)
    AND (erased_at IS NULL) = (erased_by IS NULL)
    AND (erased_at IS NULL) = (erasure_reason IS NULL)
  )
);

CREATE FUNCTION data_subject_stays_erased() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'data subject % was erased: its key row cannot change', OLD.subject_id
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER data_subject_keys_stay_erased BEFORE UPDATE OR DELETE ON data_subject_keys
  FOR EACH ROW WHEN (OLD.erased_at IS NOT NULL) EXECUTE FUNCTION data_subject_stays_erased();

CREATE TABLE personal_data (
  ref         uuid        PRIMARY KEY,
  tenant_id   text        NOT NULL,
  subject_id  text        NOT NULL,
  iv          bytea       NOT NULL,
  ciphertext  bytea       NOT NULL,
  auth_tag    bytea       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, subject_id) REFERENCES data_subject_keys (tenant_id, subject_id)
);
CREATE INDEX personal_data_subject ON personal_data (tenant_id, subject_id);
`,
};
