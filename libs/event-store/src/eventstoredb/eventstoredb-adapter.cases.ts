import { readAllEvents } from '../contract/event-store.contract';
import { metadata, thingHappened, uniqueStreamId } from '../contract/test-events';
import { ConcurrencyError, EventIdConflictError, InvalidStreamIdError } from '../errors';
import { START_OF_LOG, type EventStore } from '../event-store.port';

/**
 * Behaviour of the EventStoreDB adapter beyond the shared contract: what it does because
 * EventStoreDB works differently (reserved stream names, event-id claims, idempotent appends by
 * id). Run by the unit spec (in-memory model of the client) and by the int spec (a real server).
 */
export function eventStoreDbAdapterCases(store: () => EventStore): void {
  it('refuses stream ids that EventStoreDB reserves ($-prefixed) before sending anything', async () => {
    await expect(store().append('$thing', [thingHappened()], 'any')).rejects.toBeInstanceOf(
      InvalidStreamIdError,
    );
    await expect(store().readStream('$$thing')).rejects.toBeInstanceOf(InvalidStreamIdError);
    await expect(store().streamVersion('$all')).rejects.toBeInstanceOf(InvalidStreamIdError);
  });

  it('lets a batch refused for a version conflict be retried whole at the new version', async () => {
    const streamId = uniqueStreamId();
    await store().append(streamId, [thingHappened()], 'no-stream');
    const a = [thingHappened({ writer: 'a' })];
    const b = [thingHappened({ writer: 'b' }), thingHappened({ writer: 'b' })];
    const outcomes = await Promise.allSettled([
      store().append(streamId, a, 1),
      store().append(streamId, b, 1),
    ]);
    const lost = outcomes.findIndex((o) => o.status === 'rejected');
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    expect((outcomes[lost] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);

    // The loser's ids were claimed for this stream but never stored: the same events go in now.
    const loser = lost === 0 ? a : b;
    const version = await store().streamVersion(streamId);
    const retried = await store().append(streamId, loser, version);
    expect(retried.alreadyStored).toBe(false);
    expect(retried.events.map((e) => e.eventId)).toEqual(loser.map((e) => e.eventId));
    const again = await store().append(streamId, loser, version);
    expect(again).toEqual({ ...retried, alreadyStored: true });
  });

  it('stores a batch once when identical retries race each other', async () => {
    const streamId = uniqueStreamId();
    await store().append(streamId, [thingHappened()], 'no-stream');
    const batch = [thingHappened({ n: 1 }), thingHappened({ n: 2 })];
    const results = await Promise.all(
      Array.from({ length: 6 }, () => store().append(streamId, batch, 'any')),
    );
    const events = await store().readStream(streamId);
    expect(events.map((e) => e.eventId)).toEqual([
      events[0]!.eventId,
      ...batch.map((e) => e.eventId),
    ]);
    for (const result of results) {
      expect(result.events).toEqual(results[0]!.events);
      expect(result.nextExpectedVersion).toBe(3);
    }
    expect(await store().verify({ streamId })).toMatchObject({ brokenLinks: [] });
  });

  it('keeps an event id to the stream that claimed it, even if that append lost', async () => {
    const first = uniqueStreamId();
    await store().append(first, [thingHappened()], 'no-stream');
    const a = [thingHappened()];
    const b = [thingHappened()];
    const outcomes = await Promise.allSettled([
      store().append(first, a, 1),
      store().append(first, b, 1),
    ]);
    const loser = outcomes[0]!.status === 'rejected' ? a : b;
    await expect(store().append(uniqueStreamId(), loser, 'any')).rejects.toBeInstanceOf(
      EventIdConflictError,
    );
  });

  it('reads the global log one event at a time past system records, in order', async () => {
    const { checkpoint: start } = await lastCheckpoint(store());
    const streamId = uniqueStreamId('one-by-one');
    for (let n = 1; n <= 5; n++) await store().append(streamId, [thingHappened({ n })], 'any');

    const seen: number[] = [];
    let checkpoint = start;
    for (let reads = 0; reads < 10_000; reads++) {
      const batch = await store().readAll(checkpoint, { limit: 1 });
      expect(batch.events.length).toBeLessThanOrEqual(1);
      for (const event of batch.events) {
        if (event.streamId === streamId) seen.push((event.data as { n: number }).n);
      }
      if (batch.events.length === 0) expect(batch.checkpoint).toEqual(checkpoint);
      checkpoint = batch.checkpoint;
      if (batch.caughtUp) break;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    const all = (await readAllEvents(store(), start)).filter((e) => e.streamId === streamId);
    expect(all.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives an event the same positions in its stream, in $all and in the append result', async () => {
    const { checkpoint: start } = await lastCheckpoint(store());
    const streamId = uniqueStreamId();
    const appended = await store().append(
      streamId,
      [thingHappened({ n: 1 }), thingHappened({ n: 2 })],
      'no-stream',
    );
    const positions = (events: { transactionId: number; globalPosition: number }[]) =>
      events.map((e) => [e.transactionId, e.globalPosition]);
    const fromStream = await store().readStream(streamId);
    const fromAll = (await readAllEvents(store(), start)).filter((e) => e.streamId === streamId);
    expect(positions(fromAll)).toEqual(positions(fromStream));
    expect(fromStream.map((e) => e.globalPosition)).toEqual(
      appended.events.map((e) => e.globalPosition),
    );
  });

  it('reads a stream backward up to a version, from a version, and as known at a time', async () => {
    const streamId = uniqueStreamId();
    await store().append(
      streamId,
      [1, 2, 3].map((n) => thingHappened({ n })),
      'no-stream',
    );
    const [third] = await store().readStream(streamId, { fromVersion: 3 });
    await store().append(
      streamId,
      [4, 5].map((n) => thingHappened({ n })),
      3,
    );
    const versions = async (options: Parameters<EventStore['readStream']>[1]) =>
      (await store().readStream(streamId, options)).map((e) => e.streamVersion);

    expect(await versions({ direction: 'backward', toVersion: 4, maxCount: 2 })).toEqual([4, 3]);
    expect(await versions({ direction: 'backward', toVersion: 99 })).toEqual([5, 4, 3, 2, 1]);
    expect(await versions({ direction: 'backward', fromVersion: 4 })).toEqual([5, 4]);
    expect(await versions({ fromVersion: 2, toVersion: 3 })).toEqual([2, 3]);
    expect(await versions({ fromVersion: 9 })).toEqual([]);
    const known = await versions({ recordedUntil: third!.recordedAt });
    expect(known.slice(0, 3)).toEqual([1, 2, 3]);
    expect(
      await versions({ direction: 'backward', recordedUntil: third!.recordedAt, maxCount: 1 }),
    ).toEqual([known[known.length - 1]]);
  });

  it('verifies every stream found in $all, or those of one tenant', async () => {
    const a = uniqueStreamId('tenant-a');
    const b = uniqueStreamId('tenant-b');
    await store().append(a, [thingHappened()], 'no-stream');
    await store().append(
      b,
      [thingHappened({}, { metadata: metadata({ tenantId: 'tenant-b' }) })],
      'no-stream',
    );
    const progress: number[] = [];
    const onlyB = await store().verify({
      tenantId: 'tenant-b',
      onProgress: ({ streamsChecked }) => progress.push(streamsChecked),
    });
    expect(onlyB.brokenLinks).toEqual([]);
    expect(onlyB.streamsChecked).toBe(progress.length);
    const everything = await store().verify();
    expect(everything.streamsChecked).toBeGreaterThan(onlyB.streamsChecked);
    expect(everything.brokenLinks.map((l) => l.streamId)).not.toContain(a);
  });
}

async function lastCheckpoint(store: EventStore) {
  let checkpoint = START_OF_LOG;
  for (;;) {
    const batch = await store.readAll(checkpoint, { limit: 5000 });
    checkpoint = batch.checkpoint;
    if (batch.caughtUp) return { checkpoint };
  }
}
