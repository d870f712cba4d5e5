/**
 * The event store port: what every adapter (PostgreSQL, EventStoreDB) provides.
 *
 * Vocabulary
 * - A **stream** is the ordered history of one thing (a home's monthly return for a period,
 *   a manager's capability case). Versions start at 1 and have no gaps.
 * - The **global log** is every event of every stream, in an order that never changes once an
 *   event is readable, so consumers can checkpoint where they are and resume.
 * - Every stored event is **chained**: its hash covers its content and the hash of the event
 *   before it in its stream, so a changed byte is found by {@link EventStore.verify}.
 */

/** Who did it, for whom, and why: stored with every event. */
export interface EventMetadata {
  /** The organisation (tenant) the event belongs to. Streams never cross tenants. */
  tenantId: string;
  /** Who caused it: `user:<id>`, `system:<component>`. */
  actor: string;
  /** Ties together everything done for one request or process run. */
  correlationId: string | null;
  /** The event or command that directly caused this one. */
  causationId: string | null;
  /** The command that produced this event (idempotency and audit). */
  commandId: string | null;
}

export interface NewEvent<Type extends string = string, Data = unknown> {
  /** A UUID chosen by the caller; re-appending the same id is a no-op (safe retries). */
  eventId: string;
  /** Stable type name, past tense (`MonthlyReturnSubmitted`); never a class name. */
  type: Type;
  /** JSON-safe data: plain objects, arrays, strings, finite numbers, booleans, null. */
  data: Data;
  metadata: EventMetadata;
  /** When the fact took effect in the world; defaults to the time it is recorded. */
  effectiveAt?: Date;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> {
  eventId: string;
  streamId: string;
  /** 1 for a stream's first event. */
  streamVersion: number;
  /** Position in the global log (unique, increasing within a transaction; may have gaps). */
  globalPosition: number;
  /** The PostgreSQL transaction (or EventStoreDB commit position) that wrote it. */
  transactionId: number;
  type: Type;
  /** The schema version of `data` as handed to the reader (after upcasting). */
  schemaVersion: number;
  /** The schema version the event was stored with. */
  storedSchemaVersion: number;
  data: Data;
  metadata: EventMetadata;
  /** When the store recorded it (server clock). */
  recordedAt: Date;
  effectiveAt: Date;
  /** Hash of the previous event in the stream ('' for the first). */
  previousHash: string;
  hash: string;
}

/**
 * What the writer believes the stream's version is:
 * - a number: exactly that version (0 means the stream must not exist yet);
 * - `'no-stream'`: the stream must not exist;
 * - `'any'`: append whatever the version is.
 */
export type ExpectedVersion = number | 'no-stream' | 'any';

export interface AppendedEvent {
  eventId: string;
  streamVersion: number;
  globalPosition: number;
}

export interface AppendResult {
  streamId: string;
  /** The stream's version after the append: pass it as expected version next time. */
  nextExpectedVersion: number;
  events: AppendedEvent[];
  /** True when every event id was already stored: nothing was written, originals returned. */
  alreadyStored: boolean;
}

export interface ReadStreamOptions {
  direction?: 'forward' | 'backward';
  /** Only versions from this one (inclusive). */
  fromVersion?: number;
  /** Only versions up to this one (inclusive): the stream as it was at that version. */
  toVersion?: number;
  /** Only events recorded at or before this time: the stream as it was known then. */
  recordedUntil?: Date;
  maxCount?: number;
}

/**
 * Where a global-log reader is: the last event it has handled, as the pair
 * (transaction id, global position). See docs/decisions/0002-gap-free-global-log.md.
 */
export interface GlobalCheckpoint {
  transactionId: number;
  globalPosition: number;
}

export const START_OF_LOG: GlobalCheckpoint = Object.freeze({
  transactionId: 0,
  globalPosition: 0,
});

/** Whether `a` comes after `b` in the global log's order (transaction id, then position). */
export function isAfterInLog(a: GlobalCheckpoint, b: GlobalCheckpoint): boolean {
  return (
    a.transactionId > b.transactionId ||
    (a.transactionId === b.transactionId && a.globalPosition > b.globalPosition)
  );
}

export interface GlobalLogBatch {
  /** The events read, in log order: all of them, or those of the `types` asked for. */
  events: RecordedEvent[];
  /** How many events of the log this batch went past (with `types`, those of other types too). */
  read: number;
  /** The checkpoint after this batch: past every event read (unchanged when none was). */
  checkpoint: GlobalCheckpoint;
  /** True when there was nothing more to read right now. */
  caughtUp: boolean;
}

export interface ReadAllOptions {
  /** Most events of the log to read (default 1000). */
  limit?: number;
  /**
   * Only events of these types are returned; the batch still goes past up to `limit` events of
   * the log and its checkpoint past the last of them, whatever its type. For readers that need
   * a few types of a log mostly of others (a reactor): the others' data is not sent.
   */
  types?: readonly string[];
}

export type BrokenLinkReason =
  | 'content-changed'
  | 'hash-changed'
  | 'previous-hash-mismatch'
  | 'version-gap'
  | 'head-mismatch'
  /** Events are stored for a stream whose head record is gone. */
  | 'head-missing';

export interface BrokenLink {
  streamId: string;
  /** The first version whose record does not match (for head-mismatch: the stored head). */
  streamVersion: number;
  reason: BrokenLinkReason;
  detail: string;
}

export interface VerificationReport {
  streamsChecked: number;
  eventsChecked: number;
  /** The first broken link of every stream that has one. Empty when everything is intact. */
  brokenLinks: BrokenLink[];
}

export interface VerifyOptions {
  /** Only this stream. */
  streamId?: string;
  /** Only streams of this tenant. */
  tenantId?: string;
  /** Called after each stream, for progress bars. */
  onProgress?: (progress: { streamsChecked: number; eventsChecked: number }) => void;
}

export interface EventStore {
  /**
   * Appends events to a stream atomically, if the stream is at the expected version.
   * @throws ConcurrencyError when it is not
   * @throws UnregisteredEventTypeError, InvalidEventError, InvalidStreamIdError for bad input
   *         (nothing is written)
   */
  append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult>;

