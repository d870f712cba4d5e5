import type { Pool, PoolClient } from 'pg';
import { ConcurrencyError, EventIdConflictError, TenantMismatchError } from '../errors';
import type { AppendResult, ExpectedVersion } from '../event-store.port';

/**
 * The statements that append to PostgreSQL (migrations 0001, 0015, 0017), and what their
 * answers mean for the caller: one stream's batch through `append_events` (a named statement),
 * many streams' through `append_to_streams` in one statement, or through `append_events` a
 * statement for many when the set-wise function does not take them.
 */

/** A pool, or one client holding an open transaction (to append as part of a larger unit). */
export type Queryable = Pick<Pool, 'query'> | PoolClient;

export interface AppendRow {
  outcome: 'appended' | 'already-stored' | 'conflict' | 'tenant-mismatch';
  event_id: string | null;
  stream_id: string | null;
  stream_version: string | null;
  global_position: string | null;
  content_hash: string | null;
  global_positions: string[] | null;
}

/** One stream's batch through `append_events`, as its answer or a typed error. */
export async function appendPrepared(db: Queryable, append: PreparedAppend): Promise<AppendResult> {
  const { rows } = await db.query<AppendRow>({
    name: 'append_events',
    text: APPEND_ONE_STREAM,
    values: append.params,
  });
  return interpretAppend(append, rows);
}

/**
 * Many streams' batches through `append_to_streams` (migration 0015), one statement: when
 * there are several, each at an exact version and named once. Null when it does not apply, or
 * when a head was not where expected — then the caller appends stream by stream, which says why.
 */
export async function appendSetWise(
  client: Queryable,
  appends: readonly PreparedAppend[],
): Promise<AppendResult[] | null> {
  if (appends.length < 2) return null;
  if (appends.some((a) => a.expectedVersion === 'any')) return null;
  if (new Set(appends.map((a) => a.streamId)).size !== appends.length) return null;
  const expected = appends.map((a) =>
    typeof a.expectedVersion === 'number' ? a.expectedVersion : 0,
  );
  const events = appends.flatMap((a) => a.prepared);
  const { rows } = await client.query<{
    stream_index: number;
    stream_version: string | null;
    global_positions: string[] | null;
  }>(
    `SELECT * FROM append_to_streams($1::text[], $2::text[], $3::bigint[], $4::int[], $5::uuid[],
       $6::text[], $7::int[], $8::jsonb, $9::jsonb, $10::timestamptz[], $11::text[])`,
    [
      appends.map((a) => a.streamId),
      appends.map((a) => a.params[1]),
      expected,
      appends.map((a) => a.prepared.length),
      events.map((e) => e.eventId),
      events.map((e) => e.type),
      events.map((e) => e.schemaVersion),
      `[${events.map((e) => e.json).join(',')}]`,
      `[${events.map((e) => e.metadata).join(',')}]`,
      events.map((e) => e.effectiveAt),
      events.map((e) => e.contentHash),
    ],
  );
  if (rows.length !== appends.length || rows.some((row) => row.stream_index === 0)) return null;
  const byIndex = new Map(rows.map((row) => [row.stream_index, row]));
  return appends.map((append, index) => {
    const row = byIndex.get(index + 1)!;
    const nextExpectedVersion = Number(row.stream_version);
    const firstVersion = nextExpectedVersion - append.prepared.length + 1;
    return {
      streamId: append.streamId,
      nextExpectedVersion,
      events: append.prepared.map((event, i) => ({
        eventId: event.eventId,
        streamVersion: firstVersion + i,
        globalPosition: Number(row.global_positions![i]),
      })),
      alreadyStored: false,
    };
  });
}

/** The casts of `append_events`' parameters, in order. */
export const APPEND_PARAM_TYPES = [
  '',
  '',
  '',
  '',
  '::uuid[]',
  '::text[]',
  '::int[]',
  '::jsonb[]',
  '::jsonb[]',
  '::timestamptz[]',
  '::text[]',
];

/**
 * One stream's append, as a named (prepared) statement: each connection parses and plans it
 * once, not at every command.
 */
const APPEND_ONE_STREAM = `SELECT * FROM append_events(${APPEND_PARAM_TYPES.map((type, i) => `$${i + 1}${type}`).join(', ')})`;

