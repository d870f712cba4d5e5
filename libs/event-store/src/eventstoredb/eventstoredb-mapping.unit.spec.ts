import { createHash, randomUUID } from 'node:crypto';
import { ANY, NO_STREAM, START } from '@eventstore/db-client';
import { contractRegistry, metadata, thingHappened } from '../contract/test-events';
import { EventIdConflictError, InvalidStreamIdError } from '../errors';
import { START_OF_LOG, type BrokenLink, type NewEvent } from '../event-store.port';
import { EventTypeRegistry } from '../event-type-registry';
import { contentHash } from '../hash-chain';
import {
  StoredEventFormatError,
  assertUsableStreamId,
  chainBatch,
  checkpointFromPosition,
  claimStreamName,
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
  toExpectedRevision,
  toRecordedEvent,
  toSafeNumber,
  verifyStreamEvents,
  versionFromCurrentRevision,
  versionFromRevision,
  type ChainHead,
  type RawEsdbEvent,
  type StoredCopy,
} from './eventstoredb-mapping';

const registry = contractRegistry();
const TOO_BIG = BigInt(Number.MAX_SAFE_INTEGER) + 1n;

describe('EventStoreDB mapping: versions and revisions', () => {
  it('maps 0-based revisions to 1-based versions and back', () => {
    expect(versionFromRevision(0n)).toBe(1);
    expect(versionFromRevision(41n)).toBe(42);
    expect(revisionForVersion(0)).toBe(NO_STREAM);
    expect(revisionForVersion(1)).toBe(0n);
    expect(revisionForVersion(42)).toBe(41n);
    expect(() => revisionForVersion(-1)).toThrow(RangeError);
    expect(() => revisionForVersion(1.5)).toThrow(RangeError);
  });

  it('maps expected versions to expected revisions', () => {
    expect(toExpectedRevision('any')).toBe(ANY);
    expect(toExpectedRevision('no-stream')).toBe(NO_STREAM);
    expect(toExpectedRevision(0)).toBe(NO_STREAM);
    expect(toExpectedRevision(1)).toBe(0n);
    expect(toExpectedRevision(7)).toBe(6n);
    expect(expectedVersionNumber('any')).toBeNull();
    expect(expectedVersionNumber('no-stream')).toBe(0);
    expect(expectedVersionNumber(3)).toBe(3);
  });

  it("reads a WrongExpectedVersionError's current revision as a version", () => {
    expect(versionFromCurrentRevision('no_stream')).toBe(0);
    expect(versionFromCurrentRevision(0n)).toBe(1);
    expect(versionFromCurrentRevision(4n)).toBe(5);
  });

  it('refuses numbers JavaScript cannot hold exactly', () => {
    expect(toSafeNumber(BigInt(Number.MAX_SAFE_INTEGER), 'x')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toSafeNumber(TOO_BIG, 'commit position')).toThrow(
      /commit position 9007199254740992 cannot be represented/,
    );
    expect(() => toSafeNumber(-1n, 'x')).toThrow(RangeError);
    expect(() => versionFromRevision(TOO_BIG)).toThrow(RangeError);
  });

  it('refuses stream ids EventStoreDB reserves for system streams', () => {
    expect(() => assertUsableStreamId('$all')).toThrow(InvalidStreamIdError);
    expect(() => assertUsableStreamId('$$thing')).toThrow(/reserves for system streams/);
    expect(() => assertUsableStreamId('thing-$1')).not.toThrow();
  });
});

