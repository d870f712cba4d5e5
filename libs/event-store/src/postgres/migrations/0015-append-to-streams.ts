import type { Migration } from './migration';

/**
 * `append_to_streams`: many streams' batches in one statement, set-wise — one update of their
 * heads, one insert of their events — where `append_events` runs once per stream. For a process
 * that writes to hundreds of streams a batch (the capability process: one or two events on each
 * of many counters), the per-stream call was most of the cost (docs/performance.md, issue 18).
 *
 * Only the common case: every stream at an exact expected version (0 = must not exist), each
 * stream once. When any head is not where expected (a conflict, a retry of stored events,
 * another tenant's stream), it undoes its own work and returns one row with stream_index 0: the
 * caller then appends stream by stream with `append_events`, which says exactly why. The chain,
 * the recorded time and the stored rows are those `append_events` writes.
 *
 * Data and metadata come as one JSON array each (the events' canonical texts joined), which
 * spares the client escaping every text into an array literal.
 */
export const appendToStreamsMigration: Migration = {
  id: '0015_append_to_streams',
  sql: /* sql */ `
CREATE FUNCTION append_to_streams(
  p_stream_ids      text[],
  p_tenant_ids      text[],
  p_expected        bigint[],
  p_counts          integer[],
  p_event_ids       uuid[],
  p_types           text[],
  p_schema_versions integer[],
  p_data            jsonb,
  p_metadata        jsonb,
  p_effective_at    timestamptz[],
  p_content_hashes  text[]
) RETURNS TABLE (stream_index integer, stream_version bigint, global_positions bigint[])
LANGUAGE plpgsql AS $$
DECLARE
  v_streams   integer := cardinality(p_stream_ids);
  v_moved     integer;
  v_now       timestamptz[];
  v_previous  text[];
  v_stream    text[] := '{}';
  v_tenant    text[] := '{}';
  v_version   bigint[] := '{}';
  v_recorded  timestamptz[] := '{}';
  v_prev      text[] := '{}';
  v_hashes    text[] := '{}';
  v_hash      text;
  v_micros    text;
  v_i         integer := 0;
BEGIN
  BEGIN
    -- Move every head at once; a head not where expected undoes this block.
    WITH wanted AS (
      SELECT * FROM unnest(p_stream_ids, p_tenant_ids, p_expected, p_counts)
        WITH ORDINALITY AS w(stream_id, tenant_id, expected, n, idx)
    ), moved AS (
      UPDATE streams s
         SET version = s.version + w.n,
             last_recorded_at = greatest(date_trunc('milliseconds', clock_timestamp()), s.last_recorded_at)
        FROM wanted w
       WHERE w.expected > 0 AND s.stream_id = w.stream_id AND s.tenant_id = w.tenant_id
         AND s.version = w.expected
      RETURNING s.stream_id, s.last_recorded_at
    ), created AS (
      INSERT INTO streams (stream_id, tenant_id, version, last_recorded_at)
      SELECT w.stream_id, w.tenant_id, w.n, date_trunc('milliseconds', clock_timestamp())
        FROM wanted w WHERE w.expected = 0
      ON CONFLICT ON CONSTRAINT streams_pkey DO NOTHING
      RETURNING streams.stream_id, streams.last_recorded_at
    )
    SELECT count(*), array_agg(h.last_recorded_at ORDER BY w.idx) INTO v_moved, v_now
      FROM wanted w JOIN (SELECT * FROM moved UNION ALL SELECT * FROM created) h USING (stream_id);
    IF v_moved <> v_streams THEN
      RAISE EXCEPTION 'a stream head is not at its expected version' USING ERRCODE = 'KL001';
    END IF;
  EXCEPTION WHEN SQLSTATE 'KL001' THEN
    RETURN QUERY SELECT 0, NULL::bigint, NULL::bigint[];
    RETURN;
  END;

  -- Chain each stream's batch to its last event.
  SELECT array_agg(coalesce(e.hash, '') ORDER BY w.idx) INTO v_previous
    FROM unnest(p_stream_ids, p_expected) WITH ORDINALITY AS w(stream_id, expected, idx)
    LEFT JOIN events e ON e.stream_id = w.stream_id AND e.stream_version = w.expected;
  FOR s IN 1 .. v_streams LOOP
    v_hash := v_previous[s];
    v_micros := (extract(epoch FROM v_now[s]) * 1000000)::bigint::text;
    FOR k IN 1 .. p_counts[s] LOOP
      v_i := v_i + 1;
      v_prev[v_i] := v_hash;
      v_hash := encode(sha256(convert_to(
        v_hash || '|' || p_stream_ids[s] || '|' || (p_expected[s] + k)::text || '|' || v_micros || '|' || p_content_hashes[v_i],
        'UTF8')), 'hex');
      v_hashes[v_i] := v_hash;
      v_stream[v_i] := p_stream_ids[s];
      v_tenant[v_i] := p_tenant_ids[s];
      v_version[v_i] := p_expected[s] + k;
      v_recorded[v_i] := v_now[s];
    END LOOP;
  END LOOP;

  RETURN QUERY
  WITH inserted AS (
    INSERT INTO events AS e (event_id, stream_id, stream_version, tenant_id, type, schema_version, data,
                             metadata, recorded_at, effective_at, content_hash, previous_hash, hash)
    SELECT b.event_id, b.stream_id, b.stream_version, b.tenant_id, b.type, b.schema_version, d.value,
           m.value, b.recorded_at, b.effective_at, b.content_hash, b.previous_hash, b.hash
      FROM unnest(p_event_ids, v_stream, v_version, v_tenant, p_types, p_schema_versions, v_recorded,
                  p_effective_at, p_content_hashes, v_prev, v_hashes)
           WITH ORDINALITY AS b(event_id, stream_id, stream_version, tenant_id, type, schema_version,
                                recorded_at, effective_at, content_hash, previous_hash, hash, n)
      JOIN jsonb_array_elements(p_data) WITH ORDINALITY AS d(value, n) USING (n)
      JOIN jsonb_array_elements(p_metadata) WITH ORDINALITY AS m(value, n) USING (n)
     ORDER BY b.n
    RETURNING e.stream_id, e.stream_version, e.global_position
  )
  SELECT w.idx::integer, max(i.stream_version), array_agg(i.global_position ORDER BY i.stream_version)
    FROM inserted i JOIN unnest(p_stream_ids) WITH ORDINALITY AS w(stream_id, idx) USING (stream_id)
   GROUP BY w.idx;
END $$;
`,
};
