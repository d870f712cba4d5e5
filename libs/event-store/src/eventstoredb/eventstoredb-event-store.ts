import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendResult as EsdbAppendResult,
  type AppendToStreamOptions,
  type EventData,
  type JSONType,
  type ReadAllOptions as EsdbReadAllOptions,
  type ReadStreamOptions as EsdbReadStreamOptions,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { ConcurrencyError, TenantMismatchError } from '../errors';
import {
  START_OF_LOG,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type GlobalCheckpoint,
  type GlobalLogBatch,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type VerificationReport,
  type VerifyOptions,
} from '../event-store.port';
import type { EventTypeRegistry } from '../event-type-registry';
import { assertExpectedVersion } from '../expected-version';
import {
  assertValidBatch,
  assertValidExpectedVersion,
  assertValidReadAllOptions,
  assertValidReadStreamOptions,
  assertValidStreamId,
} from '../validation';
import {
  CLAIM_EVENT_TYPE,
  StoredEventFormatError,
  assertUsableStreamId,
  chainBatch,
  checkpointFromPosition,
  claimStreamName,
  describeEvent,
  envelopeFor,
  expectedVersionNumber,
  isAfterCheckpoint,
  isSystemEvent,
  parseClaim,
  parseEnvelope,
  prepareEvents,
  readPositionAfter,
  resolveStored,
  revisionForVersion,
  storedCopyOf,
  toRecordedEvent,
  versionFromRevision,
  verifyStreamEvents,
  type ChainHead,
  type EsdbPosition,
  type EventIdClaim,
  type PreparedEvent,
  type RawEsdbEvent,
  type StoredCopy,
} from './eventstoredb-mapping';

/**
 * The part of `EventStoreDBClient` this adapter uses. The real client satisfies it; the unit
 * tests use an in-memory stand-in.
 */
export interface EventStoreDbClientLike {
  appendToStream(
    streamName: string,
    events: EventData[],
    options?: AppendToStreamOptions,
  ): Promise<EsdbAppendResult>;
  readStream(streamName: string, options?: EsdbReadStreamOptions): AsyncIterable<ResolvedEvent>;
  readAll(options?: EsdbReadAllOptions): AsyncIterable<AllStreamResolvedEvent>;
  dispose(): Promise<void>;
}

export interface EventStoreDbEventStoreOptions {
  /** close() disposes the client (default: false; true from {@link EventStoreDbEventStore.connect}). */
  ownsClient?: boolean;
  /** The clock that chooses recorded times, in milliseconds since the epoch (default Date.now). */
  now?: () => number;
  /** How often an append with expected version 'any' is tried under contention (default 50). */
  maxAnyAttempts?: number;
  /** How many event-id claims are written at once for a large batch (default 32). */
  claimConcurrency?: number;
}

const DEFAULT_READ_ALL_LIMIT = 1000;
const COUNT_PAGE_SIZE = 4096;

