import { randomUUID } from 'node:crypto';
import type { CheckpointStore } from '../checkpoint-store';
import { CatchUpSubscription } from '../catch-up-subscription';
import { ConcurrencyError, EventIdConflictError, InvalidStreamIdError } from '../errors';
import {
  START_OF_LOG,
  type EventStore,
  type GlobalCheckpoint,
  type NewEvent,
  type RecordedEvent,
} from '../event-store.port';
import { badInputContract } from './bad-input.contract';
import { metadata, thingHappened, uniqueStreamId } from './test-events';

export interface ContractSubject {
  store: EventStore;
  /** Stores `ThingRenamed` as schema version 1, bypassing the registry (to test upcasting). */
  appendLegacyRenamed(streamId: string, data: { name: string }): Promise<void>;
}

export interface ContractOptions {
  /** Writers and batches per writer for the "every event exactly once" test. */
  concurrentWriters: number;
  batchesPerWriter: number;
}

/**
 * The behaviour every EventStore adapter must have. Each adapter's spec calls this with a
 * factory for a fresh store; tests use their own stream ids, so they may share one store.
 */
export function eventStoreContract(subject: () => ContractSubject, options: ContractOptions): void {
  const store = () => subject().store;
  const countAll = () => store().countEventsAfter(START_OF_LOG);

  describe('appending and reading a stream', () => {
    it('stores a batch as versions 1..n with its metadata, readable forward and backward', async () => {
      const streamId = uniqueStreamId();
      const effectiveAt = new Date('2026-01-31T23:59:59.000Z');
      const batch = [
        thingHappened({ n: 1 }, { effectiveAt }),
        thingHappened({ n: 2 }),
        thingHappened({ n: 3 }),
      ];
      const result = await store().append(streamId, batch, 'no-stream');

      expect(result).toMatchObject({ streamId, nextExpectedVersion: 3, alreadyStored: false });
      expect(result.events.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
      expect(result.events.map((e) => e.eventId)).toEqual(batch.map((e) => e.eventId));

      const forward = await store().readStream(streamId);
      expect(forward.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(forward.map((e) => e.globalPosition)).toEqual(
        result.events.map((e) => e.globalPosition),
      );
      expect(forward[0]).toMatchObject({
        type: 'ThingHappened',
        schemaVersion: 1,
        storedSchemaVersion: 1,
        metadata: metadata(),
        effectiveAt,
        previousHash: '',
      });
      expect(forward[1]!.effectiveAt).toEqual(forward[1]!.recordedAt);
      expect(forward[1]!.previousHash).toBe(forward[0]!.hash);

      const backward = await store().readStream(streamId, { direction: 'backward', maxCount: 2 });
      expect(backward.map((e) => e.streamVersion)).toEqual([3, 2]);
      expect(await store().streamVersion(streamId)).toBe(3);
    });

    it('reads several streams in one go, a missing one as empty', async () => {
      const [a, b, missing] = [uniqueStreamId(), uniqueStreamId(), uniqueStreamId()];
      await store().append(a, [thingHappened({ n: 1 }), thingHappened({ n: 2 })], 'no-stream');
      await store().append(b, [thingHappened({ n: 3 })], 'no-stream');
      const streams = await store().readStreams([a, b, missing]);
      expect([...streams.keys()]).toEqual([a, b, missing]);
      expect(streams.get(a)!.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
      expect(streams.get(b)!.map((e) => e.data)).toEqual([{ n: 3 }]);
      expect(streams.get(missing)).toEqual([]);
      await expect(store().readStreams([a, ''])).rejects.toBeInstanceOf(InvalidStreamIdError);
      const after = await store().readStreams([a, b], [2, 1]);
      expect(after.get(a)!.map((e) => e.data)).toEqual([{ n: 2 }]);
      expect(after.get(b)!.map((e) => e.data)).toEqual([{ n: 3 }]);
    });

    it('reads a stream that does not exist as empty, at version 0', async () => {
      const streamId = uniqueStreamId();
      expect(await store().readStream(streamId)).toEqual([]);
      expect(await store().streamVersion(streamId)).toBe(0);
    });

    it('reads a stream as it was at a version, and as it was known at a recorded time', async () => {
      const streamId = uniqueStreamId();
      await store().append(streamId, [thingHappened({ n: 1 })], 'no-stream');
      const [first] = await store().readStream(streamId);
      await store().append(streamId, [thingHappened({ n: 2 }), thingHappened({ n: 3 })], 1);

      expect(
        (await store().readStream(streamId, { toVersion: 2 })).map((e) => e.streamVersion),
      ).toEqual([1, 2]);
      expect(
        (await store().readStream(streamId, { fromVersion: 2 })).map((e) => e.streamVersion),
      ).toEqual([2, 3]);
      const asKnown = await store().readStream(streamId, { recordedUntil: first!.recordedAt });
      expect(asKnown.map((e) => e.streamVersion)).toEqual(
        (await store().readStream(streamId))
          .filter((e) => e.recordedAt <= first!.recordedAt)
          .map((e) => e.streamVersion),
      );
      expect(asKnown[0]!.streamVersion).toBe(1);
      expect(
        await store().readStream(streamId, {
          recordedUntil: new Date(first!.recordedAt.getTime() - 1),
        }),
      ).toEqual([]);
    });

    it('upcasts events stored with an older schema version when reading them', async () => {
      const streamId = uniqueStreamId();
      await subject().appendLegacyRenamed(streamId, { name: 'rose house' });
      const [event] = await store().readStream(streamId);
      expect(event).toMatchObject({
        type: 'ThingRenamed',
        storedSchemaVersion: 1,
        schemaVersion: 2,
        data: { name: 'rose house', displayName: 'ROSE HOUSE' },
      });
    });
  });

  describe('expected version', () => {
    it('refuses an append at a stale version with a ConcurrencyError naming the actual version', async () => {
      const streamId = uniqueStreamId();
      await store().append(streamId, [thingHappened(), thingHappened()], 'no-stream');
      const error = await store()
        .append(streamId, [thingHappened()], 1)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConcurrencyError);
      expect(error).toMatchObject({ streamId, expectedVersion: 1, actualVersion: 2 });
      expect(await store().streamVersion(streamId)).toBe(2);
    });

    it("refuses 'no-stream' (and version 0) once the stream exists, and a version for a stream that does not", async () => {
      const streamId = uniqueStreamId();
      await store().append(streamId, [thingHappened()], 0);
      await expect(store().append(streamId, [thingHappened()], 'no-stream')).rejects.toBeInstanceOf(
        ConcurrencyError,
      );
      await expect(store().append(streamId, [thingHappened()], 0)).rejects.toBeInstanceOf(
        ConcurrencyError,
      );
      await expect(store().append(uniqueStreamId(), [thingHappened()], 3)).rejects.toMatchObject({
        actualVersion: 0,
      });
    });

    it("appends at whatever version with 'any'", async () => {
      const streamId = uniqueStreamId();
      await store().append(streamId, [thingHappened()], 'any');
      const result = await store().append(streamId, [thingHappened()], 'any');
      expect(result.nextExpectedVersion).toBe(2);
    });

    it('lets exactly one of 20 concurrent appends at the same expected version succeed', async () => {
      const streamId = uniqueStreamId();
      await store().append(streamId, [thingHappened()], 'no-stream');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          store().append(streamId, [thingHappened({ writer: i })], 1),
        ),
      );
      const succeeded = outcomes.filter((o) => o.status === 'fulfilled');
      const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(succeeded).toHaveLength(1);
      expect(failed).toHaveLength(19);
      for (const failure of failed) expect(failure.reason).toBeInstanceOf(ConcurrencyError);
      expect(await store().streamVersion(streamId)).toBe(2);
    });

    it('lets exactly one of 20 concurrent creators of a new stream succeed', async () => {
      const streamId = uniqueStreamId();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          store().append(streamId, [thingHappened({ writer: i })], 'no-stream'),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes)
        if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(ConcurrencyError);
      expect(await store().streamVersion(streamId)).toBe(1);
    });
  });

  describe('retries (idempotency by event id)', () => {
    it.each([
      ['the same expected version', 'same'],
      ["'any'", 'any'],
    ] as const)(
      'returns the original positions and writes nothing when a batch is appended again with %s',
      async (_label, mode) => {
        const streamId = uniqueStreamId();
        const batch = [thingHappened({ n: 1 }), thingHappened({ n: 2 })];
        const first = await store().append(streamId, batch, mode === 'any' ? 'any' : 'no-stream');
        const before = await countAll();
        const again = await store().append(streamId, batch, mode === 'any' ? 'any' : 'no-stream');
        expect(again).toEqual({ ...first, alreadyStored: true });
        expect(await countAll()).toBe(before);
        expect(await store().streamVersion(streamId)).toBe(2);
      },
    );

    it('refuses an event id that is stored with different content', async () => {
      const streamId = uniqueStreamId();
      const event = thingHappened({ n: 1 });
      await store().append(streamId, [event], 'no-stream');
      await expect(
        store().append(streamId, [{ ...event, data: { n: 2 } }], 'any'),
      ).rejects.toBeInstanceOf(EventIdConflictError);
      await expect(
        store().append(streamId, [{ ...event, data: { n: 2 } }], 'no-stream'),
      ).rejects.toBeInstanceOf(EventIdConflictError);
    });

    it('refuses an event id that is stored in another stream, and one repeated within a batch', async () => {
      const event = thingHappened();
      await store().append(uniqueStreamId(), [event], 'no-stream');
      await expect(store().append(uniqueStreamId(), [event], 'any')).rejects.toBeInstanceOf(
        EventIdConflictError,
      );
      await expect(
        store().append(uniqueStreamId(), [event, { ...event }], 'any'),
      ).rejects.toBeInstanceOf(EventIdConflictError);
    });
  });

  badInputContract(store);

  describe('the global log', () => {
    it(`delivers every event exactly once, in stream order, with ${options.concurrentWriters} concurrent writers`, async () => {
      const start = await readToEnd(store(), START_OF_LOG);
      const runId = randomUUID();
      const written: string[] = [];
      await Promise.all(
        Array.from({ length: options.concurrentWriters }, async (_, writer) => {
          for (let batch = 0; batch < options.batchesPerWriter; batch++) {
            const streamId = `log-${runId}-${writer}-${batch % 10}`;
            const events = [0, 1].map((n) =>
              thingHappened({ writer, batch, n }, { metadata: metadata({ correlationId: runId }) }),
            );
            await store().append(streamId, events, 'any');
            written.push(...events.map((e) => e.eventId));
          }
        }),
      );
      const read = await readRunToItsEnd(store(), start.checkpoint, runId, written.length);
      expect(read).toHaveLength(written.length);
      expect(new Set(read.map((e) => e.eventId))).toEqual(new Set(written));
      const lastVersion = new Map<string, number>();
      for (const event of read) {
        expect(event.streamVersion).toBe((lastVersion.get(event.streamId) ?? 0) + 1);
        lastVersion.set(event.streamId, event.streamVersion);
      }
    });

    it('reads only the types asked for, going past the others and counting them as read', async () => {
      const { checkpoint: start } = await readToEnd(store(), START_OF_LOG);
      const counted = (n: number): NewEvent => ({ ...thingHappened({ n }), type: 'ThingCounted' });
      const runId = randomUUID();
      const batch = [counted(1), thingHappened(), counted(2), thingHappened()].map((e) => ({
        ...e,
        metadata: metadata({ correlationId: runId }),
      }));
      await store().append(uniqueStreamId(), batch, 'no-stream');
      // Once these are readable, everything before them in the log is too (a PostgreSQL store
      // holds back what a running transaction, of any database on the server, might still add):
      // the two reads below then see the same log.
      await readRunToItsEnd(store(), start, runId, batch.length);
      const types = ['ThingCounted'];
      let checkpoint = start;
      const seen: RecordedEvent[] = [];
      for (;;) {
        const all = await store().readAll(checkpoint, { limit: 3 });
        const some = await store().readAll(checkpoint, { limit: 3, types });
        expect(some.events.map((e) => e.eventId)).toEqual(
          all.events.filter((e) => e.type === 'ThingCounted').map((e) => e.eventId),
        );
        expect(some.read).toBe(all.events.length);
        expect(all.read).toBe(all.events.length);
        expect(some.checkpoint).toEqual(all.checkpoint);
        expect(some.caughtUp).toBe(all.caughtUp);
        seen.push(...some.events);
        checkpoint = some.checkpoint;
        if (some.caughtUp) break;
      }
      const ours = new Set(batch.map((e) => e.eventId));
      expect(seen.filter((e) => ours.has(e.eventId)).map((e) => e.data)).toEqual([
        { n: 1 },
        { n: 2 },
      ]);
      const after = await store().readAll(checkpoint, { types });
      expect(after).toMatchObject({ events: [], read: 0, checkpoint, caughtUp: true });
    });

    it('counts the events after a checkpoint', async () => {
      const { checkpoint } = await readToEnd(store(), START_OF_LOG);
      await store().append(uniqueStreamId(), [thingHappened(), thingHappened()], 'no-stream');
      expect(await store().countEventsAfter(checkpoint)).toBeGreaterThanOrEqual(2);
    });
  });

  describe('a catch-up subscription', () => {
    it('resumes from its stored checkpoint and handles each event once', async () => {
      const checkpoints = new InMemoryCheckpointStore();
      const name = `sub-${randomUUID()}`;
      await checkpoints.save(name, (await readToEnd(store(), START_OF_LOG)).checkpoint);
      const streamId = uniqueStreamId();
      await store().append(
        streamId,
        [thingHappened({ n: 1 }), thingHappened({ n: 2 })],
        'no-stream',
      );

      const seen: RecordedEvent[] = [];
      const handle = async (events: RecordedEvent[]) =>
        void seen.push(...events.filter((e) => e.streamId === streamId));
      // Each catch-up resumes from the stored checkpoint: run again while events are held back.
      await catchUpUntil(
        () =>
          new CatchUpSubscription(store(), checkpoints, { name, handle, batchSize: 1 }).catchUp(),
        () => seen.length >= 2,
      );
      expect(seen.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);

      await store().append(streamId, [thingHappened({ n: 3 })], 2);
      await catchUpUntil(
        () => new CatchUpSubscription(store(), checkpoints, { name, handle }).catchUp(),
        () => seen.length >= 3,
      );
      expect(seen.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    });
  });

  describe('verification', () => {
    it('finds no broken link in streams it wrote', async () => {
      const streamId = uniqueStreamId();
      await store().append(streamId, [thingHappened(), thingHappened()], 'no-stream');
      await store().append(streamId, [thingHappened({ unicode: 'Ysgol Gymraeg — ✓ 😀' })], 2);
      const report = await store().verify({ streamId });
      expect(report).toEqual({ streamsChecked: 1, eventsChecked: 3, brokenLinks: [] });
    });
  });
}

