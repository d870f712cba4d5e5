/**
 * Pure translations between the EventStore port and EventStoreDB (KurrentDB): versions and
 * revisions, checkpoints and $all positions, our event envelope in the event metadata, and the
 * hash chain computed on the client. No I/O here, so all of it is unit-tested without a server.
 */
import { ANY, NO_STREAM, START } from '@eventstore/db-client';
import { EventIdConflictError, InvalidStreamIdError } from '../errors';
import {
  START_OF_LOG,
  type AppendResult,
  type BrokenLink,
  type EventMetadata,
  type ExpectedVersion,
  type GlobalCheckpoint,
  type NewEvent,
  type RecordedEvent,
} from '../event-store.port';
import type { EventTypeRegistry } from '../event-type-registry';
import { firstBrokenLink, type StoredLink, type UnreadableLink } from '../chain-verification';
import { chainHash, contentHash, hashedMetadata } from '../hash-chain';

/** An $all or stream position as the client reports it. */
export interface EsdbPosition {
  commit: bigint;
  prepare: bigint;
}

/** The fields of a stored EventStoreDB event this adapter reads (the client's RecordedEvent). */
export interface RawEsdbEvent {
  id: string;
  streamId: string;
  /** 0-based. */
  revision: bigint;
  type: string;
  isJson?: boolean;
  data: unknown;
  metadata: unknown;
  /** Present for $all reads, and for stream reads on servers from 22.6. */
  position?: EsdbPosition;
}

/**
 * What this adapter stores as an EventStoreDB event's metadata: our {@link EventMetadata} plus
 * what the PostgreSQL adapter keeps in columns (schema version, times, the hash chain).
 */
export interface StoredEnvelope extends EventMetadata {
  schemaVersion: number;
  /** ISO-8601 with milliseconds, or null: took effect when recorded. */
  effectiveAt: string | null;
  /** ISO-8601 with milliseconds: the client clock chosen for the batch. */
  recordedAt: string;
  contentHash: string;
  previousHash: string;
  hash: string;
}

/** A stored event (or claim) that this adapter cannot read: written by something else, or damaged. */
export class StoredEventFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoredEventFormatError';
  }
}

// ---------------------------------------------------------------------------------------------
// Stream ids, versions and revisions
// ---------------------------------------------------------------------------------------------

/**
 * EventStoreDB reserves stream names starting with `$` (system streams, `$$` metadata streams);
 * this adapter also keeps its event-id claims there. Checked after {@link assertValidStreamId}.
 */
export function assertUsableStreamId(streamId: string): void {
  if (streamId.startsWith('$')) {
    throw new InvalidStreamIdError(
      streamId,
      'it starts with "$", which EventStoreDB reserves for system streams',
    );
  }
}

/** Our versions are 1-based, EventStoreDB revisions 0-based: version = revision + 1. */
export function versionFromRevision(revision: bigint): number {
  return toSafeNumber(revision + 1n, 'stream revision');
}

/** The expected revision that says "the stream is at this version" (0: it does not exist). */
export function revisionForVersion(version: number): typeof NO_STREAM | bigint {
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new RangeError(`A stream version must be a whole number from 0; got ${version}`);
  }
  return version === 0 ? NO_STREAM : BigInt(version - 1);
}

/** The port's expected version as an EventStoreDB expected revision. */
export function toExpectedRevision(
  expected: ExpectedVersion,
): typeof ANY | typeof NO_STREAM | bigint {
  if (expected === 'any') return ANY;
  if (expected === 'no-stream') return NO_STREAM;
  return revisionForVersion(expected);
}

/** The version an exact expected version stands for ('no-stream' is 0); null for 'any'. */
export function expectedVersionNumber(expected: ExpectedVersion): number | null {
  if (expected === 'any') return null;
  return expected === 'no-stream' ? 0 : expected;
}

/** A WrongExpectedVersionError's current revision as our version (0: no stream). */
export function versionFromCurrentRevision(current: bigint | string): number {
  return typeof current === 'bigint' ? versionFromRevision(current) : 0;
}

// ---------------------------------------------------------------------------------------------
// The global log: checkpoints and $all positions
// ---------------------------------------------------------------------------------------------

/** transactionId = commit position, globalPosition = prepare position. */
export function checkpointFromPosition(position: EsdbPosition): GlobalCheckpoint {
  return {
    transactionId: toSafeNumber(position.commit, 'commit position'),
    globalPosition: toSafeNumber(position.prepare, 'prepare position'),
  };
}