/**
 * The EventStore port on EventStoreDB / KurrentDB (gRPC client `@eventstore/db-client`).
 * Behaves like {@link PostgresEventStore} for everything in the contract suite; the differences
 * (client-side hash chain and recorded time, event-id claim streams, O(n) counting) are in
 * ./README.md and docs/decisions/0005-eventstoredb-adapter.md.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly now: () => number;

  /** Connects with a connection string such as `esdb://localhost:2113?tls=false`. */
  static connect(
    connectionString: string,
    registry: EventTypeRegistry,
    options: EventStoreDbEventStoreOptions = {},
  ): EventStoreDbEventStore {
    const client: EventStoreDbClientLike = EventStoreDBClient.connectionString(connectionString);
    return new EventStoreDbEventStore(client, registry, { ownsClient: true, ...options });
  }

  constructor(
    private readonly client: EventStoreDbClientLike,
    private readonly registry: EventTypeRegistry,
    private readonly options: EventStoreDbEventStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /**
   * One attempt: read the stream head (its version, last hash and tenant), claim the batch's
   * event ids, look for the batch among events appended since the ids were claimed (a retry),
   * chain the batch on the client, and append it at exactly the head's revision. Another writer
   * in between makes EventStoreDB refuse it; with 'any' the attempt is repeated on the new head.
   */
  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    assertValidStreamId(streamId);
    assertUsableStreamId(streamId);
    assertValidExpectedVersion(expectedVersion);
    const tenantId = assertValidBatch(events, this.registry);
    if (tenantId === undefined) {
      // Nothing to write; still tell a writer whose expected version is wrong.
      const version = await this.streamVersion(streamId);
      assertExpectedVersion(streamId, expectedVersion, version);
      return { streamId, nextExpectedVersion: version, events: [], alreadyStored: false };
    }
    const prepared = prepareEvents(streamId, events, this.registry);
    const expected = expectedVersionNumber(expectedVersion);
    const maxAttempts = this.options.maxAnyAttempts ?? 50;
    let claims: Map<string, EventIdClaim> | null = null;

    for (let attempt = 1; ; attempt++) {
      const head = await this.readHead(streamId);
      if (head && head.tenantId !== tenantId) throw new TenantMismatchError(streamId);
      const headVersion = head?.version ?? 0;
      if (expected !== null && headVersion !== expected) {
        return this.refuse(streamId, prepared, expectedVersion, headVersion);
      }

      claims ??= await this.claim(streamId, prepared, headVersion);
      const retried = resolveStored(
        streamId,
        prepared,
        await this.findStored(streamId, prepared, claims, headVersion),
      );
      if (retried) return retried;

      const appended = await this.appendAtHead(streamId, prepared, head);
      if (appended) return appended;

      // Someone else appended since the head was read.
      if (expected !== null) {
        return this.refuse(streamId, prepared, expectedVersion, await this.streamVersion(streamId));
      }
      if (attempt >= maxAttempts) {
        throw new ConcurrencyError(streamId, expectedVersion, await this.streamVersion(streamId));
      }
      if (attempt > 3) await sleep(Math.random() * Math.min(100, 2 ** attempt));
    }
  }

  async readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const streams = await Promise.all(
      streamIds.map(async (id) => [id, await this.readStream(id)] as const),
    );
    return new Map(streams);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertValidStreamId(streamId);
    assertUsableStreamId(streamId);
    assertValidReadStreamOptions(options);
    const { fromVersion = 1, toVersion, recordedUntil, maxCount } = options;
    if (maxCount !== undefined && maxCount <= 0) return [];
    if (toVersion !== undefined && (toVersion < 1 || toVersion < fromVersion)) return [];

    let raws: RawEsdbEvent[];
    if (options.direction === 'backward') {
      let fromRevision: typeof END | bigint = END;
      if (toVersion !== undefined) {
        const head = await this.readLast(streamId);
        if (!head) return [];
        fromRevision = BigInt(Math.min(toVersion, versionFromRevision(head.revision)) - 1);
      }
      // Events recorded after `recordedUntil` are at the head end: skip them before counting.
      const count = recordedUntil === undefined && maxCount !== undefined ? maxCount : undefined;
      raws = await this.readRaw(streamId, {
        direction: BACKWARDS,
        fromRevision,
        ...(count !== undefined ? { maxCount: count } : {}),
      });
      raws = raws.filter((raw) => versionFromRevision(raw.revision) >= fromVersion);
    } else {
      // Recorded times never decrease along a stream, so "recorded until" keeps a prefix.
      const span = toVersion !== undefined ? toVersion - Math.max(fromVersion, 1) + 1 : undefined;
      const count = minDefined(span, maxCount);
      raws = await this.readRaw(streamId, {
        direction: FORWARDS,
        fromRevision: BigInt(Math.max(fromVersion, 1) - 1),
        ...(count !== undefined ? { maxCount: count } : {}),
      });
    }
    let recorded = raws
      .filter((raw) => toVersion === undefined || versionFromRevision(raw.revision) <= toVersion)
      .map((raw) => toRecordedEvent(raw, this.registry));
    if (recordedUntil !== undefined) {
      recorded = recorded.filter((event) => event.recordedAt <= recordedUntil);
    }
    return maxCount !== undefined ? recorded.slice(0, maxCount) : recorded;
  }

  async streamVersion(streamId: string): Promise<number> {
    assertValidStreamId(streamId);
    assertUsableStreamId(streamId);
    const last = await this.readLast(streamId);
    return last ? versionFromRevision(last.revision) : 0;
  }

  /**
   * Reads $all forward from the checkpoint, skipping system records, until `limit` events are
   * collected or the end of the log is reached. EventStoreDB writes the log in order and only
   * serves committed records, so nothing can appear later below a position already read.
   */
  async readAll(after: GlobalCheckpoint, options: ReadAllOptions = {}): Promise<GlobalLogBatch> {
    assertValidReadAllOptions(options);
    const limit = options.limit ?? DEFAULT_READ_ALL_LIMIT;
    const { types } = options;
    const events: RecordedEvent[] = [];
    let read = 0;
    let cursor = after;
    if (limit > 0) {
      await this.scanAll(after, Math.min(Math.max(limit + 1, 64), COUNT_PAGE_SIZE), (raw) => {
        cursor = checkpointFromPosition(raw.position);
        if (!isSystemEvent(raw)) {
          read += 1;
          // Filtered here: $all's server-side filter would skip the records' positions too.
          if (!types || types.includes(raw.type)) events.push(toRecordedEvent(raw, this.registry));
        }
        return read < limit;
      });
    }
    return {
      events,
      read,
      // Past any system records read after the last event, so they are not read again.
      checkpoint: read > 0 ? cursor : after,
      caughtUp: read < limit,
    };
  }

  /** Counts by reading $all from the checkpoint: O(events after it). */
  async countEventsAfter(after: GlobalCheckpoint): Promise<number> {
    let count = 0;
    await this.scanAll(after, COUNT_PAGE_SIZE, (raw) => {
      if (!isSystemEvent(raw)) count += 1;
      return true;
    });
    return count;
  }

  /**
   * Recomputes every chain from the stored envelopes. Without `streamId`, the streams are found
   * by reading all of $all (O(log size), and the set of stream ids is held in memory).
   */
  async verify(options: VerifyOptions = {}): Promise<VerificationReport> {
    const report: VerificationReport = { streamsChecked: 0, eventsChecked: 0, brokenLinks: [] };
    let streamIds: Iterable<string>;
    if (options.streamId !== undefined) {
      assertValidStreamId(options.streamId);
      assertUsableStreamId(options.streamId);
      streamIds = [options.streamId];
    } else {
      const found = new Set<string>();
      await this.scanAll(START_OF_LOG, COUNT_PAGE_SIZE, (raw) => {
        if (!isSystemEvent(raw)) found.add(raw.streamId);
        return true;
      });
      streamIds = found;
    }

    for (const streamId of streamIds) {
      let raws: RawEsdbEvent[];
      let unreadable: string | null = null;
      try {
        raws = await this.readRaw(streamId, { direction: FORWARDS, fromRevision: START });
      } catch (error) {
        if (!isErrorOfType(error, ErrorType.STREAM_DELETED)) throw error;
        raws = [];
        unreadable = 'the stream has been deleted';
      }
      if (raws.length === 0) {
        // Asked for by id and absent: nothing to check. Found in $all but now unreadable: broken.
        if (options.streamId !== undefined && unreadable === null) continue;
        unreadable ??= 'the stream is in the global log but its events can no longer be read';
      }
      if (options.tenantId !== undefined && tenantOf(raws) !== options.tenantId) continue;

      const broken =
        unreadable !== null
          ? { streamId, streamVersion: 1, reason: 'version-gap' as const, detail: unreadable }
          : verifyStreamEvents(streamId, raws);
      if (broken) report.brokenLinks.push(broken);
      report.streamsChecked += 1;
      report.eventsChecked += raws.length;
      options.onProgress?.({
        streamsChecked: report.streamsChecked,
        eventsChecked: report.eventsChecked,
      });
    }
    return report;
  }

  async close(): Promise<void> {
    if (this.options.ownsClient) await this.client.dispose();
  }

  // -------------------------------------------------------------------------------------------

  /** The stream's last event and what the chain and the tenant check need from it. */
  private async readHead(streamId: string): Promise<(ChainHead & { tenantId: string }) | null> {
    const last = await this.readLast(streamId);
    if (!last) return null;
    const envelope = parseEnvelope(last.metadata, describeEvent(last));
    return {
      version: versionFromRevision(last.revision),
      hash: envelope.hash,
      recordedAtMs: Date.parse(envelope.recordedAt),
      tenantId: envelope.tenantId,
    };
  }

  private async readLast(streamId: string): Promise<RawEsdbEvent | null> {
    const [last] = await this.readRaw(streamId, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    return last ?? null;
  }

  /** A stream's events as stored; empty when the stream does not exist. */
  private async readRaw(
    streamName: string,
    options: EsdbReadStreamOptions,
  ): Promise<RawEsdbEvent[]> {
    const events: RawEsdbEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamName, {
        resolveLinkTos: false,
        ...options,
      })) {
        if (resolved.event) events.push(resolved.event);
      }
    } catch (error) {
      if (isErrorOfType(error, ErrorType.STREAM_NOT_FOUND)) return [];
      throw error;
    }
    return events;
  }

  /**
   * Visits the records of $all strictly after `after`, in log order, page by page, until the
   * visitor returns false or the log ends. Reading from a position may return the record at
   * that position again; it is skipped.
   */
  private async scanAll(
    after: GlobalCheckpoint,
    pageSize: number,
    visit: (raw: RawEsdbEvent & { position: EsdbPosition }) => boolean,
  ): Promise<void> {
    let cursor = after;
    for (;;) {
      let received = 0;
      let advanced = false;
      let stopped = false;
      for await (const resolved of this.client.readAll({
        fromPosition: readPositionAfter(cursor),
        maxCount: pageSize,
        direction: FORWARDS,
        resolveLinkTos: false,
      })) {
        received += 1;
        // Once stopped, the rest of the (bounded) page is drained so the call ends normally.
        if (stopped) continue;
        const raw = resolved.event;
        if (!raw?.position || !isAfterCheckpoint(raw.position, cursor)) continue;
        cursor = checkpointFromPosition(raw.position);
        advanced = true;
        stopped = !visit({ ...raw, position: raw.position });
      }
      if (stopped || received < pageSize) return;
      if (!advanced) {
        throw new Error(`Reading $all after ${JSON.stringify(cursor)} made no progress`);
      }
    }
  }

  /**
   * Claims each event id for this stream by creating its claim stream (NO_STREAM). A claim that
   * exists already is read: it names the stream the id belongs to.
   */
  private async claim(
    streamId: string,
    prepared: readonly PreparedEvent[],
    headVersion: number,
  ): Promise<Map<string, EventIdClaim>> {
    const claims = new Map<string, EventIdClaim>();
    await forEachLimited(prepared, this.options.claimConcurrency ?? 32, async (event) => {
      const claim: EventIdClaim = { streamId, headVersion, contentHash: event.contentHash };
      try {
        await this.client.appendToStream(
          claimStreamName(event.eventId),
          [
            jsonEvent({
              id: randomUUID(), // never the event id: EventStoreDB would take a rival claim as a retry
              type: CLAIM_EVENT_TYPE,
              data: { ...claim },
            }),
          ],
          { expectedRevision: NO_STREAM },
        );
        claims.set(event.eventId, claim);
      } catch (error) {
        if (!isErrorOfType(error, ErrorType.WRONG_EXPECTED_VERSION)) throw error;
        const existing = await this.readClaim(event.eventId);
        if (!existing) throw new Error(`The claim of event id ${event.eventId} vanished`);
        claims.set(event.eventId, existing);
      }
    });
    return claims;
  }

  private async readClaim(eventId: string): Promise<EventIdClaim | null> {
    const [first] = await this.readRaw(claimStreamName(eventId), {
      direction: FORWARDS,
      fromRevision: START,
      maxCount: 1,
    });
    return first ? parseClaim(first.data, `claim of event id ${eventId}`) : null;
  }

  /**
   * Where the batch's ids are already stored: claims naming other streams, and copies in this
   * stream appended since the earliest claim was made (every copy is above its claim's head).
   */
  private async findStored(
    streamId: string,
    prepared: readonly PreparedEvent[],
    claims: ReadonlyMap<string, EventIdClaim>,
    headVersion: number,
  ): Promise<Map<string, StoredCopy>> {
    const stored = new Map<string, StoredCopy>();
    let floor = Number.POSITIVE_INFINITY;
    for (const event of prepared) {
      const claim = claims.get(event.eventId);
      if (!claim) continue;
      if (claim.streamId !== streamId) {
        stored.set(event.eventId, {
          streamId: claim.streamId,
          streamVersion: null,
          globalPosition: null,
          contentHash: claim.contentHash,
        });
      } else {
        floor = Math.min(floor, claim.headVersion);
      }
    }
    if (floor < headVersion) {
      const ids = new Set(prepared.map((e) => e.eventId));
      const since = await this.readRaw(streamId, {
        direction: FORWARDS,
        fromRevision: BigInt(floor),
      });
      for (const raw of since) {
        const id = raw.id.toLowerCase();
        if (ids.has(id) && !stored.has(id)) stored.set(id, storedCopyOf(raw));
      }
    }
    return stored;
  }

  /** Why an append at an exact version was refused: a retry of stored events, or a conflict. */
  private async refuse(
    streamId: string,
    prepared: readonly PreparedEvent[],
    expectedVersion: ExpectedVersion,
    actualVersion: number,
  ): Promise<AppendResult> {
    const claims = new Map<string, EventIdClaim>();
    await forEachLimited(prepared, this.options.claimConcurrency ?? 32, async (event) => {
      const claim = await this.readClaim(event.eventId);
      if (claim) claims.set(event.eventId, claim);
    });
    const retried = resolveStored(
      streamId,
      prepared,
      await this.findStored(streamId, prepared, claims, actualVersion),
    );
    if (retried) return retried;
    throw new ConcurrencyError(streamId, expectedVersion, actualVersion);
  }

  /**
   * Appends the chained batch at exactly the head's revision, then reads it back for its log
   * positions. Null when EventStoreDB refused it because the stream has moved on.
   */
  private async appendAtHead(
    streamId: string,
    prepared: readonly PreparedEvent[],
    head: ChainHead | null,
  ): Promise<AppendResult | null> {
    const headVersion = head?.version ?? 0;
    const chain = chainBatch(streamId, head, prepared, this.now());
    const data = prepared.map((event, i) =>
      jsonEvent({
        id: event.eventId,
        type: event.type,
        // Any JSON value: the client writes JSON.stringify(data).
        data: event.data as JSONType,
        metadata: envelopeFor(event, chain.links[i]!, chain.recordedAtMs),
      }),
    );
    try {
      await this.client.appendToStream(streamId, data, {
        expectedRevision: revisionForVersion(headVersion),
      });
    } catch (error) {
      if (isErrorOfType(error, ErrorType.WRONG_EXPECTED_VERSION)) return null;
      throw error;
    }

    const written = await this.readRaw(streamId, {
      direction: FORWARDS,
      fromRevision: BigInt(headVersion),
      maxCount: prepared.length,
    });
    if (
      written.length !== prepared.length ||
      written.some((raw, i) => raw.id.toLowerCase() !== prepared[i]!.eventId)
    ) {
      throw new Error(
        `Stream "${streamId}": the events read back after appending at version ${headVersion} are not the batch`,
      );
    }
    const mine = written.every(
      (raw, i) => parseEnvelope(raw.metadata, describeEvent(raw)).hash === chain.links[i]!.hash,
    );
    if (!mine) {
      // EventStoreDB took the append as an idempotent repeat of a concurrent writer's identical
      // event ids (it compares ids only): the very same batch is a retry, anything else a conflict.
      return resolveStored(
        streamId,
        prepared,
        new Map(written.map((raw) => [raw.id.toLowerCase(), storedCopyOf(raw)])),
      );
    }
    const events = written.map((raw) => {
      if (!raw.position) {
        throw new StoredEventFormatError(
          `${describeEvent(raw)} came without its log position: EventStoreDB 22.6 or later is required`,
        );
      }
      return {
        eventId: raw.id.toLowerCase(),
        streamVersion: versionFromRevision(raw.revision),
        globalPosition: checkpointFromPosition(raw.position).globalPosition,
      };
    });
    return {
      streamId,
      nextExpectedVersion: headVersion + prepared.length,
      events,
      alreadyStored: false,
    };
  }
}

/** The tenant of a stream: that of its first event. */
function tenantOf(raws: readonly RawEsdbEvent[]): string | undefined {
  const first = raws[0];
  if (!first) return undefined;
  try {
    return parseEnvelope(first.metadata, describeEvent(first)).tenantId;
  } catch {
    return undefined;
  }
}

function isErrorOfType(error: unknown, type: ErrorType): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === type;
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