export class InMemoryCheckpointStore implements CheckpointStore {
  private readonly checkpoints = new Map<string, GlobalCheckpoint>();
  async load(name: string): Promise<GlobalCheckpoint> {
    return this.checkpoints.get(name) ?? START_OF_LOG;
  }
  async save(name: string, checkpoint: GlobalCheckpoint): Promise<void> {
    this.checkpoints.set(name, checkpoint);
  }
}

export async function readAllEvents(
  store: EventStore,
  after: GlobalCheckpoint,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let checkpoint = after;
  for (;;) {
    const batch = await store.readAll(checkpoint, { limit: 5000 });
    events.push(...batch.events);
    checkpoint = batch.checkpoint;
    if (batch.caughtUp) return events;
  }
}

/**
 * Runs `catchUp` until `done` (or a minute has gone): a PostgreSQL store holds back events
 * committed after the oldest transaction still open on the server until it ends.
 */
async function catchUpUntil(catchUp: () => Promise<unknown>, done: () => boolean): Promise<void> {
  const giveUpAt = Date.now() + 60_000;
  for (;;) {
    await catchUp();
    if (done() || Date.now() > giveUpAt) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The events of one run (`runId` as correlation id) after `after`, read on from each checkpoint
 * until all `expected` have come. A PostgreSQL store holds back events committed after the
 * oldest transaction still open on the server (another test's, in another database) until it
 * ends: they are delivered then, after the checkpoint, never skipped — and never twice, which
 * the caller checks. Gives up after a minute, answering what it has.
 */
async function readRunToItsEnd(
  store: EventStore,
  after: GlobalCheckpoint,
  runId: string,
  expected: number,
): Promise<RecordedEvent[]> {
  const read: RecordedEvent[] = [];
  const giveUpAt = Date.now() + 60_000;
  let checkpoint = after;
  for (;;) {
    const batch = await store.readAll(checkpoint, { limit: 5000 });
    read.push(...batch.events.filter((e) => e.metadata.correlationId === runId));
    checkpoint = batch.checkpoint;
    if (!batch.caughtUp) continue;
    if (read.length >= expected || Date.now() > giveUpAt) return read;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function readToEnd(
  store: EventStore,
  after: GlobalCheckpoint,
): Promise<{ checkpoint: GlobalCheckpoint }> {
  let checkpoint = after;
  for (;;) {
    const batch = await store.readAll(checkpoint, { limit: 5000 });
    checkpoint = batch.checkpoint;
    if (batch.caughtUp) return { checkpoint };
  }
}