export function isStartOfLog(checkpoint: GlobalCheckpoint): boolean {
  return (
    checkpoint.transactionId === START_OF_LOG.transactionId &&
    checkpoint.globalPosition === START_OF_LOG.globalPosition
  );
}

/** Where to start reading $all for "everything after this checkpoint" (inclusive on the server). */
export function readPositionAfter(checkpoint: GlobalCheckpoint): typeof START | EsdbPosition {
  assertValidCheckpoint(checkpoint);
  if (isStartOfLog(checkpoint)) return START;
  return {
    commit: BigInt(checkpoint.transactionId),
    prepare: BigInt(checkpoint.globalPosition),
  };
}

/**
 * True when the position is strictly after the checkpoint in (commit, prepare) order. Reading
 * $all from a position may return the event at that position again; this drops it. From
 * {@link START_OF_LOG} every position counts as after.
 */
export function isAfterCheckpoint(position: EsdbPosition, after: GlobalCheckpoint): boolean {
  if (isStartOfLog(after)) return true;
  const commit = BigInt(after.transactionId);
  if (position.commit !== commit) return position.commit > commit;
  return position.prepare > BigInt(after.globalPosition);
}

export function assertValidCheckpoint(checkpoint: GlobalCheckpoint): void {
  for (const key of ['transactionId', 'globalPosition'] as const) {
    const value = checkpoint?.[key];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`checkpoint.${key} must be a whole number from 0; got ${String(value)}`);
    }
  }
}

/** System records ($-prefixed streams or types) are not part of our global log. */
export function isSystemEvent(event: Pick<RawEsdbEvent, 'streamId' | 'type'>): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

// ---------------------------------------------------------------------------------------------
// Event-id claims: global uniqueness of event ids
// ---------------------------------------------------------------------------------------------

/**
 * EventStoreDB has no index by event id across streams. Before an event is appended, its id is
 * claimed by creating this stream (expected revision NO_STREAM), so an id can only ever belong to
 * one stream. A system stream: never part of the global log.
 */
export function claimStreamName(eventId: string): string {
  return `$kpi-event-id-${eventId.toLowerCase()}`;
}

export const CLAIM_EVENT_TYPE = 'EventIdClaimed';

export interface EventIdClaim {
  /** The stream the event id belongs to. */
  streamId: string;
  /**
   * The stream's version as read by the claimer before it created the claim. Every copy of the
   * event in the stream is at a higher version, so a search for it starts there.
   */
  headVersion: number;
  contentHash: string;
}

export function parseClaim(data: unknown, where: string): EventIdClaim {
  const record = asRecord(data, where);
  const { streamId, headVersion, contentHash: hash } = record;
  if (typeof streamId !== 'string') throw new StoredEventFormatError(`${where}: no streamId`);
  return {
    streamId,
    headVersion:
      Number.isSafeInteger(headVersion) && (headVersion as number) >= 0
        ? (headVersion as number)
        : 0,
    contentHash: typeof hash === 'string' ? hash : '',
  };
}

// ---------------------------------------------------------------------------------------------
// Preparing a batch and chaining it
// ---------------------------------------------------------------------------------------------

export interface PreparedEvent {
  /** Lowercase. */
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata;
  effectiveAt: string | null;
  contentHash: string;
}

/** Same content and content hash as the PostgreSQL adapter computes for a batch. */
export function prepareEvents(
  streamId: string,
  events: readonly NewEvent[],
  registry: EventTypeRegistry,
): PreparedEvent[] {
  return events.map((event) => {
    const schemaVersion = registry.currentSchemaVersion(event.type);
    const effectiveAt = event.effectiveAt?.toISOString() ?? null;
    const metadata = hashedMetadata(event.metadata);
    const eventId = event.eventId.toLowerCase();
    return {
      eventId,
      type: event.type,
      schemaVersion,
      data: event.data,
      metadata,
      effectiveAt,
      contentHash: contentHash({
        eventId,
        streamId,
        type: event.type,
        schemaVersion,
        data: event.data,
        metadata,
        effectiveAt,
      }),
    };
  });
}

/** What the chain needs to know about the stream's last event. */
export interface ChainHead {
  version: number;
  hash: string;
  recordedAtMs: number;
}

export interface BatchChain {
  /** Milliseconds since the epoch; the same for every event of the batch. */
  recordedAtMs: number;
  links: { streamVersion: number; previousHash: string; hash: string }[];
}

/**
 * The chain links of a batch appended after `head` (null: a new stream), with the formulas of
 * hash-chain.ts and the PostgreSQL append function: recorded time to the millisecond, never
 * earlier than the previous event's, in whole microseconds in the hash.
 */
