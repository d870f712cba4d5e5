import type { Pool, PoolClient } from 'pg';
import { ConcurrencyError, EventIdConflictError, TenantMismatchError } from '../errors';
import type {
  AppendResult,
  BrokenLink,
  EventMetadata,
  StreamAppend,
  TransactionalEventStore,
  MultiStreamAppender,
  ExpectedVersion,
  GlobalCheckpoint,
  GlobalLogBatch,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  VerificationReport,
  VerifyOptions,
} from '../event-store.port';
import type { EventTypeRegistry } from '../event-type-registry';
import { firstBrokenLink, type StoredLink } from '../chain-verification';
import { AppendGroups } from './append-groups';
import { canonicalJson, contentHashOfCanonical, hashedMetadata } from '../hash-chain';
import { assertExpectedVersion } from '../expected-version';
import {
  assertValidBatch,
  assertValidExpectedVersion,
  assertValidReadAllOptions,
  assertValidReadStreamOptions,
  assertValidStreamId,
} from '../validation';

/** A pool, or one client holding an open transaction (to append as part of a larger unit). */
type Queryable = Pick<Pool, 'query'> | PoolClient;

interface AppendRow {
  outcome: 'appended' | 'already-stored' | 'conflict' | 'tenant-mismatch';
  event_id: string | null;
  stream_id: string | null;
  stream_version: string | null;
  global_position: string | null;
  content_hash: string | null;
  global_positions: string[] | null;
}

interface EventRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_version: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
  effective_at: Date | null;
  previous_hash: string;
  hash: string;
}

const EVENT_COLUMNS = `global_position, transaction_id, event_id, stream_id, stream_version, type, schema_version,
  data, metadata, recorded_at, effective_at, previous_hash, hash`;

const DEFAULT_READ_ALL_LIMIT = 1000;

/**
 * The PostgreSQL event store. One `events` table, one `streams` table of stream heads, and
 * the `append_events` function that appends a batch in one statement (migration 0001).
 */
