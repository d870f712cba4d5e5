import { appendToStreamsMigration } from './0015-append-to-streams';
import type { Migration } from './migration';

const JOINED_LOOKUP = `  SELECT array_agg(coalesce(e.hash, '') ORDER BY w.idx) INTO v_previous
    FROM unnest(p_stream_ids, p_expected) WITH ORDINALITY AS w(stream_id, expected, idx)
    LEFT JOIN events e ON e.stream_id = w.stream_id AND e.stream_version = w.expected;`;

const INDEXED_LOOKUP = `  SELECT array_agg(coalesce(
           (SELECT e.hash FROM events e WHERE e.stream_id = w.stream_id AND e.stream_version = w.expected),
           '') ORDER BY w.idx) INTO v_previous
    FROM unnest(p_stream_ids, p_expected) WITH ORDINALITY AS w(stream_id, expected, idx);`;

/**
 * `append_to_streams` (migration 0015) looked up each stream's last hash by joining the batch's
 * streams to `events`; planned without statistics on `events` (a young database, or one without
 * autovacuum) that join read the whole table, at every call — what made small groups of appends
 * slower than the same appends one by one (decision 0044). Each stream's last event is now
 * looked up by its (stream, version) key. Nothing else in the function changes: the rest of
 * its text is 0015's.
 */
export const appendToStreamsChainLookupMigration: Migration = {
  id: '0017_append_to_streams_chain_lookup',
  sql: replaceOnce(
    replaceOnce(
      appendToStreamsMigration.sql,
      'CREATE FUNCTION append_to_streams(',
      'CREATE OR REPLACE FUNCTION append_to_streams(',
    ),
    JOINED_LOOKUP,
    INDEXED_LOOKUP,
  ),
};

function replaceOnce(text: string, from: string, to: string): string {
  if (text.split(from).length !== 2) throw new Error(`migration 0017: "${from}" not found once`);
  return text.replace(from, to);
}
