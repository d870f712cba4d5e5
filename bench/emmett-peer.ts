/**
 * The peer side of bench/append: Emmett's PostgreSQL event store
 * (@event-driven-io/emmett-postgresql 0.42.0, a devDependency used only here), in a database of
 * its own, appending the same events as our store at an exact expected stream version.
 *
 * What its `appendToStream` does per call (read from its 0.42.0 source): BEGIN; one
 * `SELECT * FROM emt_append_to_stream(ARRAY[…]::text[], ARRAY[…]::jsonb[], …)` with every value
 * inlined as an escaped SQL literal (no bind parameters); COMMIT — three round trips. The function
 * inserts the stream's row at expected version 0 (a second writer fails on the primary key) or
 * updates it `WHERE stream_position = expected` (no row: a version conflict, thrown as
 * ExpectedVersionConflictError), then inserts the messages. Its messages table is partitioned by
 * `partition` and indexed only by its primary key (stream_id, stream_position, partition,
 * is_archived): no unique message id, no index on the global position or the transaction id, no
 * content hash or chain.
 *
 * Emmett ships CommonJS beside its ES modules (`exports.require` → dist/index.cjs), so a plain
 * import works under `node -r ./scripts/register.js` (tsconfig: module commonjs).
 */
import { randomUUID } from 'node:crypto';
import type { Event } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import type { NewEvent } from '@kpi/event-store';
import type { Pool } from 'pg';

type EmmettEvent = Event<string, Record<string, unknown>, Record<string, unknown>>;

export interface EmmettPeer {
  /** The body of `writers` writer loops, each on a stream of its own: `batch` events a call. */
  writer(
    writers: number,
    batch: number,
    event: (n: number) => NewEvent,
  ): (writer: number) => Promise<void>;
  close(): Promise<void>;
}

/**
 * Emmett's store on `pool` (a pool on a database of Emmett's own; `url` is that database's
 * connection string, which its schema migration uses). Creates its schema before returning, so
 * that nothing of the migration falls inside a timed round.
 */
export async function emmettPeer(url: string, pool: Pool): Promise<EmmettPeer> {
  const store = getPostgreSQLEventStore(url, { connectionOptions: { pool } });
  await store.schema.migrate();
  return {
    writer(writers, batch, event) {
      const streams = Array.from({ length: writers }, () => ({
        // The part before the first '-' becomes Emmett's stream type.
        name: `bench-${randomUUID()}`,
        version: 0n,
      }));
      return async (writer) => {
        const stream = streams[writer]!;
        const events = Array.from({ length: batch }, (_, i): EmmettEvent => {
          const e = event(i);
          return {
            type: e.type,
            data: e.data as EmmettEvent['data'], // kpiEvent's data: a plain object
            // Our event id as Emmett's message id (else it makes one of its own with uuid v4).
            metadata: { ...e.metadata, messageId: e.eventId },
          };
        });
        // 0n is an exact expectation too: "the stream does not exist yet".
        const result = await store.appendToStream(stream.name, events, {
          expectedStreamVersion: stream.version,
        });
        stream.version = result.nextExpectedStreamVersion;
      };
    },
    close: () => store.close(),
  };
}