export class PostgresEventStore
  implements TransactionalEventStore<PoolClient>, MultiStreamAppender
{
  constructor(
    private readonly pool: Pool,
    private readonly registry: EventTypeRegistry,
    private readonly options: { ownsPool?: boolean } = {},
  ) {}

  /**
   * Concurrent appends of a few events at exact versions (a command's) go to PostgreSQL together
   * (group commit, append-groups.ts); one alone goes at once.
   */
  private readonly appendGroups = new AppendGroups<PreparedAppend, AppendResult>({
    maxInFlight: 2,
    maxGroup: 100,
    keyOf: (append) => append.streamId,
    sendOne: (append) => appendPrepared(this.pool, append),
    sendGroup: (appends) => appendSetWise(this.pool, appends),
  });

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    const append = this.prepare(streamId, events, expectedVersion);
    if (append === null) return this.appendNothing(streamId, expectedVersion);
    // Small batches at an exact version are grouped (decision 0044); 'any' locks the head before
    // it looks for a retry, which append_events alone does, and a large batch only waits.
    return append.expectedVersion !== 'any' && append.prepared.length <= GROUPED_EVENTS_MAX
      ? this.appendGroups.submit(append)
      : appendPrepared(this.pool, append);
  }

  /**
   * Appends inside the caller's open transaction (`client` has run BEGIN). The events become
   * readable when the caller commits, and vanish if it rolls back.
   */
  async appendInTransaction(
    client: PoolClient,
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    return this.appendUsing(client, streamId, events, expectedVersion);
  }

  /**
   * Appends to several streams inside the caller's open transaction, in as few round trips as
   * possible (one statement per {@link STREAMS_PER_STATEMENT} streams): for a process that
   * writes to many streams per batch. Each stream is checked and chained as {@link append}
   * does; the first conflict throws (the caller rolls back).
   */
  async appendManyInTransaction(
    client: PoolClient,
    appends: readonly StreamAppend[],
  ): Promise<AppendResult[]> {
    const prepared = appends
      .map((a) => this.prepare(a.streamId, a.events, a.expectedVersion))
      .filter((p): p is PreparedAppend => p !== null);
    const setWise = await appendSetWise(client, prepared);
    if (setWise) return setWise;
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

  /**
   * Appends to several streams in one transaction of its own ({@link appendManyInTransaction}
   * between BEGIN and COMMIT): every stream's events are stored, or, on the first conflict or
   * error, none.
   */
  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const results = await this.appendManyInTransaction(client, appends);
      await client.query('COMMIT');
      return results;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async appendUsing(
    db: Queryable,
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    const append = this.prepare(streamId, events, expectedVersion);
    if (append === null) return this.appendNothing(streamId, expectedVersion);
    return appendPrepared(db, append);
  }

  /** An empty batch writes nothing; still tell a writer whose expected version is wrong. */
  private async appendNothing(
    streamId: string,
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    const version = await this.streamVersion(streamId);
    assertExpectedVersion(streamId, expectedVersion, version);
    return { streamId, nextExpectedVersion: version, events: [], alreadyStored: false };
  }

  /** Checks a batch and computes what `append_events` needs; null for an empty batch. */
  private prepare(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): PreparedAppend | null {
    assertValidStreamId(streamId);
    assertValidExpectedVersion(expectedVersion);
    const tenantId = assertValidBatch(events, this.registry);
    if (tenantId === undefined) return null;

    const prepared = events.map((event) => {
      const schemaVersion = this.registry.currentSchemaVersion(event.type);
      const effectiveAt = event.effectiveAt?.toISOString() ?? null;
      const eventId = event.eventId.toLowerCase();
      // Canonical JSON is valid JSON: the same texts are stored and hashed.
      const json = canonicalJson(event.data);
      const metadata = canonicalJson(hashedMetadata(event.metadata));
      return {
        eventId,
        type: event.type,
        schemaVersion,
        json,
        metadata,
        effectiveAt,
        contentHash: contentHashOfCanonical({
          eventId,
          streamId,
          type: event.type,
          schemaVersion,
          dataJson: json,
          metadataJson: metadata,
          effectiveAt,
        }),
      };
    });
    return {
      streamId,
      expectedVersion,
      prepared,
      params: [
        streamId,
        tenantId,
        typeof expectedVersion === 'number' ? expectedVersion : 0,
        expectedVersion === 'any',
        prepared.map((e) => e.eventId),
        prepared.map((e) => e.type),
        prepared.map((e) => e.schemaVersion),
        prepared.map((e) => e.json),
        prepared.map((e) => e.metadata),
        prepared.map((e) => e.effectiveAt),
        prepared.map((e) => e.contentHash),
      ],
    };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertValidStreamId(streamId);
    assertValidReadStreamOptions(options);
    const conditions = ['stream_id = $1'];
    const params: unknown[] = [streamId];
    if (options.fromVersion !== undefined) {
      params.push(options.fromVersion);
      conditions.push(`stream_version >= $${params.length}`);
    }
    if (options.toVersion !== undefined) {
      params.push(options.toVersion);
      conditions.push(`stream_version <= $${params.length}`);
    }
    if (options.recordedUntil !== undefined) {
      params.push(options.recordedUntil);
      conditions.push(`recorded_at <= $${params.length}`);
    }
    let limit = '';
    if (options.maxCount !== undefined) {
      params.push(options.maxCount);
      limit = `LIMIT $${params.length}`;
    }
    const direction = options.direction === 'backward' ? 'DESC' : 'ASC';
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE ${conditions.join(' AND ')} ORDER BY stream_version ${direction} ${limit}`,
      params,
    );
    return rows.map((row) => this.toRecordedEvent(row));
  }

  async readStreams(
    streamIds: readonly string[],
    fromVersions: readonly number[] = [],
  ): Promise<Map<string, RecordedEvent[]>> {
    streamIds.forEach((id) => assertValidStreamId(id));
    const from = streamIds.map((_, i) => fromVersions[i] ?? 1);
    from.forEach((version) => assertValidReadStreamOptions({ fromVersion: version }));
    const streams = new Map<string, RecordedEvent[]>(streamIds.map((id) => [id, []]));
    if (streamIds.length === 0) return streams;
    // Whole streams by `= ANY` (the planner estimates it well); from given versions through a
    // lateral lookup per stream. A join on `stream_version >= from_version` looked so
    // unselective to the planner that it scanned the whole table (seconds at 1 M events).
    const { rows } = from.every((version) => version === 1)
      ? await this.pool.query<EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ANY ($1::text[])
            ORDER BY stream_id, stream_version`,
          [streamIds],
        )
      : await this.pool.query<EventRow>(
          `SELECT e.* FROM unnest($1::text[], $2::bigint[]) AS wanted(stream_id, from_version)
            CROSS JOIN LATERAL (
              SELECT ${EVENT_COLUMNS} FROM events
               WHERE stream_id = wanted.stream_id AND stream_version >= wanted.from_version
              OFFSET 0) e
            ORDER BY e.stream_id, e.stream_version`,
          [streamIds, from],
        );
    for (const row of rows) streams.get(row.stream_id)!.push(this.toRecordedEvent(row));
    return streams;
  }

  async streamVersion(streamId: string): Promise<number> {
    assertValidStreamId(streamId);
    const { rows } = await this.pool.query<{ version: string }>(
      'SELECT version FROM streams WHERE stream_id = $1',
      [streamId],
    );
    return rows[0] ? Number(rows[0].version) : 0;
  }

  /**
   * Reads in (transaction id, global position) order, only events of transactions older than
   * every transaction still running. Identity values are taken at insert but become visible at
   * commit, so a plain `global_position > n` read could pass over an event that commits later;
   * below the snapshot's xmin nothing can still appear. docs/decisions/0002-gap-free-global-log.md
   */
  async readAll(after: GlobalCheckpoint, options: ReadAllOptions = {}): Promise<GlobalLogBatch> {
    return this.readAllUsing(this.pool, after, options);
  }

  /** {@link readAll} on a given client, e.g. inside a projection's transaction. */
  async readAllUsing(
    db: Queryable,
    after: GlobalCheckpoint,
    options: ReadAllOptions = {},
  ): Promise<GlobalLogBatch> {
    assertValidReadAllOptions(options);
    const limit = options.limit ?? DEFAULT_READ_ALL_LIMIT;
    const params = [String(after.transactionId), after.globalPosition, limit];
    const batch = `SELECT ${EVENT_COLUMNS} FROM events
        WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY transaction_id, global_position
        LIMIT $3`;
    if (options.types === undefined) {
      const { rows } = await db.query<EventRow>(batch, params);
      const events = rows.map((row) => this.toRecordedEvent(row));
      const last = events[events.length - 1];
      return {
        events,
        read: events.length,
        checkpoint: last
          ? { transactionId: last.transactionId, globalPosition: last.globalPosition }
          : after,
        caughtUp: events.length < limit,
      };
    }
    // Only the events of the types asked for, and the last event read (whatever its type) for
    // the checkpoint; the others' data never leaves the server.
    const { rows } = await db.query<EventRow & { read: string; wanted: boolean }>(
      `SELECT * FROM (
         SELECT b.*, row_number() OVER (ORDER BY b.transaction_id, b.global_position) AS n,
                count(*) OVER () AS read, b.type = ANY ($4::text[]) AS wanted
           FROM (${batch}) b
       ) numbered
        WHERE wanted OR n = read
        ORDER BY n`,
      [...params, options.types],
    );
    const last = rows[rows.length - 1];
    const read = last ? Number(last.read) : 0;
    return {
      events: rows.filter((row) => row.wanted).map((row) => this.toRecordedEvent(row)),
      read,
      checkpoint: last
        ? {
            transactionId: Number(last.transaction_id),
            globalPosition: Number(last.global_position),
          }
        : after,
      caughtUp: read < limit,
    };
  }

  async countEventsAfter(after: GlobalCheckpoint): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>(
      `SELECT count(*) FROM events WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)`,
      [String(after.transactionId), after.globalPosition],
    );
    return Number(rows[0]!.count);
  }

  async verify(options: VerifyOptions = {}): Promise<VerificationReport> {
    const report: VerificationReport = { streamsChecked: 0, eventsChecked: 0, brokenLinks: [] };
    const pageSize = 500;
    let afterStreamId = '';
    for (;;) {
      const params: unknown[] = [afterStreamId, pageSize];
      const filters: string[] = [];
      if (options.streamId !== undefined) {
        params.push(options.streamId);
        filters.push(`AND stream_id = $${params.length}`);
      }
      if (options.tenantId !== undefined) {
        params.push(options.tenantId);
        filters.push(`AND tenant_id = $${params.length}`);
      }
      const streams = await this.pool.query<{ stream_id: string; version: string }>(
        `SELECT stream_id, version FROM streams
          WHERE stream_id > $1 ${filters.join(' ')} ORDER BY stream_id LIMIT $2`,
        params,
      );
      if (streams.rows.length === 0) break;
      const events = await this.pool.query<VerifyRow>(
        `SELECT stream_id, stream_version, event_id, type, schema_version, data, metadata, effective_at,
                (extract(epoch FROM recorded_at) * 1000000)::bigint::text AS recorded_micros,
                content_hash, previous_hash, hash
           FROM events WHERE stream_id = ANY ($1::text[]) ORDER BY stream_id, stream_version`,
        [streams.rows.map((s) => s.stream_id)],
      );
      const byStream = new Map<string, VerifyRow[]>();
      for (const row of events.rows) {
        const list = byStream.get(row.stream_id) ?? [];
        list.push(row);
        byStream.set(row.stream_id, list);
      }
      for (const stream of streams.rows) {
        const rows = byStream.get(stream.stream_id) ?? [];
        const broken = firstBrokenLink(
          stream.stream_id,
          rows.map((row) => toStoredLink(stream.stream_id, row)),
          Number(stream.version),
        );
        if (broken) report.brokenLinks.push(broken);
        report.streamsChecked += 1;
        report.eventsChecked += rows.length;
        options.onProgress?.({
          streamsChecked: report.streamsChecked,
          eventsChecked: report.eventsChecked,
        });
      }
      afterStreamId = streams.rows[streams.rows.length - 1]!.stream_id;
      if (streams.rows.length < pageSize) break;
    }
    report.brokenLinks.push(...(await this.streamsWithoutHead(options)));
    return report;
  }

  /** Events whose stream head was deleted: the walk over `streams` above cannot see them. */
  private async streamsWithoutHead(options: VerifyOptions): Promise<BrokenLink[]> {
    const { rows } = await this.pool.query<{ stream_id: string; first_version: string }>(
      `SELECT e.stream_id, min(e.stream_version) AS first_version FROM events e
        WHERE NOT EXISTS (SELECT 1 FROM streams s WHERE s.stream_id = e.stream_id)
          AND ($1::text IS NULL OR e.stream_id = $1) AND ($2::text IS NULL OR e.tenant_id = $2)
        GROUP BY e.stream_id ORDER BY e.stream_id`,
      [options.streamId ?? null, options.tenantId ?? null],
    );
    return rows.map((row) => ({
      streamId: row.stream_id,
      streamVersion: Number(row.first_version),
      reason: 'head-missing' as const,
      detail: 'events are stored for this stream, but its head record is gone',
    }));
  }

  async close(): Promise<void> {
    if (this.options.ownsPool) await this.pool.end();
  }

  private toRecordedEvent(row: EventRow): RecordedEvent {
    const upcast = this.registry.upcast(row.type, row.schema_version, row.data);
    return {
      eventId: row.event_id,
      streamId: row.stream_id,
      streamVersion: Number(row.stream_version),
      globalPosition: Number(row.global_position),
      transactionId: Number(row.transaction_id),
      type: row.type,
      schemaVersion: upcast.schemaVersion,
      storedSchemaVersion: row.schema_version,
      data: upcast.data,
      metadata: row.metadata,
      recordedAt: row.recorded_at,
      effectiveAt: row.effective_at ?? row.recorded_at,
      previousHash: row.previous_hash,
      hash: row.hash,
    };
  }
}

