import { EventIdConflictError, TenantMismatchError } from '../errors';
import type {
  AppendResult,
  EventStore,
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
import { assertExpectedVersion } from '../expected-version';
import { canonicalJson, chainHash, contentHashOfCanonical, hashedMetadata } from '../hash-chain';
import {
  assertValidBatch,
  assertValidExpectedVersion,
  assertValidReadAllOptions,
  assertValidReadStreamOptions,
  assertValidStreamId,
} from '../validation';

export interface InMemoryEventStoreOptions {
  /** Chooses recorded times (default: `new Date()`). Specs pass a fixed or stepping clock. */
  clock?: () => Date;
}

/**
 * One stored event, as PostgreSQL's `events` row holds it. Data and metadata are kept as the
 * canonical JSON text that was hashed: reads parse a fresh copy, so neither the caller's
 * objects nor the ones handed out can change what is stored.
 */
interface StoredEvent {
  globalPosition: number;
  transactionId: number;
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  dataJson: string;
  metadataJson: string;
  recordedAtMs: number;
  /** ISO-8601 as hashed; null: took effect when recorded. */
  effectiveAt: string | null;
  contentHash: string;
  previousHash: string;
  hash: string;
}

interface Stream {
  tenantId: string;
  /** `events[i]` is version i + 1. */
  events: StoredEvent[];
}

/** Everything stored; shared by the views {@link InMemoryEventStore.withRegistry} returns. */
interface Memory {
  streams: Map<string, Stream>;
  /** The global log: `log[i]` is at global position i + 1, so positions have no gaps. */
  log: StoredEvent[];
  byEventId: Map<string, StoredEvent>;
  lastTransactionId: number;
}

interface PreparedEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  dataJson: string;
  metadataJson: string;
  effectiveAt: string | null;
  contentHash: string;
}

const DEFAULT_READ_ALL_LIMIT = 1000;

/**
 * The EventStore port in process memory, for unit-tier specs (command handlers, deciders
 * wired to a store) that should run without PostgreSQL. It passes the same contract suite as
 * {@link PostgresEventStore}: same validation, errors, hashes and time travel. Not for
 * production: nothing survives the process.
 *
 * Every method runs to completion without awaiting anything, so interleaved async callers
 * see each append whole — the in-memory equivalent of PostgreSQL's lock on the stream head.
 * Keep it that way: an `await` inside `append` would let two writers pass the same version
 * check.
 */
export class InMemoryEventStore implements EventStore {
  private memory: Memory = {
    streams: new Map(),
    log: [],
    byEventId: new Map(),
    lastTransactionId: 0,
  };

  constructor(
    private readonly registry: EventTypeRegistry,
    private readonly options: InMemoryEventStoreOptions = {},
  ) {}

  /**
   * The same stored events seen through another registry: a writer still on an older schema
   * version, to give the upcasters something to upcast (as two deployments share a database).
   */
  withRegistry(registry: EventTypeRegistry): InMemoryEventStore {
    const view = new InMemoryEventStore(registry, this.options);
    view.memory = this.memory;
    return view;
  }

