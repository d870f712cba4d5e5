import type { Migration } from './migration';

/**
 * Signing in through an organisation's own identity provider (OpenID Connect): its settings
 * with the client secret (a secret, so never in an event), each sign-in under way (state,
 * nonce and PKCE verifier, single use, for ten minutes; only a SHA-256 of the browser's
 * cookie), and the accounts such a sign-in created, found again by issuer and subject. Their
 * email comes from the provider and is shown only, never signed in with: it need not be unique,
 * so the index that keeps emails unique now covers the accounts that sign in with a password.
 */
export const identityProvidersMigration: Migration = {
  id: '0004_identity_providers',
  sql: /* sql */ `
ALTER TABLE accounts
  ADD COLUMN identity_issuer  text,
  ADD COLUMN identity_subject text,
  ADD CONSTRAINT accounts_identity_whole
    CHECK ((identity_issuer IS NULL) = (identity_subject IS NULL));
DROP INDEX accounts_email;
CREATE UNIQUE INDEX accounts_email ON accounts (lower(email)) WHERE identity_subject IS NULL;
CREATE UNIQUE INDEX accounts_identity ON accounts (tenant_id, identity_issuer, identity_subject)
  WHERE identity_subject IS NOT NULL;

CREATE TABLE identity_providers (
  tenant_id          text        PRIMARY KEY,
  issuer             text        NOT NULL,
  client_id          text        NOT NULL,
  client_secret      text        NOT NULL,
  role_claim         text        NOT NULL,
  role_mappings      jsonb       NOT NULL,
  additional_scopes  text[]      NOT NULL,
  configured_by      text        NOT NULL,
  configured_at      timestamptz NOT NULL
);

CREATE TABLE identity_provider_sign_ins (
  id_hash        bytea       PRIMARY KEY,
  tenant_id      text        NOT NULL,
  state          text        NOT NULL,
  nonce          text        NOT NULL,
  code_verifier  text        NOT NULL,
  redirect_uri   text        NOT NULL,
  return_to      text        NOT NULL,
  expires_at     timestamptz NOT NULL
);
CREATE INDEX identity_provider_sign_ins_expiry ON identity_provider_sign_ins (expires_at);
`,
};
