import type { Migration } from './migration';

/**
 * Sign-in's mutable tables, beside the immutable log (docs/decisions/0027): the accounts
 * directory (each account stream's current state, for sign-in by email and the admin's list),
 * invitations (only a SHA-256 of each single-use token), credentials (argon2id hashes, which
 * must be erasable, so never in an event), sessions (only a SHA-256 of each session id) and
 * failed sign-ins with the lockouts they cause.
 */
export const accountsMigration: Migration = {
  id: '0003_accounts',
  sql: /* sql */ `
CREATE TABLE accounts (
  tenant_id   text        NOT NULL,
  account_id  text        NOT NULL,
  email       text        NOT NULL,
  roles       text[]      NOT NULL,
  manager_id  text,
  status      text        NOT NULL CHECK (status IN ('invited', 'active', 'removed')),
  invited_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, account_id)
);
CREATE UNIQUE INDEX accounts_email ON accounts (lower(email));

CREATE TABLE invitations (
  token_hash  bytea       PRIMARY KEY,
  tenant_id   text        NOT NULL,
  account_id  text        NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  UNIQUE (tenant_id, account_id)
);

CREATE TABLE credentials (
  tenant_id      text        NOT NULL,
  account_id     text        NOT NULL,
  password_hash  text        NOT NULL,
  set_at         timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, account_id)
);

CREATE TABLE sessions (
  id_hash       bytea       PRIMARY KEY,
  tenant_id     text        NOT NULL,
  account_id    text        NOT NULL,
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz
);
CREATE INDEX sessions_account ON sessions (tenant_id, account_id) WHERE revoked_at IS NULL;

CREATE TABLE sign_in_failures (
  subject    text        NOT NULL,
  failed_at  timestamptz NOT NULL
);
CREATE INDEX sign_in_failures_subject ON sign_in_failures (subject, failed_at);

CREATE TABLE sign_in_lockouts (
  subject       text        PRIMARY KEY,
  locked_until  timestamptz NOT NULL
);
`,
};
