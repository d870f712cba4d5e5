import type { Pool, PoolClient } from 'pg';
import type {
  AppendResult,
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
import { AppendGroups } from './append-groups';
import {
  appendEachInFewStatements,
  appendPrepared,
  appendSetWise,
  type PreparedAppend,
  type Queryable,
} from './append-statements';
import { verifyChains } from './verify-chains';
import { canonicalJson, contentHashOfCanonical, hashedMetadata } from '../hash-chain';
import { assertExpectedVersion } from '../expected-version';
import {
  assertValidBatch,
  assertValidExpectedVersion,
  assertValidReadAllOptions,
  assertValidReadStreamOptions,
  assertValidStreamId,
} from '../validation';

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
    maxGroup: GROUP_EVENTS_MAX,
    sizeOf: (append) => append.prepared.length,
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
   * possible (append-statements.ts: one statement, or one per 500 streams): for a process that
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
    return (await appendSetWise(client, prepared)) ?? appendEachInFewStatements(client, prepared);
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
    return verifyChains(this.pool, options);
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

/**
 * Batches of more events than this go alone, never grouped: a command appends one to three; at
 * ten events a batch grouping still pays (bench:append 0.86–0.88 of the raw INSERT grouped,
 * 0.78–0.80 alone), at a hundred it costs (0.60 grouped, 0.69–0.77 alone; decision 0044).
 */
const GROUPED_EVENTS_MAX = 10;

/** Most events a group takes to PostgreSQL in one statement. */
const GROUP_EVENTS_MAX = 500;
