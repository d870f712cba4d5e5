import type { Migration } from './migration';

/**
 * The event store: streams (one row per stream: its head), events (the log), checkpoints of
 * global-log readers, and `append_events`, which appends a batch in one statement.
 * See docs/decisions/0002-gap-free-global-log.md and 0003-hash-chain.md.
 */
export const eventStoreMigration: Migration = {
  id: '0001_event_store',
  sql: /* sql */ `
CREATE TABLE streams (
  stream_id        text        PRIMARY KEY,
  tenant_id        text        NOT NULL,
  version          bigint      NOT NULL CHECK (version >= 0),
  last_hash        text        NOT NULL,
  last_recorded_at timestamptz NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX streams_tenant ON streams (tenant_id, stream_id);

CREATE TABLE events (
  global_position bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  event_id        uuid        NOT NULL,
  stream_id       text        NOT NULL,
  stream_version  bigint      NOT NULL CHECK (stream_version >= 1),
  tenant_id       text        NOT NULL,
  type            text        NOT NULL,
  schema_version  integer     NOT NULL CHECK (schema_version >= 1),
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL,
  recorded_at     timestamptz NOT NULL,
  effective_at    timestamptz,          -- NULL: took effect when recorded
  content_hash    text        NOT NULL,
  previous_hash   text        NOT NULL,
  hash            text        NOT NULL,
  CONSTRAINT events_event_id_unique UNIQUE (event_id),
  CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
);
-- The global log is read in (transaction_id, global_position) order; see append_events.
CREATE INDEX events_log_order ON events (transaction_id, global_position);

-- Stored events are never changed or deleted: compensate with a new event instead.
CREATE FUNCTION events_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are immutable: % on events is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION events_are_immutable();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_are_immutable();

-- A stream head only moves forward and never changes tenant; it is never deleted (verify
-- relies on it to find the end of every stream).
CREATE FUNCTION streams_move_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' OR NEW.version < OLD.version OR NEW.tenant_id <> OLD.tenant_id
     OR NEW.stream_id <> OLD.stream_id THEN
    RAISE EXCEPTION 'stream heads only move forward: % on streams is not allowed', TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER streams_forward_only BEFORE UPDATE OR DELETE ON streams
  FOR EACH ROW EXECUTE FUNCTION streams_move_forward_only();
CREATE TRIGGER streams_no_truncate BEFORE TRUNCATE ON streams
  FOR EACH STATEMENT EXECUTE FUNCTION events_are_immutable();

CREATE TABLE checkpoints (
  name            text        PRIMARY KEY,
  transaction_id  xid8        NOT NULL,
  global_position bigint      NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);

/*
 * Appends a batch to one stream, or refuses it; one call = one statement for the client.
 * Returns one row per event with outcome 'appended', or rows saying why not:
 *   'already-stored'   one row per event id of the batch that is already stored (a retry)
 *   'conflict'         the stream is not at the expected version (stream_version = actual)
 *   'tenant-mismatch'  the stream belongs to another tenant
 * p_expected: the expected version (0 = the stream must not exist); ignored when p_any.
 */
CREATE FUNCTION append_events(
  p_stream_id       text,
  p_tenant_id       text,
  p_expected        bigint,
  p_any             boolean,
  p_event_ids       uuid[],
  p_types           text[],
  p_schema_versions integer[],
  p_data            jsonb[],
  p_metadata        jsonb[],
  p_effective_at    timestamptz[],
  p_content_hashes  text[]
) RETURNS TABLE (
  outcome          text,
  event_id         uuid,
  stream_id        text,
  stream_version   bigint,
  global_position  bigint,
  content_hash     text
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_count       integer := cardinality(p_event_ids);
  v_version     bigint;
  v_tenant      text;
  v_hash        text;
  v_first_prev  text;
  v_last_at     timestamptz;
  v_now         timestamptz;
  v_micros      text;
  v_hashes      text[] := '{}';
BEGIN
  -- Lock the stream head: appends to one stream are serialised, other streams run in parallel.
  SELECT s.version, s.tenant_id, s.last_hash, s.last_recorded_at
    INTO v_version, v_tenant, v_hash, v_last_at
    FROM streams s WHERE s.stream_id = p_stream_id FOR UPDATE;

  IF NOT FOUND THEN
    IF NOT p_any AND p_expected <> 0 THEN
      RETURN QUERY SELECT * FROM append_events_refusal(p_event_ids, 0);
      RETURN;
    END IF;
    INSERT INTO streams (stream_id, tenant_id, version, last_hash, last_recorded_at)
      VALUES (p_stream_id, p_tenant_id, 0, '', '-infinity')
      ON CONFLICT ON CONSTRAINT streams_pkey DO NOTHING;
    IF FOUND THEN
      v_version := 0; v_tenant := p_tenant_id; v_hash := ''; v_last_at := '-infinity';
    ELSE
      -- Another writer created the stream meanwhile (and has committed): take its head.
      SELECT s.version, s.tenant_id, s.last_hash, s.last_recorded_at
        INTO v_version, v_tenant, v_hash, v_last_at
        FROM streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
    END IF;
  END IF;

  IF v_tenant <> p_tenant_id THEN
    RETURN QUERY SELECT 'tenant-mismatch'::text, NULL::uuid, p_stream_id, NULL::bigint, NULL::bigint, NULL::text;
    RETURN;
  END IF;
  IF NOT p_any AND v_version <> p_expected THEN
    RETURN QUERY SELECT * FROM append_events_refusal(p_event_ids, v_version);
    RETURN;
  END IF;
  -- A retry with 'any' passes the version check: refuse it here, with the stored rows, rather
  -- than failing on the unique event id (which would abort the caller's transaction).
  IF p_any AND EXISTS (SELECT 1 FROM events e WHERE e.event_id = ANY (p_event_ids)) THEN
    RETURN QUERY SELECT * FROM append_events_refusal(p_event_ids, v_version);
    RETURN;
  END IF;

  -- Recorded time: the server clock once the head is locked, never earlier than the
  -- stream's previous event, so "the stream as known at time T" is always a prefix of it.
  -- Kept to the millisecond, the precision every client (JavaScript Date) can hold exactly.
  v_now := greatest(date_trunc('milliseconds', clock_timestamp()), v_last_at);
  v_micros := (extract(epoch FROM v_now) * 1000000)::bigint::text;
  v_first_prev := v_hash;
  FOR i IN 1 .. v_count LOOP
    v_hash := encode(sha256(convert_to(
      v_hash || '|' || p_stream_id || '|' || (v_version + i)::text || '|' || v_micros || '|' || p_content_hashes[i],
      'UTF8')), 'hex');
    v_hashes := v_hashes || v_hash;
  END LOOP;

  RETURN QUERY
  INSERT INTO events AS e (event_id, stream_id, stream_version, tenant_id, type, schema_version, data,
                           metadata, recorded_at, effective_at, content_hash, previous_hash, hash)
  SELECT b.event_id, p_stream_id, v_version + b.n, p_tenant_id, b.type, b.schema_version, b.data,
         b.metadata, v_now, b.effective_at, b.content_hash,
         CASE WHEN b.n = 1 THEN v_first_prev ELSE v_hashes[b.n - 1] END, v_hashes[b.n]
    FROM unnest(p_event_ids, p_types, p_schema_versions, p_data, p_metadata, p_effective_at, p_content_hashes)
         WITH ORDINALITY AS b(event_id, type, schema_version, data, metadata, effective_at, content_hash, n)
  RETURNING 'appended'::text, e.event_id, e.stream_id, e.stream_version, e.global_position, e.content_hash;

  UPDATE streams SET version = v_version + v_count, last_hash = v_hash, last_recorded_at = v_now
   WHERE streams.stream_id = p_stream_id;
END $$;

/* Why an append was refused: a retry of events already stored, or else a version conflict. */
CREATE FUNCTION append_events_refusal(p_event_ids uuid[], p_actual bigint)
RETURNS TABLE (outcome text, event_id uuid, stream_id text, stream_version bigint, global_position bigint, content_hash text)
LANGUAGE sql STABLE AS $$
  SELECT 'already-stored'::text, e.event_id, e.stream_id, e.stream_version, e.global_position, e.content_hash
    FROM events e WHERE e.event_id = ANY (p_event_ids)
  UNION ALL
  SELECT 'conflict'::text, NULL::uuid, NULL::text, p_actual, NULL::bigint, NULL::text
   WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = ANY (p_event_ids))
$$;
`,
};