  /** The checks and their order follow `append_events` (PostgreSQL migration 0001). */
  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    assertValidStreamId(streamId);
    assertValidExpectedVersion(expectedVersion);
    const tenantId = assertValidBatch(events, this.registry);
    const stream = this.memory.streams.get(streamId);
    const version = stream?.events.length ?? 0;
    if (tenantId === undefined) {
      // Nothing to write; still tell a writer whose expected version is wrong.
      assertExpectedVersion(streamId, expectedVersion, version);
      return { streamId, nextExpectedVersion: version, events: [], alreadyStored: false };
    }
    if (stream && stream.tenantId !== tenantId) throw new TenantMismatchError(streamId);
    const prepared = events.map((event) => this.prepare(streamId, event));
    // A stored event id is a retry (or a conflict) whatever the expected version says.
    const retried = this.resolveRetry(streamId, prepared);
    if (retried) return retried;
    assertExpectedVersion(streamId, expectedVersion, version);
    return this.write(streamId, tenantId, stream, prepared);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertValidStreamId(streamId);
    assertValidReadStreamOptions(options);
    const { fromVersion = 1, toVersion, recordedUntil, maxCount } = options;
    const stored = this.memory.streams.get(streamId)?.events ?? [];
    // Versions are array indexes; recorded times never decrease along a stream.
    let events = stored.slice(Math.max(fromVersion, 1) - 1, toVersion);
    if (recordedUntil !== undefined) {
      events = events.filter((e) => e.recordedAtMs <= recordedUntil.getTime());
    }
    if (options.direction === 'backward') events.reverse();
    if (maxCount !== undefined) events = events.slice(0, maxCount);
    return events.map((e) => this.toRecordedEvent(e));
  }

  async readStreams(
    streamIds: readonly string[],
    fromVersions: readonly number[] = [],
  ): Promise<Map<string, RecordedEvent[]>> {
    streamIds.forEach((id) => assertValidStreamId(id));
    const from = streamIds.map((_, i) => fromVersions[i] ?? 1);
    from.forEach((version) => assertValidReadStreamOptions({ fromVersion: version }));
    const streams = new Map<string, RecordedEvent[]>();
    for (const [i, id] of streamIds.entries()) {
      const stored = this.memory.streams.get(id)?.events ?? [];
      streams.set(
        id,
        stored.slice(Math.max(from[i]!, 1) - 1).map((e) => this.toRecordedEvent(e)),
      );
    }
    return streams;
  }

  async streamVersion(streamId: string): Promise<number> {
    assertValidStreamId(streamId);
    return this.memory.streams.get(streamId)?.events.length ?? 0;
  }

  /**
   * Every append is its own transaction and is visible whole the moment it returns, so the
   * log in position order is already in (transaction id, position) order and nothing can
   * appear later behind a reader's checkpoint.
   */
  async readAll(after: GlobalCheckpoint, options: ReadAllOptions = {}): Promise<GlobalLogBatch> {
    assertValidReadAllOptions(options);
    const limit = options.limit ?? DEFAULT_READ_ALL_LIMIT;
    const start = this.firstIndexAfter(after);
    const read = this.memory.log.slice(start, start + limit).map((e) => this.toRecordedEvent(e));
    const last = read[read.length - 1];
    const { types } = options;
    return {
      events: types ? read.filter((e) => types.includes(e.type)) : read,
      read: read.length,
      checkpoint: last
        ? { transactionId: last.transactionId, globalPosition: last.globalPosition }
        : after,
      caughtUp: read.length < limit,
    };
  }

  async countEventsAfter(after: GlobalCheckpoint): Promise<number> {
    return this.memory.log.length - this.firstIndexAfter(after);
  }

  /** Recomputes every chain from the stored content, as the PostgreSQL adapter does. */
  async verify(options: VerifyOptions = {}): Promise<VerificationReport> {
    const report: VerificationReport = { streamsChecked: 0, eventsChecked: 0, brokenLinks: [] };
    const streamIds = [...this.memory.streams.keys()].sort();
    for (const streamId of streamIds) {
      const stream = this.memory.streams.get(streamId)!;
      if (options.streamId !== undefined && streamId !== options.streamId) continue;
      if (options.tenantId !== undefined && stream.tenantId !== options.tenantId) continue;
      const broken = firstBrokenLink(streamId, stream.events.map(toStoredLink));
      if (broken) report.brokenLinks.push(broken);
      report.streamsChecked += 1;
      report.eventsChecked += stream.events.length;
      options.onProgress?.({
        streamsChecked: report.streamsChecked,
        eventsChecked: report.eventsChecked,
      });
    }
    return report;
  }

  async close(): Promise<void> {}

  // -------------------------------------------------------------------------------------------

  /** What the PostgreSQL adapter sends to `append_events` for one event. */
  private prepare(streamId: string, event: NewEvent): PreparedEvent {
    const schemaVersion = this.registry.currentSchemaVersion(event.type);
    const eventId = event.eventId.toLowerCase();
    const effectiveAt = event.effectiveAt?.toISOString() ?? null;
    const dataJson = canonicalJson(event.data);
    const metadataJson = canonicalJson(hashedMetadata(event.metadata));
    return {
      eventId,
      type: event.type,
      schemaVersion,
      dataJson,
      metadataJson,
      effectiveAt,
      contentHash: contentHashOfCanonical({
        eventId,
        streamId,
        type: event.type,
        schemaVersion,
        dataJson,
        metadataJson,
        effectiveAt,
      }),
    };
  }

  /**
   * A batch some of whose ids are stored: the original positions if it is the very same batch
   * (a safe retry), otherwise an EventIdConflictError. Null when none of its ids is stored.
   */
  private resolveRetry(streamId: string, prepared: PreparedEvent[]): AppendResult | null {
    const stored = prepared.map((event) => this.memory.byEventId.get(event.eventId));
    const firstStored = stored.find((event) => event !== undefined);
    if (!firstStored) return null;
    prepared.forEach((event, i) => {
      const original = stored[i];
      if (!original) {
        throw new EventIdConflictError(
          firstStored.eventId,
          'is already stored, but other events of the batch are not: retry a batch whole, with the same events',
        );
      }
      if (original.streamId !== streamId)
        throw new EventIdConflictError(event.eventId, 'is already stored in another stream');
      if (original.contentHash !== event.contentHash)
        throw new EventIdConflictError(event.eventId, 'is already stored with different content');
    });
    const events = stored.map((original) => ({
      eventId: original!.eventId,
      streamVersion: original!.streamVersion,
      globalPosition: original!.globalPosition,
    }));
    return {
      streamId,
      nextExpectedVersion: Math.max(...events.map((e) => e.streamVersion)),
      events,
      alreadyStored: true,
    };
  }

  /** Chains the batch to the stream's last event and stores it as one transaction. */
  private write(
    streamId: string,
    tenantId: string,
    existing: Stream | undefined,
    prepared: PreparedEvent[],
  ): AppendResult {
    const memory = this.memory;
    const last = existing?.events[existing.events.length - 1];
    // As PostgreSQL: to the millisecond, never earlier than the stream's previous event, so
    // "the stream as known at time T" is always a prefix of it. Read before anything is
    // stored: a clock that throws leaves no empty stream behind.
    const recordedAtMs = Math.max(this.now(), last?.recordedAtMs ?? Number.NEGATIVE_INFINITY);
    const stream = existing ?? { tenantId, events: [] };
    memory.streams.set(streamId, stream);
    const recordedAtMicros = BigInt(recordedAtMs) * 1000n;
    const transactionId = ++memory.lastTransactionId;
    let previousHash = last?.hash ?? '';
    const appended = prepared.map((event) => {
      const streamVersion = stream.events.length + 1;
      const hash = chainHash({
        previousHash,
        streamId,
        streamVersion,
        recordedAtMicros,
        contentHash: event.contentHash,
      });
      const stored: StoredEvent = {
        ...event,
        globalPosition: memory.log.length + 1,
        transactionId,
        streamId,
        streamVersion,
        recordedAtMs,
        previousHash,
        hash,
      };
      stream.events.push(stored);
      memory.log.push(stored);
      memory.byEventId.set(stored.eventId, stored);
      previousHash = hash;
      return { eventId: stored.eventId, streamVersion, globalPosition: stored.globalPosition };
    });
    return {
      streamId,
      nextExpectedVersion: stream.events.length,
      events: appended,
      alreadyStored: false,
    };
  }

  /** The clock's time in whole milliseconds (what a Date holds; PostgreSQL truncates to it). */
  private now(): number {
    const ms = (this.options.clock?.() ?? new Date()).getTime();
    if (!Number.isFinite(ms))
      throw new Error('The clock of the in-memory event store returned an invalid Date');
    return ms;
  }

  /** Binary search: the log's index of the first event after the checkpoint. */
  private firstIndexAfter(after: GlobalCheckpoint): number {
    const log = this.memory.log;
    let low = 0;
    let high = log.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const event = log[middle]!;
      const isAfter =
        event.transactionId > after.transactionId ||
        (event.transactionId === after.transactionId &&
          event.globalPosition > after.globalPosition);
      if (isAfter) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  private toRecordedEvent(stored: StoredEvent): RecordedEvent {
    const upcast = this.registry.upcast(
      stored.type,
      stored.schemaVersion,
      JSON.parse(stored.dataJson),
    );
    return {
      eventId: stored.eventId,
      streamId: stored.streamId,
      streamVersion: stored.streamVersion,
      globalPosition: stored.globalPosition,
      transactionId: stored.transactionId,
      type: stored.type,
      schemaVersion: upcast.schemaVersion,
      storedSchemaVersion: stored.schemaVersion,
      data: upcast.data,
      metadata: JSON.parse(stored.metadataJson),
      recordedAt: new Date(stored.recordedAtMs),
      effectiveAt: new Date(stored.effectiveAt ?? stored.recordedAtMs),
      previousHash: stored.previousHash,
      hash: stored.hash,
    };
  }
}

/** The chain's view of a stored event. */
function toStoredLink(stored: StoredEvent): StoredLink {
  return {
    streamVersion: stored.streamVersion,
    previousHash: stored.previousHash,
    hash: stored.hash,
    contentHash: stored.contentHash,
    recordedAtMicros: BigInt(stored.recordedAtMs) * 1000n,
    content: {
      eventId: stored.eventId,
      streamId: stored.streamId,
      type: stored.type,
      schemaVersion: stored.schemaVersion,
      data: JSON.parse(stored.dataJson),
      metadata: JSON.parse(stored.metadataJson),
      effectiveAt: stored.effectiveAt,
    },
  };
}
