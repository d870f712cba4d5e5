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
-- relies on it to find the end of every stream). The WHEN clause keeps the check off the
-- append path: the function runs only for an update that breaks the rule.
CREATE FUNCTION streams_move_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stream heads only move forward: this % on streams is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER streams_forward_only BEFORE UPDATE ON streams FOR EACH ROW
  WHEN (NEW.version < OLD.version OR NEW.tenant_id <> OLD.tenant_id OR NEW.stream_id <> OLD.stream_id)
  EXECUTE FUNCTION streams_move_forward_only();
CREATE TRIGGER streams_no_delete BEFORE DELETE ON streams
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
 * Returns one row 'appended' (stream_version: the version now; global_positions: the events'
 * positions in batch order), or rows saying why not:
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
  content_hash     text,
  global_positions bigint[]
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_count       integer := cardinality(p_event_ids);
  v_version     bigint;
  v_tenant      text;
  v_hash        text;
  v_first_prev  text;
  v_now         timestamptz;
  v_micros      text;
  v_hashes      text[] := '{}';
  v_positions   bigint[];
BEGIN
  -- Recorded time is the server clock once the head is locked, to the millisecond (what a
  -- JavaScript Date holds exactly), never earlier than the stream's previous event, so "the
  -- stream as known at time T" is always a prefix of it. Locking the head serialises appends to
  -- one stream; other streams run in parallel.
  IF NOT p_any THEN
    -- The common case, a command handler's append at the version it read: one update moves
    -- and locks the head, or one insert creates it.
    IF p_expected > 0 THEN
      UPDATE streams s
         SET version = s.version + v_count,
             last_recorded_at = greatest(date_trunc('milliseconds', clock_timestamp()), s.last_recorded_at)
       WHERE s.stream_id = p_stream_id AND s.tenant_id = p_tenant_id AND s.version = p_expected
      RETURNING s.version - v_count, s.last_recorded_at INTO v_version, v_now;
    ELSE
      INSERT INTO streams (stream_id, tenant_id, version, last_recorded_at)
        VALUES (p_stream_id, p_tenant_id, v_count, date_trunc('milliseconds', clock_timestamp()))
        ON CONFLICT ON CONSTRAINT streams_pkey DO NOTHING
      RETURNING 0, streams.last_recorded_at INTO v_version, v_now;
    END IF;
    IF NOT FOUND THEN
      -- Why not: another tenant's stream, a retry of stored events, or a version conflict.
      SELECT s.version, s.tenant_id INTO v_version, v_tenant FROM streams s WHERE s.stream_id = p_stream_id;
      IF FOUND AND v_tenant <> p_tenant_id THEN
        RETURN QUERY SELECT 'tenant-mismatch'::text, NULL::uuid, p_stream_id, NULL::bigint, NULL::bigint,
                            NULL::text, NULL::bigint[];
        RETURN;
      END IF;
      RETURN QUERY SELECT * FROM append_events_refusal(p_event_ids, coalesce(v_version, 0));
      RETURN;
    END IF;
  ELSE
    -- 'any': lock the head (creating it if needed) before looking for a retry, so the check sees
    -- every committed event; a retry is refused with the stored rows rather than failing on the
    -- unique event id (which would abort the caller's transaction).
    INSERT INTO streams (stream_id, tenant_id, version, last_recorded_at)
      VALUES (p_stream_id, p_tenant_id, 0, '-infinity')
      ON CONFLICT ON CONSTRAINT streams_pkey DO NOTHING;
    SELECT s.version, s.tenant_id INTO v_version, v_tenant FROM streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
    IF v_tenant <> p_tenant_id THEN
      RETURN QUERY SELECT 'tenant-mismatch'::text, NULL::uuid, p_stream_id, NULL::bigint, NULL::bigint,
                          NULL::text, NULL::bigint[];
      RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM events e WHERE e.event_id = ANY (p_event_ids)) THEN
      RETURN QUERY SELECT * FROM append_events_refusal(p_event_ids, v_version);
      RETURN;
    END IF;
    UPDATE streams s
       SET version = s.version + v_count,
           last_recorded_at = greatest(date_trunc('milliseconds', clock_timestamp()), s.last_recorded_at)
     WHERE s.stream_id = p_stream_id
    RETURNING s.last_recorded_at INTO v_now;
  END IF;

  -- Chain the batch to the stream's last event.
  v_hash := '';
  IF v_version > 0 THEN
    SELECT e.hash INTO STRICT v_hash FROM events e WHERE e.stream_id = p_stream_id AND e.stream_version = v_version;
  END IF;
  v_micros := (extract(epoch FROM v_now) * 1000000)::bigint::text;
  v_first_prev := v_hash;
  FOR i IN 1 .. v_count LOOP
    v_hash := encode(sha256(convert_to(
      v_hash || '|' || p_stream_id || '|' || (v_version + i)::text || '|' || v_micros || '|' || p_content_hashes[i],
      'UTF8')), 'hex');
    v_hashes := v_hashes || v_hash;
  END LOOP;

  WITH inserted AS (
    INSERT INTO events AS e (event_id, stream_id, stream_version, tenant_id, type, schema_version, data,
                             metadata, recorded_at, effective_at, content_hash, previous_hash, hash)
    SELECT b.event_id, p_stream_id, v_version + b.n, p_tenant_id, b.type, b.schema_version, b.data,
           b.metadata, v_now, b.effective_at, b.content_hash,
           CASE WHEN b.n = 1 THEN v_first_prev ELSE v_hashes[b.n - 1] END, v_hashes[b.n]
      FROM unnest(p_event_ids, p_types, p_schema_versions, p_data, p_metadata, p_effective_at, p_content_hashes)
           WITH ORDINALITY AS b(event_id, type, schema_version, data, metadata, effective_at, content_hash, n)
    RETURNING e.stream_version, e.global_position
  )
  SELECT array_agg(inserted.global_position ORDER BY inserted.stream_version) INTO v_positions FROM inserted;

  -- One row, not one per event: the client knows the ids and versions; positions are new.
  RETURN QUERY SELECT 'appended'::text, NULL::uuid, p_stream_id, v_version + v_count, NULL::bigint, NULL::text,
                      v_positions;
END $$;

/* Why an append was refused: a retry of events already stored, or else a version conflict. */
CREATE FUNCTION append_events_refusal(p_event_ids uuid[], p_actual bigint)
RETURNS TABLE (outcome text, event_id uuid, stream_id text, stream_version bigint, global_position bigint,
               content_hash text, global_positions bigint[])
LANGUAGE sql STABLE AS $$
  SELECT 'already-stored'::text, e.event_id, e.stream_id, e.stream_version, e.global_position, e.content_hash,
         NULL::bigint[]
    FROM events e WHERE e.event_id = ANY (p_event_ids)
  UNION ALL
  SELECT 'conflict'::text, NULL::uuid, NULL::text, p_actual, NULL::bigint, NULL::text, NULL::bigint[]
   WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = ANY (p_event_ids))
$$;
`,
};