describe('EventStoreDB mapping: the global log', () => {
  it('maps $all positions to checkpoints (commit → transactionId, prepare → globalPosition)', () => {
    expect(checkpointFromPosition({ commit: 1200n, prepare: 1100n })).toEqual({
      transactionId: 1200,
      globalPosition: 1100,
    });
    expect(() => checkpointFromPosition({ commit: TOO_BIG, prepare: 0n })).toThrow(RangeError);
    expect(() => checkpointFromPosition({ commit: 0n, prepare: TOO_BIG })).toThrow(RangeError);
  });

  it('reads from the start for START_OF_LOG and from the position otherwise', () => {
    expect(readPositionAfter(START_OF_LOG)).toBe(START);
    expect(readPositionAfter({ transactionId: 1200, globalPosition: 1100 })).toEqual({
      commit: 1200n,
      prepare: 1100n,
    });
    expect(() => readPositionAfter({ transactionId: -1, globalPosition: 0 })).toThrow(RangeError);
    expect(() => readPositionAfter({ transactionId: 0, globalPosition: Number.NaN })).toThrow(
      RangeError,
    );
  });

  it('keeps only positions strictly after the checkpoint, in (commit, prepare) order', () => {
    const after = { transactionId: 1200, globalPosition: 1100 };
    expect(isAfterCheckpoint({ commit: 1200n, prepare: 1100n }, after)).toBe(false);
    expect(isAfterCheckpoint({ commit: 1200n, prepare: 1099n }, after)).toBe(false);
    expect(isAfterCheckpoint({ commit: 1199n, prepare: 5000n }, after)).toBe(false);
    expect(isAfterCheckpoint({ commit: 1200n, prepare: 1101n }, after)).toBe(true);
    expect(isAfterCheckpoint({ commit: 1201n, prepare: 0n }, after)).toBe(true);
    expect(isAfterCheckpoint({ commit: 0n, prepare: 0n }, START_OF_LOG)).toBe(true);
  });

  it('treats $-streams and $-types as system records', () => {
    expect(isSystemEvent({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' })).toBe(
      true,
    );
    expect(isSystemEvent({ streamId: 'thing-1', type: '$>' })).toBe(true);
    expect(isSystemEvent({ streamId: claimStreamName(randomUUID()), type: 'EventIdClaimed' })).toBe(
      true,
    );
    expect(isSystemEvent({ streamId: 'thing-1', type: 'ThingHappened' })).toBe(false);
  });

  it('names claim streams by the lowercase event id, as system streams', () => {
    expect(claimStreamName('ABCDEF00-0000-4000-8000-000000000000')).toBe(
      '$kpi-event-id-abcdef00-0000-4000-8000-000000000000',
    );
    expect(parseClaim({ streamId: 's', headVersion: 3, contentHash: 'h' }, 'c')).toEqual({
      streamId: 's',
      headVersion: 3,
      contentHash: 'h',
    });
    // A claim without a usable head version is searched for from the start of the stream.
    expect(parseClaim({ streamId: 's' }, 'c')).toEqual({
      streamId: 's',
      headVersion: 0,
      contentHash: '',
    });
    expect(() => parseClaim({ headVersion: 1 }, 'c')).toThrow(StoredEventFormatError);
    expect(() => parseClaim('text', 'c')).toThrow(StoredEventFormatError);
  });
});

describe('EventStoreDB mapping: batches, envelopes and the hash chain', () => {
  const streamId = 'thing-1';

  it('prepares events with the same content hash the PostgreSQL adapter computes', () => {
    const effectiveAt = new Date('2026-01-31T23:59:59.000Z');
    const event = thingHappened({ n: 1 }, { effectiveAt });
    const upper = { ...event, eventId: event.eventId.toUpperCase() };
    const [prepared] = prepareEvents(streamId, [upper], registry);
    expect(prepared).toEqual({
      eventId: event.eventId.toLowerCase(),
      type: 'ThingHappened',
      schemaVersion: 1,
      data: { n: 1 },
      metadata: metadata(),
      effectiveAt: '2026-01-31T23:59:59.000Z',
      contentHash: contentHash({
        eventId: event.eventId.toLowerCase(),
        streamId,
        type: 'ThingHappened',
        schemaVersion: 1,
        data: { n: 1 },
        metadata: metadata(),
        effectiveAt: '2026-01-31T23:59:59.000Z',
      }),
    });
  });

  it('chains a batch: sha256(previous | stream | version | recorded µs | content hash)', () => {
    const prepared = prepareEvents(streamId, [thingHappened(), thingHappened()], registry);
    const nowMs = Date.parse('2026-02-01T10:00:00.123Z');
    const chain = chainBatch(streamId, null, prepared, nowMs + 0.7);
    expect(chain.recordedAtMs).toBe(nowMs);

    const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
    const first = sha(`|${streamId}|1|${nowMs}000|${prepared[0]!.contentHash}`);
    const second = sha(`${first}|${streamId}|2|${nowMs}000|${prepared[1]!.contentHash}`);
    expect(chain.links).toEqual([
      { streamVersion: 1, previousHash: '', hash: first },
      { streamVersion: 2, previousHash: first, hash: second },
    ]);
  });

  it('continues from the head, never recording earlier than the previous event', () => {
    const prepared = prepareEvents(streamId, [thingHappened()], registry);
    const head: ChainHead = { version: 4, hash: 'abc', recordedAtMs: 2_000 };
    const behind = chainBatch(streamId, head, prepared, 1_000);
    expect(behind.recordedAtMs).toBe(2_000);
    expect(behind.links[0]).toMatchObject({ streamVersion: 5, previousHash: 'abc' });
    expect(chainBatch(streamId, head, prepared, 3_000).recordedAtMs).toBe(3_000);
  });

  it('stores the envelope as metadata and reads it back as a RecordedEvent', () => {
    const effectiveAt = new Date('2026-01-31T00:00:00.000Z');
    const events = [thingHappened({ n: 1 }, { effectiveAt }), thingHappened({ n: 2 })];
    const raws = storedStream(streamId, [events], [Date.parse('2026-02-01T10:00:00.123Z')]);
    const envelope = parseEnvelope(raws[0]!.metadata, 'x');
    expect(envelope).toEqual({
      ...metadata(),
      schemaVersion: 1,
      effectiveAt: '2026-01-31T00:00:00.000Z',
      recordedAt: '2026-02-01T10:00:00.123Z',
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      previousHash: '',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const [first, second] = raws.map((raw) => toRecordedEvent(raw, registry));
    expect(first).toEqual({
      eventId: events[0]!.eventId,
      streamId,
      streamVersion: 1,
      globalPosition: 1000,
      transactionId: 1000,
      type: 'ThingHappened',
      schemaVersion: 1,
      storedSchemaVersion: 1,
      data: { n: 1 },
      metadata: metadata(),
      recordedAt: new Date('2026-02-01T10:00:00.123Z'),
      effectiveAt,
      previousHash: '',
      hash: envelope.hash,
    });
    expect(second).toMatchObject({
      streamVersion: 2,
      globalPosition: 1100,
      previousHash: envelope.hash,
    });
    expect(second!.effectiveAt).toEqual(second!.recordedAt);
  });

  it('upcasts events stored at an older schema version', () => {
    const legacy = new EventTypeRegistry([{ type: 'ThingRenamed', schemaVersion: 1 }]);
    const renamed: NewEvent = { ...thingHappened(), type: 'ThingRenamed', data: { name: 'rose' } };
    const [raw] = storedStream(streamId, [[renamed]], [0], legacy);
    expect(toRecordedEvent(raw!, registry)).toMatchObject({
      storedSchemaVersion: 1,
      schemaVersion: 2,
      data: { name: 'rose', displayName: 'ROSE' },
    });
  });

  it('refuses events it did not write, and events read without a log position', () => {
    const [raw] = storedStream(streamId, [[thingHappened()]], [0]);
    expect(() => toRecordedEvent({ ...raw!, metadata: undefined }, registry)).toThrow(
      StoredEventFormatError,
    );
    expect(() =>
      toRecordedEvent({ ...raw!, metadata: { ...(raw!.metadata as object), hash: 1 } }, registry),
    ).toThrow(/metadata.hash is not text/);
    expect(() =>
      toRecordedEvent(
        { ...raw!, metadata: { ...(raw!.metadata as object), recordedAt: 'x' } },
        registry,
      ),
    ).toThrow(/recordedAt is not a time/);
    expect(() => toRecordedEvent({ ...raw!, isJson: false }, registry)).toThrow(/not JSON/);
    expect(() => toRecordedEvent({ ...raw!, position: undefined }, registry)).toThrow(
      /22.6 or later/,
    );
  });
});

describe('EventStoreDB mapping: retries', () => {
  const streamId = 'thing-1';
  const prepared = prepareEvents(streamId, [thingHappened(), thingHappened()], registry);
  const copy = (i: number, overrides: Partial<StoredCopy> = {}): StoredCopy => ({
    streamId,
    streamVersion: 3 + i,
    globalPosition: 500 + i,
    contentHash: prepared[i]!.contentHash,
    ...overrides,
  });

  it('is nothing when no id of the batch is stored', () => {
    expect(resolveStored(streamId, prepared, new Map())).toBeNull();
  });

  it('returns the original positions for the very same batch', () => {
    const stored = new Map(prepared.map((e, i) => [e.eventId, copy(i)]));
    expect(resolveStored(streamId, prepared, stored)).toEqual({
      streamId,
      nextExpectedVersion: 4,
      events: [
        { eventId: prepared[0]!.eventId, streamVersion: 3, globalPosition: 500 },
        { eventId: prepared[1]!.eventId, streamVersion: 4, globalPosition: 501 },
      ],
      alreadyStored: true,
    });
  });

  it.each([
    ['part of the batch', new Map([[prepared[1]!.eventId, copy(1)]]), /other events of the batch/],
    [
      'an id in another stream',
      new Map(prepared.map((e, i) => [e.eventId, copy(i, { streamId: 'other' })])),
      /in another stream/,
    ],
    [
      'an id with other content',
      new Map(prepared.map((e, i) => [e.eventId, copy(i, { contentHash: i === 1 ? 'x' : null })])),
      /with different content/,
    ],
  ])('refuses %s with an EventIdConflictError', (_label, stored, message) => {
    const error = (() => {
      try {
        resolveStored(streamId, prepared, stored);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(EventIdConflictError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('EventStoreDB mapping: verification', () => {
  const streamId = 'thing-1';
  const build = () =>
    storedStream(
      streamId,
      [
        [thingHappened({ n: 1 }), thingHappened({ n: 2 })],
        [thingHappened({ unicode: 'Ysgol Gymraeg — ✓ 😀' }, { effectiveAt: new Date(5) })],
      ],
      [Date.parse('2026-02-01T10:00:00.123Z'), Date.parse('2026-02-01T10:00:01.000Z')],
    );
  const withMetadata = (raw: RawEsdbEvent, change: Record<string, unknown>): RawEsdbEvent => ({
    ...raw,
    metadata: { ...(raw.metadata as object), ...change },
  });

  it('finds no broken link in a chain it wrote', () => {
    expect(verifyStreamEvents(streamId, build())).toBeNull();
    expect(verifyStreamEvents(streamId, [])).toBeNull();
  });

  const tamperings: [string, (raws: RawEsdbEvent[]) => void, number, BrokenLink['reason']][] = [
    [
      'changed data',
      (r: RawEsdbEvent[]) => void (r[1] = { ...r[1]!, data: { n: 3 } }),
      2,
      'content-changed',
    ],
    [
      'changed metadata',
      (r: RawEsdbEvent[]) => void (r[2] = withMetadata(r[2]!, { actor: 'user:mallory' })),
      3,
      'content-changed',
    ],
    [
      'a changed recorded time',
      (r: RawEsdbEvent[]) =>
        void (r[0] = withMetadata(r[0]!, { recordedAt: '2026-02-01T10:00:00.124Z' })),
      1,
      'hash-changed',
    ],
    [
      'a changed previous hash',
      (r: RawEsdbEvent[]) => void (r[1] = withMetadata(r[1]!, { previousHash: 'f'.repeat(64) })),
      2,
      'previous-hash-mismatch',
    ],
    ['a missing event', (r: RawEsdbEvent[]) => void r.splice(1, 1), 2, 'version-gap'],
    ['a truncated start', (r: RawEsdbEvent[]) => void r.shift(), 1, 'version-gap'],
    [
      'metadata that is not an envelope',
      (r: RawEsdbEvent[]) => void (r[2] = { ...r[2]!, metadata: { hello: 'world' } }),
      3,
      'content-changed',
    ],
  ];

  it.each(tamperings)('names the first broken link for %s', (_label, tamper, version, reason) => {
    const raws = build();
    tamper(raws);
    expect(verifyStreamEvents(streamId, raws)).toMatchObject({
      streamId,
      streamVersion: version,
      reason,
    });
  });
});

/** Batches as EventStoreDB would store them with this adapter (metadata JSON round-tripped). */
function storedStream(
  streamId: string,
  batches: NewEvent[][],
  recordedAtMs: number[],
  types: EventTypeRegistry = registry,
): RawEsdbEvent[] {
  const raws: RawEsdbEvent[] = [];
  let head: ChainHead | null = null;
  batches.forEach((batch, b) => {
    const prepared = prepareEvents(streamId, batch, types);
    const chain = chainBatch(streamId, head, prepared, recordedAtMs[b]!);
    prepared.forEach((event, i) => {
      const link = chain.links[i]!;
      raws.push({
        id: event.eventId,
        streamId,
        revision: BigInt(link.streamVersion - 1),
        type: event.type,
        isJson: true,
        data: JSON.parse(JSON.stringify(event.data)) as unknown,
        metadata: JSON.parse(
          JSON.stringify(envelopeFor(event, link, chain.recordedAtMs)),
        ) as unknown,
        position: {
          commit: BigInt(900 + link.streamVersion * 100),
          prepare: BigInt(900 + link.streamVersion * 100),
        },
      });
      head = { version: link.streamVersion, hash: link.hash, recordedAtMs: chain.recordedAtMs };
    });
  });
  return raws;
}
