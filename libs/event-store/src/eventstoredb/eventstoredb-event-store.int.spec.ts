/**
 * The shared EventStore contract against a real EventStoreDB / KurrentDB, only when
 * EVENTSTORE_URL is set (see docker/README.md). Without it every test here is reported as
 * skipped and a warning says so: nothing passes without having been checked.
 */
import { EventStoreDBClient } from '@eventstore/db-client';
import { eventStoreContract } from '../contract/event-store.contract';
import { contractRegistry, thingHappened } from '../contract/test-events';
import { EventTypeRegistry } from '../event-type-registry';
import { eventStoreDbAdapterCases } from './eventstoredb-adapter.cases';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

const describeWithEventStoreDb = process.env.EVENTSTORE_URL ? describe : describe.skip;

if (!process.env.EVENTSTORE_URL) {
  // Straight to stderr, not console.warn: Jest's default reporter drops the console output of a
  // test file whose tests are all skipped whenever several files run, which hid the warning.
  process.stderr.write(
    'EventStoreDB contract suite NOT RUN: EVENTSTORE_URL is not set (start docker/compose.yml and set EVENTSTORE_URL=esdb://localhost:2113?tls=false to run it)\n',
  );
}

describeWithEventStoreDb('EventStoreDbEventStore against EventStoreDB', () => {
  let client: EventStoreDBClient;
  let store: EventStoreDbEventStore;
  let legacyStore: EventStoreDbEventStore;

  beforeAll(() => {
    client = EventStoreDBClient.connectionString(process.env.EVENTSTORE_URL!);
    store = new EventStoreDbEventStore(client, contractRegistry());
    // The same client, with ThingRenamed still at schema version 1: an "old" writer.
    legacyStore = new EventStoreDbEventStore(
      client,
      new EventTypeRegistry([{ type: 'ThingRenamed', schemaVersion: 1 }]),
    );
  });
  afterAll(async () => {
    await client?.dispose();
  });

  eventStoreContract(
    () => ({
      store,
      async appendLegacyRenamed(streamId, data) {
        await legacyStore.append(
          streamId,
          [{ ...thingHappened(), type: 'ThingRenamed', data }],
          'no-stream',
        );
      },
    }),
    { concurrentWriters: 8, batchesPerWriter: 100 },
  );

  describe('EventStoreDB specifics', () => {
    eventStoreDbAdapterCases(() => store);
  });
});
