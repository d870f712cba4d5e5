import { eventStoreContract } from '../contract/event-store.contract';
import { contractRegistry, metadata, thingHappened, uniqueStreamId } from '../contract/test-events';
import { START_OF_LOG } from '../event-store.port';
import { EventTypeRegistry } from '../event-type-registry';
import { InMemoryEventStore } from './in-memory-event-store';

describe('InMemoryEventStore', () => {
  const store = new InMemoryEventStore(contractRegistry());

  eventStoreContract(
    () => ({
      store,
      async appendLegacyRenamed(streamId, data) {
        const legacy = new EventTypeRegistry([{ type: 'ThingRenamed', schemaVersion: 1 }]);
        await store
          .withRegistry(legacy)
          .append(streamId, [{ ...thingHappened(), type: 'ThingRenamed', data }], 'no-stream');
      },
    }),
    // Calls interleave at every await in one process: a few hundred batches exercise it as well
    // as thousands, and keep the unit tier fast.
    { concurrentWriters: 8, batchesPerWriter: 100 },
  );

  describe('in memory', () => {
    /** A clock the test moves by hand. */
    const manualClock = (iso: string) => {
      const clock = { now: new Date(iso), read: () => clock.now };
      return clock;
    };

    it("records the clock's time, never earlier than the stream's previous event", async () => {
      const clock = manualClock('2026-03-01T09:00:00.000Z');
      const memory = new InMemoryEventStore(contractRegistry(), { clock: clock.read });
      const streamId = uniqueStreamId();
      await memory.append(streamId, [thingHappened({ n: 1 })], 'no-stream');
      clock.now = new Date('2026-03-01T08:00:00.000Z'); // the clock goes back an hour
      await memory.append(streamId, [thingHappened({ n: 2 })], 1);
      const other = uniqueStreamId();
      await memory.append(other, [thingHappened()], 'no-stream');

      const recorded = (await memory.readStream(streamId)).map((e) => e.recordedAt.toISOString());
      expect(recorded).toEqual(['2026-03-01T09:00:00.000Z', '2026-03-01T09:00:00.000Z']);
      expect((await memory.readStream(other))[0]!.recordedAt).toEqual(clock.now);
    });

    it('writes nothing when the clock gives an invalid time', async () => {
      const memory = new InMemoryEventStore(contractRegistry(), { clock: () => new Date(NaN) });
      const streamId = uniqueStreamId();
      await expect(memory.append(streamId, [thingHappened()], 'no-stream')).rejects.toThrow(
        /invalid Date/,
      );
      expect(await memory.streamVersion(streamId)).toBe(0);
      expect(await memory.countEventsAfter(START_OF_LOG)).toBe(0);
      expect(await memory.verify()).toMatchObject({ streamsChecked: 0 });
    });

    it('reads a stream as it was known at a time between two appends', async () => {
      const clock = manualClock('2026-03-01T09:00:00.000Z');
      const memory = new InMemoryEventStore(contractRegistry(), { clock: clock.read });
      const streamId = uniqueStreamId();
      await memory.append(streamId, [thingHappened({ n: 1 })], 'no-stream');
      clock.now = new Date('2026-03-02T09:00:00.000Z');
      await memory.append(streamId, [thingHappened({ n: 2 })], 1);

      const asKnown = await memory.readStream(streamId, {
        recordedUntil: new Date('2026-03-01T23:59:59.999Z'),
      });
      expect(asKnown.map((e) => e.data)).toEqual([{ n: 1 }]);
    });

    it('hashes as PostgreSQL does: the published test vector of hash-chain.unit.spec.ts', async () => {
      const registry = new EventTypeRegistry([
        { type: 'MonthlyReturnSubmitted', schemaVersion: 1 },
      ]);
      // 1790000000123000 µs, the recorded time of the vector's chain link.
      const memory = new InMemoryEventStore(registry, { clock: () => new Date(1_790_000_000_123) });
      const streamId = 'return:acme:home-1:2026-09';
      await memory.append(
        streamId,
        [
          {
            eventId: '6f1c1f5e-9c53-4d0e-8f43-2f7f1d8b9a10',
            type: 'MonthlyReturnSubmitted',
            data: { score: 87.5, home: 'Tŷ Gwyn' },
            metadata: metadata({
              tenantId: 'acme',
              actor: 'user:7',
              correlationId: 'corr-3',
              commandId: 'cmd-9',
            }),
          },
        ],
        'no-stream',
      );
      const [event] = await memory.readStream(streamId);
      expect(event!.hash).toBe('8b5c53aecc1bd6bd9bdc28523aa1dbc709132fd202b73162a8a77d4a30806195');
      expect(await memory.verify()).toEqual({
        streamsChecked: 1,
        eventsChecked: 1,
        brokenLinks: [],
      });
    });

    it('numbers the global log 1, 2, 3… without gaps, one transaction per append', async () => {
      const memory = new InMemoryEventStore(contractRegistry());
      await memory.append(uniqueStreamId(), [thingHappened(), thingHappened()], 'no-stream');
      await memory.append(uniqueStreamId(), [thingHappened()], 'no-stream');
      const { events, checkpoint } = await memory.readAll(START_OF_LOG);
      expect(events.map((e) => [e.transactionId, e.globalPosition])).toEqual([
        [1, 1],
        [1, 2],
        [2, 3],
      ]);
      expect(checkpoint).toEqual({ transactionId: 2, globalPosition: 3 });
      expect(await memory.countEventsAfter({ transactionId: 1, globalPosition: 2 })).toBe(1);
    });

    it('keeps what it stored apart from the objects it was given and handed out', async () => {
      const memory = new InMemoryEventStore(contractRegistry());
      const streamId = uniqueStreamId();
      const event = thingHappened({ items: [1, 2] });
      await memory.append(streamId, [event], 'no-stream');
      (event.data as { items: number[] }).items.push(3);
      const [read] = await memory.readStream(streamId);
      (read!.data as { items: number[] }).items.push(4);
      read!.metadata.tenantId = 'tenant-b';

      const [again] = await memory.readStream(streamId);
      expect(again!.data).toEqual({ items: [1, 2] });
      expect(again!.metadata.tenantId).toBe('tenant-a');
      expect((await memory.verify({ streamId })).brokenLinks).toEqual([]);
    });
  });
});
