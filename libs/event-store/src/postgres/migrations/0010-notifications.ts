import type { Migration } from './migration';

/**
 * Notifications that reach people (docs/decisions/0036): one delivery row per notification and
 * account — its primary key is what makes sending idempotent, and a second key keeps a person
 * told once per event whatever rules matched — with its state (pending → sent, or left for the
 * digest, or held while the address bounces); each person's choice of immediate or daily digest;
 * the digests sent, one per person and day; and the addresses mail to which was refused for
 * good, kept as a SHA-256 of the address (the accounts table holds the address itself, and
 * erasing the person changes it there, which ends the bounce).
 */
export const notificationsMigration: Migration = {
  id: '0010_notifications',
  sql: /* sql */ `
CREATE TABLE notification_deliveries (
  tenant_id         text        NOT NULL,
  account_id        text        NOT NULL,
  notification_id   text        NOT NULL,
  source_event_id   uuid        NOT NULL,
  source_tenant_id  text        NOT NULL,
  kind              text        NOT NULL,
  subject           text        NOT NULL,
  facts             jsonb       NOT NULL,
  link              text,
  occurred_at       timestamptz NOT NULL,
  created_at        timestamptz NOT NULL,
  status            text        NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'sending', 'sent', 'digest', 'held', 'not-sent')),
  message_id        text,
  attempts          integer     NOT NULL DEFAULT 0,
  claimed_at        timestamptz,
  last_error        text,
  sent_at           timestamptz,
  digest_day        date,
  read_at           timestamptz,
  PRIMARY KEY (tenant_id, account_id, notification_id),
  UNIQUE (tenant_id, account_id, source_event_id)
);
CREATE INDEX notification_deliveries_inbox
  ON notification_deliveries (tenant_id, account_id, occurred_at DESC);
CREATE INDEX notification_deliveries_for_digest
  ON notification_deliveries (created_at) WHERE status = 'digest';

CREATE TABLE notification_preferences (
  tenant_id   text        NOT NULL,
  account_id  text        NOT NULL,
  mode        text        NOT NULL CHECK (mode IN ('immediate', 'daily-digest')),
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, account_id)
);

CREATE TABLE notification_digests (
  tenant_id         text        NOT NULL,
  account_id        text        NOT NULL,
  digest_day        date        NOT NULL,
  notification_ids  text[]      NOT NULL,
  message_id        text        NOT NULL,
  status            text        NOT NULL CHECK (status IN ('sending', 'sent', 'held', 'not-sent')),
  attempts          integer     NOT NULL DEFAULT 0,
  last_error        text,
  sent_at           timestamptz,
  PRIMARY KEY (tenant_id, account_id, digest_day)
);

CREATE TABLE notification_bounces (
  tenant_id      text        NOT NULL,
  account_id     text        NOT NULL,
  email_sha256   text        NOT NULL,
  smtp_code      integer     NOT NULL,
  smtp_response  text        NOT NULL,
  bounced_at     timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, account_id, email_sha256)
);
`,
};