  /** The stream's events (upcast to their current schema). Empty when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /**
   * Several streams in one go (one round trip where the adapter can): id → events (empty if
   * none). `fromVersions` (same order) reads only versions from there, e.g. after a cached prefix.
   */
  readStreams(
    streamIds: readonly string[],
    fromVersions?: readonly number[],
  ): Promise<Map<string, RecordedEvent[]>>;

  /** The stream's current version, or 0 when it does not exist. */
  streamVersion(streamId: string): Promise<number>;

  /** The next events of the global log after `after`, never skipping one that commits later. */
  readAll(after: GlobalCheckpoint, options?: ReadAllOptions): Promise<GlobalLogBatch>;

  /** How many events of the global log are after the checkpoint (projection lag). */
  countEventsAfter(after: GlobalCheckpoint): Promise<number>;

  /** Recomputes the hash chains and names the first broken link of every stream. */
  verify(options?: VerifyOptions): Promise<VerificationReport>;

  close(): Promise<void>;
}

/** Events for one stream, appended at its expected version, as part of a larger write. */
export interface StreamAppend {
  streamId: string;
  events: readonly NewEvent[];
  expectedVersion: ExpectedVersion;
}

/**
 * A store that appends to several streams in one transaction of its own: every stream's events
 * or none (the first conflict rolls the whole write back). Each stream is checked and chained as
 * {@link EventStore.append} does.
 */
export interface MultiStreamAppender {
  appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
}

/**
 * A store that can append inside a transaction its caller holds (`Transaction`: PostgreSQL's
 * pooled client that has run BEGIN). A process that appends the events it decides in the same
 * transaction as its checkpoint (the capability escalation process) writes through this: the
 * events become readable when the caller commits, and vanish if it rolls back. Each stream is
 * checked and chained as {@link EventStore.append} does; the first conflict throws.
 */
export interface TransactionalEventStore<Transaction> extends EventStore {
  appendInTransaction(
    transaction: Transaction,
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult>;

  appendManyInTransaction(
    transaction: Transaction,
    appends: readonly StreamAppend[],
  ): Promise<AppendResult[]>;
}
