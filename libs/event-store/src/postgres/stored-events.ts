import type { Pool, PoolClient } from 'pg';
import type { EventMetadata, ReadStreamOptions } from '../event-store.port';
import type { StoredEventRecord, StreamAnchor } from '../stored-event-record';
import { assertValidReadStreamOptions, assertValidStreamId } from '../validation';

/**
 * Events as stored, for whoever must recompute their hashes (the audit API, evidence bundles):
 * the stored data and schema version, the stored effective time (null stays null), the recorded
 * time to the microsecond as the chain link hashes it, and the content hash.
 */
type Queryable = Pick<Pool, 'query'> | PoolClient;

interface StoredEventRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_version: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  effective_at: Date | null;
  recorded_at: Date;
  recorded_micros: string;
  content_hash: string;
  previous_hash: string;
  hash: string;
}

const STORED_COLUMNS = `global_position, event_id, stream_id, stream_version, type, schema_version,
  data, metadata, effective_at, recorded_at,
  (extract(epoch FROM recorded_at) * 1000000)::bigint::text AS recorded_micros,
  content_hash, previous_hash, hash`;

/** A stream's events as stored, with the same options as `EventStore.readStream`. */
export async function readStoredStream(
  db: Queryable,
  streamId: string,
  options: ReadStreamOptions = {},
): Promise<StoredEventRecord[]> {
  assertValidStreamId(streamId);
  assertValidReadStreamOptions(options);
  const conditions = ['stream_id = $1'];
  const params: unknown[] = [streamId];
  const add = (condition: string, value: unknown) => {
    params.push(value);
    conditions.push(`${condition} $${params.length}`);
  };
  if (options.fromVersion !== undefined) add('stream_version >=', options.fromVersion);
  if (options.toVersion !== undefined) add('stream_version <=', options.toVersion);
  if (options.recordedUntil !== undefined) add('recorded_at <=', options.recordedUntil);
  let limit = '';
  if (options.maxCount !== undefined) {
    params.push(options.maxCount);
    limit = `LIMIT $${params.length}`;
  }
  const direction = options.direction === 'backward' ? 'DESC' : 'ASC';
  const { rows } = await db.query<StoredEventRow>(
    `SELECT ${STORED_COLUMNS} FROM events WHERE ${conditions.join(' AND ')}
      ORDER BY stream_version ${direction} ${limit}`,
    params,
  );
  return rows.map(toStoredEventRecord);
}

/** A tenant's events recorded in `[recordedFrom, recordedBefore)`. */
export interface RecordedPeriod {
  tenantId: string;
  recordedFrom: Date;
  recordedBefore: Date;
}

/**
 * Every event of a tenant recorded in the period, in global position order (the order they
 * were written, so each stream's versions come in order), a page at a time: a million events
 * never sit in memory together. Read a period that has ended: an event is visible only once
 * its transaction has committed, which can be a moment after its recorded time.
 */
export async function* readStoredEventsRecorded(
  db: Queryable,
  period: RecordedPeriod,
  options: { pageSize?: number } = {},
): AsyncGenerator<StoredEventRecord> {
  const pageSize = options.pageSize ?? 1000;
  let after = '0';
  for (;;) {
    const { rows } = await db.query<StoredEventRow>(
      `SELECT ${STORED_COLUMNS} FROM events
        WHERE global_position > $1::bigint AND tenant_id = $2
          AND recorded_at >= $3 AND recorded_at < $4
        ORDER BY global_position LIMIT $5`,
      [after, period.tenantId, period.recordedFrom, period.recordedBefore, pageSize],
    );
    for (const row of rows) yield toStoredEventRecord(row);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.global_position;
  }
}

/**
 * For every stream of the tenant with events in the period and events before it: the last
 * event before the period, which the stream's first event in the period chains to. Streams
 * that begin inside the period have no anchor.
 */
export async function readStreamAnchors(
  db: Queryable,
  period: RecordedPeriod,
): Promise<Map<string, StreamAnchor>> {
  const { rows } = await db.query<{ stream_id: string; stream_version: string; hash: string }>(
    `SELECT DISTINCT ON (e.stream_id) e.stream_id, e.stream_version, e.hash
       FROM events e
      WHERE e.tenant_id = $1 AND e.recorded_at < $2
        AND e.stream_id IN (SELECT p.stream_id FROM events p
                             WHERE p.tenant_id = $1 AND p.recorded_at >= $2 AND p.recorded_at < $3)
      ORDER BY e.stream_id, e.stream_version DESC`,
    [period.tenantId, period.recordedFrom, period.recordedBefore],
  );
  return new Map(
    rows.map((row) => [
      row.stream_id,
      { streamVersion: Number(row.stream_version), hash: row.hash },
    ]),
  );
}

function toStoredEventRecord(row: StoredEventRow): StoredEventRecord {
  return {
    globalPosition: Number(row.global_position),
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    effectiveAt: row.effective_at === null ? null : row.effective_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    recordedAtMicros: row.recorded_micros,
    contentHash: row.content_hash,
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}