export function chainBatch(
  streamId: string,
  head: ChainHead | null,
  prepared: readonly Pick<PreparedEvent, 'contentHash'>[],
  nowMs: number,
): BatchChain {
  const recordedAtMs = Math.max(Math.trunc(nowMs), head?.recordedAtMs ?? Number.NEGATIVE_INFINITY);
  const recordedAtMicros = BigInt(recordedAtMs) * 1000n;
  let previousHash = head?.hash ?? '';
  let version = head?.version ?? 0;
  const links = prepared.map((event) => {
    version += 1;
    const hash = chainHash({
      previousHash,
      streamId,
      streamVersion: version,
      recordedAtMicros,
      contentHash: event.contentHash,
    });
    const link = { streamVersion: version, previousHash, hash };
    previousHash = hash;
    return link;
  });
  return { recordedAtMs, links };
}

export function envelopeFor(
  event: PreparedEvent,
  link: BatchChain['links'][number],
  recordedAtMs: number,
): StoredEnvelope {
  return {
    ...event.metadata,
    schemaVersion: event.schemaVersion,
    effectiveAt: event.effectiveAt,
    recordedAt: new Date(recordedAtMs).toISOString(),
    contentHash: event.contentHash,
    previousHash: link.previousHash,
    hash: link.hash,
  };
}

// ---------------------------------------------------------------------------------------------
// Reading stored events
// ---------------------------------------------------------------------------------------------

/** Reads our envelope back from an event's metadata; throws when it is not one of ours. */
export function parseEnvelope(metadata: unknown, where: string): StoredEnvelope {
  const record = asRecord(metadata, `${where}: metadata`);
  const text = (key: string): string => {
    const value = record[key];
    if (typeof value !== 'string')
      throw new StoredEventFormatError(`${where}: metadata.${key} is not text`);
    return value;
  };
  const optionalText = (key: string): string | null => {
    const value = record[key];
    if (value === null) return null;
    if (typeof value !== 'string') {
      throw new StoredEventFormatError(`${where}: metadata.${key} is neither text nor null`);
    }
    return value;
  };
  const time = (value: string | null, key: string): string | null => {
    if (value !== null && Number.isNaN(Date.parse(value))) {
      throw new StoredEventFormatError(`${where}: metadata.${key} is not a time`);
    }
    return value;
  };
  const schemaVersion = record.schemaVersion;
  if (!Number.isSafeInteger(schemaVersion) || (schemaVersion as number) < 1) {
    throw new StoredEventFormatError(`${where}: metadata.schemaVersion is not a version`);
  }
  return {
    tenantId: text('tenantId'),
    actor: text('actor'),
    correlationId: optionalText('correlationId'),
    causationId: optionalText('causationId'),
    commandId: optionalText('commandId'),
    schemaVersion: schemaVersion as number,
    effectiveAt: time(optionalText('effectiveAt'), 'effectiveAt'),
    recordedAt: time(text('recordedAt'), 'recordedAt')!,
    contentHash: text('contentHash'),
    previousHash: text('previousHash'),
    hash: text('hash'),
  };
}

export function describeEvent(raw: Pick<RawEsdbEvent, 'id' | 'streamId' | 'revision'>): string {
  return `event ${raw.id} (stream "${raw.streamId}", version ${raw.revision + 1n})`;
}

export function assertJsonEvent(raw: RawEsdbEvent): void {
  if (raw.isJson === false) {
    throw new StoredEventFormatError(
      `${describeEvent(raw)} is not JSON: not written by this store`,
    );
  }
}

/** A stored event as the port's RecordedEvent, upcast to its type's current schema version. */
export function toRecordedEvent(raw: RawEsdbEvent, registry: EventTypeRegistry): RecordedEvent {
  assertJsonEvent(raw);
  const envelope = parseEnvelope(raw.metadata, describeEvent(raw));
  if (!raw.position) {
    throw new StoredEventFormatError(
      `${describeEvent(raw)} came without its log position: EventStoreDB 22.6 or later is required`,
    );
  }
  const checkpoint = checkpointFromPosition(raw.position);
  const upcast = registry.upcast(raw.type, envelope.schemaVersion, raw.data);
  const recordedAt = new Date(envelope.recordedAt);
  return {
    eventId: raw.id.toLowerCase(),
    streamId: raw.streamId,
    streamVersion: versionFromRevision(raw.revision),
    globalPosition: checkpoint.globalPosition,
    transactionId: checkpoint.transactionId,
    type: raw.type,
    schemaVersion: upcast.schemaVersion,
    storedSchemaVersion: envelope.schemaVersion,
    data: upcast.data,
    metadata: hashedMetadata(envelope),
    recordedAt,
    effectiveAt:
      envelope.effectiveAt === null ? new Date(recordedAt) : new Date(envelope.effectiveAt),
    previousHash: envelope.previousHash,
    hash: envelope.hash,
  };
}

