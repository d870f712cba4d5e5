import { createTestDatabase, waitFor, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { CatchUpSubscription } from '../catch-up-subscription';
import { ConcurrencyError, TenantMismatchError } from '../errors';
import { PostgresCheckpointStore, resetCheckpoint } from '../checkpoint-store';
import { eventStoreContract, readAllEvents } from '../contract/event-store.contract';
import { contractRegistry, metadata, thingHappened, uniqueStreamId } from '../contract/test-events';
import { START_OF_LOG, type GlobalCheckpoint, type RecordedEvent } from '../event-store.port';
import { EventTypeRegistry } from '../event-type-registry';
import { migrate, MigrationChecksumError } from './migrator';
import { eventStoreMigrations } from './migrations';
import { PostgresEventStore } from './postgres-event-store';

let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase('event_store');
  pool = database.pool({ max: 24 });
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, contractRegistry());
});
afterAll(() => database.drop());

describe('PostgresEventStore', () => {
  eventStoreContract(
    () => ({
      store,
      async appendLegacyRenamed(streamId, data) {
        const legacy = new EventTypeRegistry([{ type: 'ThingRenamed', schemaVersion: 1 }]);
        await new PostgresEventStore(pool, legacy).append(
          streamId,
          [{ ...thingHappened(), type: 'ThingRenamed', data }],
          'no-stream',
        );
      },
    }),
    { concurrentWriters: 16, batchesPerWriter: 1000 },
  );

  describe('global log under concurrent transactions', () => {
    it('does not pass over an append that commits after later appends', async () => {
      const start = await caughtUpCheckpoint();
      const held = await pool.connect();
      const heldStream = uniqueStreamId('held');
      const laterStream = uniqueStreamId('later');
      const seen: RecordedEvent[] = [];
      const checkpoints = new PostgresCheckpointStore(pool);
      const name = `held-${heldStream}`;
      await checkpoints.save(name, start);
      const subscription = new CatchUpSubscription(store, checkpoints, {
        name,
        handle: async (events) =>
          void seen.push(...events.filter((e) => [heldStream, laterStream].includes(e.streamId))),
      });
      try {
        await held.query('BEGIN');
        await store.appendInTransaction(
          held,
          heldStream,
          [thingHappened({ held: true })],
          'no-stream',
        );
        for (let i = 0; i < 3; i++)
          await store.append(laterStream, [thingHappened({ later: i })], 'any');

        // The later events are committed, but the held one might still commit before them in
        // position order: the reader must wait rather than move its checkpoint past it.
        await subscription.catchUp();
        expect(seen).toEqual([]);

        await held.query('COMMIT');
        // Another database's open transaction on the server can hold the horizon back a while.
        await waitFor(
          async () => {
            await subscription.catchUp();
            return seen.length >= 4;
          },
          { description: 'the reader to see the held event and the later ones' },
        );
        expect(seen.map((e) => e.streamId)).toEqual([
          heldStream,
          laterStream,
          laterStream,
          laterStream,
        ]);
        const all = (await readAllEvents(store, start)).filter((e) =>
          [heldStream, laterStream].includes(e.streamId),
        );
        expect(all.map((e) => e.eventId)).toEqual(seen.map((e) => e.eventId));
      } finally {
        held.release();
      }
    });

    it('is not stalled by a rolled-back append, which leaves nothing behind', async () => {
      const start = await caughtUpCheckpoint();
      const rolledBack = uniqueStreamId('rolled-back');
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await store.appendInTransaction(client, rolledBack, [thingHappened()], 'no-stream');
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
      const after = uniqueStreamId('after');
      await store.append(after, [thingHappened()], 'no-stream');
      const events = await waitFor(
        async () => {
          const read = (await readAllEvents(store, start)).map((e) => e.streamId);
          return read.includes(after) ? read : undefined;
        },
        { description: 'the log to show the later append' },
      );
      expect(events).toContain(after);
      expect(events).not.toContain(rolledBack);
      expect(await store.streamVersion(rolledBack)).toBe(0);
      // The same stream can be created afresh: the rollback left no head behind.
      await store.append(rolledBack, [thingHappened()], 'no-stream');
    });
  });

  describe('appending to many streams in one statement', () => {
    it('appends each stream at its expected version, chained as a single append would be', async () => {
      const existing = uniqueStreamId('many');
      await store.append(existing, [thingHappened({ n: 1 })], 'no-stream');
      const fresh = Array.from({ length: 3 }, () => uniqueStreamId('many'));
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const results = await store.appendManyInTransaction(client, [
          {
            streamId: existing,
            events: [thingHappened({ n: 2 }), thingHappened({ n: 3 })],
            expectedVersion: 1,
          },
          ...fresh.map((streamId) => ({
            streamId,
            events: [thingHappened()],
            expectedVersion: 'no-stream' as const,
          })),
          { streamId: uniqueStreamId('empty'), events: [], expectedVersion: 'any' as const },
        ]);
        await client.query('COMMIT');
        expect(results.map((r) => [r.streamId, r.nextExpectedVersion])).toEqual([
          [existing, 3],
          ...fresh.map((id) => [id, 1]),
        ]);
      } finally {
        client.release();
      }
      expect((await store.readStream(existing)).map((e) => e.data)).toEqual([
        { n: 1 },
        { n: 2 },
        { n: 3 },
      ]);
      expect(await store.verify({ streamId: existing })).toMatchObject({ brokenLinks: [] });
    });

    it('throws a ConcurrencyError when one stream is not at its expected version', async () => {
      const moved = uniqueStreamId('many');
      await store.append(moved, [thingHappened(), thingHappened()], 'no-stream');
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await expect(
          store.appendManyInTransaction(client, [
            {
              streamId: uniqueStreamId('many'),
              events: [thingHappened()],
              expectedVersion: 'no-stream',
            },
            { streamId: moved, events: [thingHappened()], expectedVersion: 1 },
          ]),
        ).rejects.toBeInstanceOf(ConcurrencyError);
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
      expect(await store.streamVersion(moved)).toBe(2);
    });

    /** appendManyInTransaction in a transaction of its own. */
    const appendManyCommitted = async (
      appends: Parameters<PostgresEventStore['appendManyInTransaction']>[1],
    ) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const results = await store.appendManyInTransaction(client, appends);
        await client.query('COMMIT');
        return results;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    };

    it('stores many streams at once (append_to_streams) in batch order, each chained and in the log', async () => {
      const streams = Array.from({ length: 40 }, () => uniqueStreamId('set-wise'));
      await store.append(streams[0]!, [thingHappened({ n: 0 })], 'no-stream');
      const results = await appendManyCommitted(
        streams.map((streamId, i) => ({
          streamId,
          events: [thingHappened({ n: i, first: true }), thingHappened({ n: i, first: false })],
          expectedVersion: i === 0 ? 1 : ('no-stream' as const),
        })),
      );
      const positions = results.flatMap((r) => r.events.map((e) => e.globalPosition));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(results[0]).toMatchObject({ nextExpectedVersion: 3 });
      for (const [i, streamId] of streams.entries()) {
        const stored = await store.readStream(streamId);
        expect(stored.map((e) => e.globalPosition).slice(-2)).toEqual(
          results[i]!.events.map((e) => e.globalPosition),
        );
        expect(await store.verify({ streamId })).toMatchObject({ brokenLinks: [] });
      }
    });

    it('answers a retry of a stored set-wise append with the stored positions, writing nothing', async () => {
      const appends = [uniqueStreamId('retry'), uniqueStreamId('retry')].map((streamId) => ({
        streamId,
        events: [thingHappened()],
        expectedVersion: 'no-stream' as const,
      }));
      const first = await appendManyCommitted(appends);
      const again = await appendManyCommitted(appends);
      expect(again.map((r) => r.events)).toEqual(first.map((r) => r.events));
      expect(again.every((r) => r.alreadyStored)).toBe(true);
      expect(await store.streamVersion(appends[0]!.streamId)).toBe(1);
    });

    it("refuses a batch naming another tenant's stream, writing none of it", async () => {
      const theirs = uniqueStreamId('theirs');
      await store.append(
        theirs,
        [thingHappened({ n: 1 }, { metadata: metadata({ tenantId: 'tenant-b' }) })],
        'no-stream',
      );
      const ours = uniqueStreamId('ours');
      await expect(
        appendManyCommitted([
          { streamId: ours, events: [thingHappened()], expectedVersion: 'no-stream' },
          { streamId: theirs, events: [thingHappened()], expectedVersion: 1 },
        ]),
      ).rejects.toBeInstanceOf(TenantMismatchError);
      expect(await store.streamVersion(ours)).toBe(0);
    });

    it('appendMany stores every stream in its own transaction, or none when one conflicts', async () => {
      const moved = uniqueStreamId('many');
      await store.append(moved, [thingHappened()], 'no-stream');
      const fresh = [uniqueStreamId('many'), uniqueStreamId('many')];
      const one = (streamId: string) => ({
        streamId,
        events: [thingHappened()],
        expectedVersion: 'no-stream' as const,
      });
      await expect(
        store.appendMany([...fresh.map(one), { ...one(moved), expectedVersion: 0 }]),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      expect(await Promise.all(fresh.map((id) => store.streamVersion(id)))).toEqual([0, 0]);

      const results = await store.appendMany(fresh.map(one));
      expect(results.map((r) => [r.streamId, r.nextExpectedVersion])).toEqual(
        fresh.map((id) => [id, 1]),
      );
    });
  });

  describe('appends arriving at once (group commit)', () => {
    it('go to PostgreSQL together, and each caller gets the answer it would have had alone', async () => {
      const moved = uniqueStreamId('group');
      await store.append(moved, [thingHappened(), thingHappened()], 'no-stream');
      const theirs = uniqueStreamId('group');
      await store.append(
        theirs,
        [thingHappened({}, { metadata: metadata({ tenantId: 'tenant-b' }) })],
        'no-stream',
      );
      const retried = uniqueStreamId('group');
      const retriedBatch = [thingHappened({ n: 'retried' })];
      const first = await store.append(retried, retriedBatch, 'no-stream');
      const fresh = Array.from({ length: 24 }, () => uniqueStreamId('group'));
      const stored = await Promise.all(
        fresh.map((streamId, n) => store.append(streamId, [thingHappened({ n })], 'no-stream')),
      );
      expect(stored.map((r) => r.nextExpectedVersion)).toEqual(fresh.map(() => 1));
      const { rows } = await pool.query<{ transactions: string; events: string }>(
        `SELECT count(DISTINCT transaction_id) AS transactions, count(*) AS events
           FROM events WHERE stream_id = ANY ($1)`,
        [fresh],
      );
      expect(Number(rows[0]!.events)).toBe(24);
      // Grouped: fewer transactions than appends (the first two went alone, at once).
      expect(Number(rows[0]!.transactions)).toBeLessThan(24);

      /** Eight new streams given a batch each at once: the transactions they took. */
      const transactionsForEightBatchesOf = async (size: number) => {
        const streams = Array.from({ length: 8 }, () => uniqueStreamId('group'));
        const batch = () => Array.from({ length: size }, (_, n) => thingHappened({ n }));
        await Promise.all(streams.map((id) => store.append(id, batch(), 'no-stream')));
        const { rows: counted } = await pool.query<{ transactions: string }>(
          'SELECT count(DISTINCT transaction_id) AS transactions FROM events WHERE stream_id = ANY ($1)',
          [streams],
        );
        return Number(counted[0]!.transactions);
      };
      // Batches of ten are grouped too (an import's, a writer's of its own); larger ones go
      // alone, each its own transaction.
      expect(await transactionsForEightBatchesOf(10)).toBeLessThan(8);
      expect(await transactionsForEightBatchesOf(11)).toBe(8);

      // A group with appends that cannot go: each is sent alone and answered as it would be.
      const more = Array.from({ length: 6 }, () => uniqueStreamId('group'));
      const outcomes = await Promise.allSettled([
        ...more.map((streamId, n) => store.append(streamId, [thingHappened({ n })], 'no-stream')),
        store.append(moved, [thingHappened()], 1),
        store.append(theirs, [thingHappened()], 1),
        store.append(retried, retriedBatch, 'no-stream'),
        store.append(fresh[0]!, [thingHappened()], 'no-stream'),
      ]);
      const fulfilled = outcomes.map((o) => (o.status === 'fulfilled' ? o.value : null));
      const rejected = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error) : null));
      expect(fulfilled.slice(0, 6).map((r) => r?.nextExpectedVersion)).toEqual(more.map(() => 1));
      expect(rejected[6]).toBeInstanceOf(ConcurrencyError);
      expect(rejected[7]).toBeInstanceOf(TenantMismatchError);
      expect(fulfilled[8]).toEqual({ ...first, alreadyStored: true });
      expect(rejected[9]).toBeInstanceOf(ConcurrencyError);
      expect((await store.readStream(fresh[0]!)).map((e) => e.data)).toEqual([{ n: 0 }]);
      expect(await store.readStream(moved)).toHaveLength(2);
      for (const streamId of fresh.slice(0, 3))
        expect(await store.verify({ streamId })).toMatchObject({ brokenLinks: [] });
    });
  });

  describe('appending inside a caller transaction', () => {
    it("treats a retry with 'any' as already stored, leaving the transaction usable", async () => {
      const streamId = uniqueStreamId();
      const batch = [thingHappened({ n: 1 })];
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const first = await store.appendInTransaction(client, streamId, batch, 'any');
        const again = await store.appendInTransaction(client, streamId, batch, 'any');
        expect(again).toEqual({ ...first, alreadyStored: true });
        await client.query('SELECT 1');
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      expect(await store.streamVersion(streamId)).toBe(1);
    });
  });

  describe('checkpoints', () => {
    it('never move backwards when saved, but can be reset on purpose', async () => {
      const checkpoints = new PostgresCheckpointStore(pool);
      const name = `forward-${uniqueStreamId()}`;
      await checkpoints.save(name, { transactionId: 900, globalPosition: 50 });
      await checkpoints.save(name, { transactionId: 899, globalPosition: 99 });
      await checkpoints.save(name, { transactionId: 900, globalPosition: 49 });
      expect(await checkpoints.load(name)).toEqual({ transactionId: 900, globalPosition: 50 });
      await checkpoints.save(name, { transactionId: 900, globalPosition: 51 });
      expect(await checkpoints.load(name)).toEqual({ transactionId: 900, globalPosition: 51 });
      await resetCheckpoint(pool, name, START_OF_LOG);
      expect(await checkpoints.load(name)).toEqual(START_OF_LOG);
    });
  });

  describe('tamper evidence', () => {
    it('refuses to update or delete a stored event, or to delete or rewind a stream head', async () => {
      const streamId = uniqueStreamId();
      await store.append(streamId, [thingHappened()], 'no-stream');
      await expect(
        pool.query(`DELETE FROM streams WHERE stream_id = $1`, [streamId]),
      ).rejects.toThrow(/forward/);
      await expect(
        pool.query(`UPDATE streams SET version = 0 WHERE stream_id = $1`, [streamId]),
      ).rejects.toThrow(/forward/);
      await expect(
        pool.query(`UPDATE streams SET tenant_id = 'x' WHERE stream_id = $1`, [streamId]),
      ).rejects.toThrow(/forward/);
      await expect(
        pool.query(`UPDATE events SET data = '{}' WHERE stream_id = $1`, [streamId]),
      ).rejects.toThrow(/immutable/);
      await expect(
        pool.query(`DELETE FROM events WHERE stream_id = $1`, [streamId]),
      ).rejects.toThrow(/immutable/);
    });

    it('names the stream and version of an event changed by one byte in SQL', async () => {
      const intact = uniqueStreamId('intact');
      const tampered = uniqueStreamId('tampered');
      await store.append(intact, [thingHappened({ home: 'Rose House' })], 'no-stream');
      await store.append(
        tampered,
        [1, 2, 3, 4].map((n) => thingHappened({ n, home: 'Rose House' })),
        'no-stream',
      );
      await asSuperuserBypassingTriggers(`UPDATE events SET data = jsonb_set(data, '{home}', '"Rose Housf"')
                                          WHERE stream_id = '${tampered}' AND stream_version = 3`);

      expect(await store.verify({ streamId: intact })).toMatchObject({ brokenLinks: [] });
      const report = await store.verify({ streamId: tampered });
      expect(report.brokenLinks).toEqual([
        expect.objectContaining({
          streamId: tampered,
          streamVersion: 3,
          reason: 'content-changed',
        }),
      ]);
      const everything = await store.verify();
      expect(everything.brokenLinks.map((b) => b.streamId)).toContain(tampered);
      expect(everything.brokenLinks.map((b) => b.streamId)).not.toContain(intact);
    });

    it('finds a recomputed content hash, a changed recorded time, deleted events and a deleted head', async () => {
      const rehashed = uniqueStreamId('rehashed');
      const retimed = uniqueStreamId('retimed');
      const truncated = uniqueStreamId('truncated');
      const gapped = uniqueStreamId('gapped');
      for (const id of [rehashed, retimed, truncated, gapped]) {
        await store.append(
          id,
          [thingHappened({ n: 1 }), thingHappened({ n: 2 }), thingHappened({ n: 3 })],
          'no-stream',
        );
      }
      const [second] = await store.readStream(rehashed, { fromVersion: 2, maxCount: 1 });
      const { contentHash } = await import('../hash-chain');
      const forged = contentHash({
        eventId: second!.eventId,
        streamId: rehashed,
        type: second!.type,
        schemaVersion: 1,
        data: { n: 99 },
        metadata: second!.metadata,
        effectiveAt: null,
      });
      await asSuperuserBypassingTriggers(`UPDATE events SET data = '{"n": 99}', content_hash = '${forged}'
                                          WHERE stream_id = '${rehashed}' AND stream_version = 2`);
      await asSuperuserBypassingTriggers(`UPDATE events SET recorded_at = recorded_at - interval '1 day'
                                          WHERE stream_id = '${retimed}' AND stream_version = 1`);
      await asSuperuserBypassingTriggers(
        `DELETE FROM events WHERE stream_id = '${truncated}' AND stream_version = 3`,
      );
      await asSuperuserBypassingTriggers(
        `DELETE FROM events WHERE stream_id = '${gapped}' AND stream_version = 2`,
      );
      const headless = uniqueStreamId('headless');
      await store.append(headless, [thingHappened()], 'no-stream');
      await asSuperuserBypassingTriggers(`DELETE FROM streams WHERE stream_id = '${headless}'`);

      const links = (await store.verify()).brokenLinks;
      const byStream = new Map(links.map((l) => [l.streamId, l]));
      expect(byStream.get(rehashed)).toMatchObject({ streamVersion: 2, reason: 'hash-changed' });
      expect(byStream.get(retimed)).toMatchObject({ streamVersion: 1, reason: 'hash-changed' });
      expect(byStream.get(truncated)).toMatchObject({ streamVersion: 3, reason: 'head-mismatch' });
      expect(byStream.get(gapped)).toMatchObject({ streamVersion: 2, reason: 'version-gap' });
      expect(byStream.get(headless)).toMatchObject({ streamVersion: 1, reason: 'head-missing' });
      expect((await store.verify({ streamId: headless })).brokenLinks).toEqual([
        expect.objectContaining({ streamId: headless, reason: 'head-missing' }),
      ]);
    });
  });

  describe('migrations', () => {
    it('apply once when several processes start at the same moment', async () => {
      const fresh = await createTestDatabase('migrate_race');
      try {
        const pools = Array.from({ length: 4 }, () => fresh.pool({ max: 1 }));
        const reports = await Promise.all(pools.map((p) => migrate(p, eventStoreMigrations)));
        const ids = eventStoreMigrations.map((m) => m.id);
        expect(reports.filter((r) => r.applied.length > 0)).toEqual([
          { applied: ids, alreadyApplied: [] },
        ]);
        expect(reports.filter((r) => r.applied.length === 0)).toHaveLength(3);
        const { rows } = await pools[0]!.query('SELECT id FROM schema_migrations ORDER BY id');
        expect(rows.map((r) => r.id)).toEqual(ids);
      } finally {
        await fresh.drop();
      }
    });

    it('store the data of a large event compressed with lz4', async () => {
      const streamId = uniqueStreamId();
      const text = Array.from({ length: 200 }, (_, i) => `indicator ${i} met`).join(', ');
      await store.append(streamId, [thingHappened({ text })], 'no-stream');
      const { rows } = await pool.query(
        'SELECT pg_column_compression(data) AS method FROM events WHERE stream_id = $1',
        [streamId],
      );
      expect(rows).toEqual([{ method: 'lz4' }]);
    });

    it('skip what is applied, and refuse an applied migration whose SQL changed', async () => {
      expect(await migrate(pool, eventStoreMigrations)).toEqual({
        applied: [],
        alreadyApplied: [
          '0001_event_store',
          '0002_projection_registry',
          '0003_accounts',
          '0004_identity_providers',
          '0006_personal_data',
          '0007_access_log',
          '0008_audit_exports',
          '0009_seals',
          '0010_notifications',
          '0011_evidence',
          '0014_audit_export_retention',
          '0015_append_to_streams',
          '0016_event_data_lz4',
          '0017_append_to_streams_chain_lookup',
          '0018_seal_leaves',
        ],
      });
      const edited = [
        { ...eventStoreMigrations[0]!, sql: `${eventStoreMigrations[0]!.sql}\n-- edited` },
      ];
      await expect(migrate(pool, edited)).rejects.toBeInstanceOf(MigrationChecksumError);
    });
  });
});

async function caughtUpCheckpoint(): Promise<GlobalCheckpoint> {
  let checkpoint = START_OF_LOG;
  for (;;) {
    const batch = await store.readAll(checkpoint, { limit: 10_000 });
    checkpoint = batch.checkpoint;
    if (batch.caughtUp) return checkpoint;
  }
}

/** What someone with superuser rights could do behind the application's back. */
async function asSuperuserBypassingTriggers(sql: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(sql);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}