interface VerifyRow {
  stream_id: string;
  stream_version: string;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  effective_at: Date | null;
  recorded_micros: string;
  content_hash: string;
  previous_hash: string;
  hash: string;
}

/** The chain's view of a stored row. */
function toStoredLink(streamId: string, row: VerifyRow): StoredLink {
  return {
    streamVersion: Number(row.stream_version),
    previousHash: row.previous_hash,
    hash: row.hash,
    contentHash: row.content_hash,
    recordedAtMicros: row.recorded_micros,
    content: {
      eventId: row.event_id,
      streamId,
      type: row.type,
      schemaVersion: row.schema_version,
      data: row.data,
      metadata: row.metadata,
      effectiveAt: row.effective_at ? row.effective_at.toISOString() : null,
    },
  };
}

/** One stream's batch through `append_events`, as its answer or a typed error. */
async function appendPrepared(db: Queryable, append: PreparedAppend): Promise<AppendResult> {
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
async function appendSetWise(
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
const APPEND_PARAM_TYPES = [
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

/** Batches of more events than this go alone, never grouped (a command appends one to three). */
const GROUPED_EVENTS_MAX = 3;

/** 11 parameters a stream: well under PostgreSQL's 65,535 a statement. */
const STREAMS_PER_STATEMENT = 500;

interface PreparedAppend {
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