// ---------------------------------------------------------------------------------------------
// Retries and conflicts
// ---------------------------------------------------------------------------------------------

/** Where an event id of a batch is already stored (or claimed, for another stream). */
export interface StoredCopy {
  streamId: string;
  streamVersion: number | null;
  globalPosition: number | null;
  contentHash: string | null;
}

/**
 * A batch some of whose ids are already stored: the very same batch again returns the original
 * positions (`alreadyStored: true`); anything else is an {@link EventIdConflictError}, decided in
 * the same order as the PostgreSQL adapter. Null when none of the ids is stored.
 */
export function resolveStored(
  streamId: string,
  prepared: readonly Pick<PreparedEvent, 'eventId' | 'contentHash'>[],
  stored: ReadonlyMap<string, StoredCopy>,
): AppendResult | null {
  if (stored.size === 0) return null;
  for (const event of prepared) {
    const copy = stored.get(event.eventId);
    if (!copy) {
      const storedId = [...stored.keys()][0]!;
      throw new EventIdConflictError(
        storedId,
        'is already stored, but other events of the batch are not: retry a batch whole, with the same events',
      );
    }
    if (copy.streamId !== streamId) {
      throw new EventIdConflictError(event.eventId, 'is already stored in another stream');
    }
    if (copy.contentHash !== event.contentHash) {
      throw new EventIdConflictError(event.eventId, 'is already stored with different content');
    }
  }
  const events = prepared.map((event) => {
    const copy = stored.get(event.eventId)!;
    return {
      eventId: event.eventId,
      streamVersion: copy.streamVersion!,
      globalPosition: copy.globalPosition!,
    };
  });
  return {
    streamId,
    nextExpectedVersion: Math.max(...events.map((e) => e.streamVersion)),
    events,
    alreadyStored: true,
  };
}

/** A stored event of the batch's stream as a {@link StoredCopy}. */
export function storedCopyOf(raw: RawEsdbEvent): StoredCopy {
  const envelope = parseEnvelope(raw.metadata, describeEvent(raw));
  return {
    streamId: raw.streamId,
    streamVersion: versionFromRevision(raw.revision),
    globalPosition: raw.position ? checkpointFromPosition(raw.position).globalPosition : null,
    contentHash: envelope.contentHash,
  };
}

// ---------------------------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------------------------

/**
 * Walks one stream's events (forward, as read) and returns its first broken link, if any:
 * a missing version, an envelope that is not ours, a previous hash that does not match, content
 * that does not match its content hash, or a hash that does not match the recomputed link.
 * There is no separate stream head in EventStoreDB, so 'head-mismatch' is never reported.
 */
export function verifyStreamEvents(
  streamId: string,
  events: readonly RawEsdbEvent[],
): BrokenLink | null {
  return firstBrokenLink(
    streamId,
    events.map((raw): StoredLink | UnreadableLink => {
      const streamVersion = versionFromRevision(raw.revision);
      let envelope: StoredEnvelope;
      try {
        assertJsonEvent(raw);
        envelope = parseEnvelope(raw.metadata, describeEvent(raw));
      } catch (error) {
        return { streamVersion, unreadable: (error as Error).message };
      }
      return {
        streamVersion,
        previousHash: envelope.previousHash,
        hash: envelope.hash,
        contentHash: envelope.contentHash,
        recordedAtMicros: BigInt(Date.parse(envelope.recordedAt)) * 1000n,
        content: {
          eventId: raw.id.toLowerCase(),
          streamId,
          type: raw.type,
          schemaVersion: envelope.schemaVersion,
          data: raw.data,
          metadata: hashedMetadata(envelope),
          effectiveAt:
            envelope.effectiveAt === null ? null : new Date(envelope.effectiveAt).toISOString(),
        },
      };
    }),
  );
}

// ---------------------------------------------------------------------------------------------

/** A bigint from EventStoreDB as a JavaScript number, refusing to lose precision. */
export function toSafeNumber(value: bigint, what: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(
      `EventStoreDB ${what} ${value} cannot be represented exactly as a JavaScript number`,
    );
  }
  return Number(value);
}

function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    value instanceof Uint8Array
  ) {
    throw new StoredEventFormatError(`${where} is not a JSON object: not written by this store`);
  }
  return value as Record<string, unknown>;
}