/** 11 parameters a stream: well under PostgreSQL's 65,535 a statement. */
const STREAMS_PER_STATEMENT = 500;

/** A batch checked and hashed, with `append_events`' parameters. */
export interface PreparedAppend {
  streamId: string;
  expectedVersion: ExpectedVersion;
  prepared: {
    eventId: string;
    contentHash: string;
    type: string;
    schemaVersion: number;
    json: string;
    metadata: string;
    effectiveAt: string | null;
  }[];
  params: unknown[];
}

/** What `append_events` answered for one stream, as an AppendResult or a typed error. */
function interpretAppend(append: PreparedAppend, rows: AppendRow[]): AppendResult {
  const { streamId, expectedVersion, prepared } = append;
  const first = rows[0];
  switch (first?.outcome) {
    case 'appended': {
      const nextExpectedVersion = Number(first.stream_version);
      const firstVersion = nextExpectedVersion - prepared.length + 1;
      return {
        streamId,
        nextExpectedVersion,
        events: prepared.map((event, i) => ({
          eventId: event.eventId,
          streamVersion: firstVersion + i,
          globalPosition: Number(first.global_positions![i]),
        })),
        alreadyStored: false,
      };
    }
    case 'tenant-mismatch':
      throw new TenantMismatchError(streamId);
    case 'conflict':
      throw new ConcurrencyError(streamId, expectedVersion, Number(first.stream_version));
    case 'already-stored':
      return resolveRetry(streamId, prepared, rows);
    default:
      throw new Error(`append_events returned an unexpected result for stream "${streamId}"`);
  }
}

/** A retried batch: succeed with the original positions if it is the very same batch. */
function resolveRetry(
  streamId: string,
  prepared: { eventId: string; contentHash: string }[],
  rows: AppendRow[],
): AppendResult {
  const stored = new Map(
    rows.filter((r) => r.outcome === 'already-stored').map((r) => [r.event_id!, r]),
  );
  for (const event of prepared) {
    const row = stored.get(event.eventId);
    if (!row) {
      const storedId = [...stored.keys()][0]!;
      throw new EventIdConflictError(
        storedId,
        'is already stored, but other events of the batch are not: retry a batch whole, with the same events',
      );
    }
    if (row.stream_id !== streamId)
      throw new EventIdConflictError(event.eventId, 'is already stored in another stream');
    if (row.content_hash !== event.contentHash) {
      throw new EventIdConflictError(event.eventId, 'is already stored with different content');
    }
  }
  const events = prepared.map((event) => {
    const row = stored.get(event.eventId)!;
    return {
      eventId: event.eventId,
      streamVersion: Number(row.stream_version),
      globalPosition: Number(row.global_position),
    };
  });
  return {
    streamId,
    nextExpectedVersion: Math.max(...events.map((e) => e.streamVersion)),
    events,
    alreadyStored: true,
  };
}

/**
 * Several streams' batches through `append_events`, {@link STREAMS_PER_STATEMENT} a statement
 * (UNION ALL): where `append_to_streams` does not take them (one stream twice, an `'any'`).
 * The first conflict throws.
 */
export async function appendEachInFewStatements(
  client: Queryable,
  prepared: readonly PreparedAppend[],
): Promise<AppendResult[]> {
  const results: AppendResult[] = [];
  for (let start = 0; start < prepared.length; start += STREAMS_PER_STATEMENT) {
    const chunk = prepared.slice(start, start + STREAMS_PER_STATEMENT);
    const params: unknown[] = [];
    const calls = chunk.map((append, index) => {
      const first = params.length + 1;
      params.push(...append.params);
      const placeholders = APPEND_PARAM_TYPES.map((type, i) => `$${first + i}${type}`).join(', ');
      return `SELECT ${index} AS append_index, r.* FROM append_events(${placeholders}) r`;
    });
    const { rows } = await client.query<AppendRow & { append_index: number }>(
      calls.join('\nUNION ALL\n'),
      params,
    );
    chunk.forEach((append, index) => {
      results.push(
        interpretAppend(
          append,
          rows.filter((row) => row.append_index === index),
        ),
      );
    });
  }
  return results;
}
