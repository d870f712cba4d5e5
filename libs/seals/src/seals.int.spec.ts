import { randomUUID, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKeyRing } from '@kpi/audit-bundle';
import {
  chainHash,
  contentHash,
  EventTypeRegistry,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
} from '@kpi/event-store';
import { createTestDatabase, waitFor, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { publishSeal, readSealFile, readSeals, sealTheLog, verifySeals } from '.';

/**
 * Seals over a real PostgreSQL log: what an insider with write access to the database can do
 * to the events (rewrite a stream and recompute every hash, so its chain holds again) is found
 * against the last seal, which they cannot sign.
 */
let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
const keys = ringOf('seals-2026');
const now = new Date('2026-11-30T10:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase('seals');
  pool = database.pool();
  store = await migratedStore(pool);
});
afterAll(() => database.drop());

async function migratedStore(on: Pool): Promise<PostgresEventStore> {
  await migrate(on, eventStoreMigrations);
  return new PostgresEventStore(
    on,
    new EventTypeRegistry([
      { type: 'ThingRecorded', schemaVersion: 1 },
      { type: 'LogSealed', schemaVersion: 1 },
    ]),
  );
}

function ringOf(keyId: string): SigningKeyRing {
  const { privateKey } = generateKeyPairSync('ed25519');
  return SigningKeyRing.fromConfig([
    { keyId, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
  ]);
}

async function record(streamId: string, data: object, into = store): Promise<void> {
  const tenantId = streamId.split(':')[0]!;
  const [last] = await into.readStream(streamId, { direction: 'backward', maxCount: 1 });
  await into.append(
    streamId,
    [
      {
        eventId: randomUUID(),
        type: 'ThingRecorded',
        data,
        metadata: {
          tenantId,
          actor: 'user:ann',
          correlationId: null,
          causationId: null,
          commandId: null,
        },
      },
    ],
    last ? last.streamVersion : 'no-stream',
  );
}

/** What an insider does: change an event, then recompute every hash of the stream after it. */
async function rewriteWithRecomputedHashes(streamId: string, version: number, data: object) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE events DISABLE TRIGGER USER');
    await client.query('UPDATE events SET data = $3 WHERE stream_id = $1 AND stream_version = $2', [
      streamId,
      version,
      data,
    ]);
    const { rows } = await client.query<{
      stream_version: string;
      event_id: string;
      type: string;
      schema_version: number;
      data: unknown;
      metadata: never;
      effective_at: Date | null;
      micros: string;
    }>(
      `SELECT stream_version, event_id, type, schema_version, data, metadata, effective_at,
              (extract(epoch FROM recorded_at) * 1000000)::bigint::text AS micros
         FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [streamId],
    );
    let previous = '';
    for (const row of rows) {
      const content = contentHash({
        eventId: row.event_id,
        streamId,
        type: row.type,
        schemaVersion: row.schema_version,
        data: row.data,
        metadata: row.metadata,
        effectiveAt: row.effective_at?.toISOString() ?? null,
      });
      const hash = chainHash({
        previousHash: previous,
        streamId,
        streamVersion: Number(row.stream_version),
        recordedAtMicros: row.micros,
        contentHash: content,
      });
      await client.query(
        `UPDATE events SET content_hash = $3, previous_hash = $4, hash = $5
          WHERE stream_id = $1 AND stream_version = $2`,
        [streamId, row.stream_version, content, previous, hash],
      );
      previous = hash;
    }
    await client.query('ALTER TABLE events ENABLE TRIGGER USER');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Waits until every transaction that wrote an event has ended by the server's reckoning: a seal
 * covers only those, and another database's open transaction on this server (another spec's)
 * can hold the horizon back a while.
 */
const settled = (on = pool) =>
  waitFor(
    async () =>
      (
        await on.query<{ passed: boolean }>(
          `SELECT pg_snapshot_xmin(pg_current_snapshot()) > (SELECT max(transaction_id) FROM events) AS passed`,
        )
      ).rows[0]!.passed,
    { description: 'the horizon to pass every event written' },
  );

describe('sealing the log', () => {
  it('seals every stream’s head, then only what moved; nothing new, no seal', async () => {
    await record('acme:thing:a', { n: 1 });
    await record('acme:thing:a', { n: 2 });
    await record('acme:thing:b', { n: 1 });
    await record('other:thing:c', { n: 1 });

    await settled();
    const first = await sealTheLog(pool, store, keys.current, now);
    expect(first).toMatchObject({
      sealNumber: 1,
      streams: 3,
      streamsChanged: 3,
      keyId: 'seals-2026',
    });
    expect(first!.merkleRoot).toMatch(/^[0-9a-f]{64}$/);

    await record('acme:thing:b', { n: 2 });
    await settled();
    const second = await sealTheLog(pool, store, keys.current, now);
    expect(second).toMatchObject({ sealNumber: 2, streams: 3, streamsChanged: 1 });
    expect(second!.merkleRoot).not.toBe(first!.merkleRoot);
    expect(second!.globalPosition).toBeGreaterThan(first!.globalPosition);

    // The seal event itself moves no stream under seal: sealing again appends nothing.
    expect(await sealTheLog(pool, store, keys.current, now)).toBeNull();
    expect((await readSeals(store)).map((s) => s.sealNumber)).toEqual([1, 2]);

    const report = await verifySeals(pool, store, keys);
    expect(report).toMatchObject({
      sealsChecked: 2,
      lastSeal: { sealNumber: 2 },
      streamsChecked: 3,
      problems: [],
    });
  });

  it('names a stream rewritten before the last seal, though its recomputed chain holds', async () => {
    await rewriteWithRecomputedHashes('acme:thing:a', 1, { n: 100 });
    const chains = await store.verify({ streamId: 'acme:thing:a' });
    expect(chains.brokenLinks).toEqual([]);

    const report = await verifySeals(pool, store, keys);
    expect(report.problems).toEqual([
      expect.objectContaining({
        sealNumber: 2,
        reason: 'rewritten-before-seal',
        streamId: 'acme:thing:a',
        version: 2,
      }),
    ]);
    // A check of one tenant's streams names it too, and another tenant's finds nothing.
    const acme = await verifySeals(pool, store, keys, {
      streamFilter: (id) => id.startsWith('acme:'),
    });
    expect(acme.problems.map((p) => p.streamId)).toEqual(['acme:thing:a']);
    const other = await verifySeals(pool, store, keys, {
      streamFilter: (id) => id.startsWith('other:'),
    });
    expect(other.problems).toEqual([]);
  });

  it('finds the kept heads changed to match a rewrite, by the signed Merkle root', async () => {
    const { rows } = await pool.query<{ hash: string; stream_version: string }>(
      `SELECT hash, stream_version FROM events WHERE stream_id = 'acme:thing:a' ORDER BY stream_version DESC LIMIT 1`,
    );
    await pool.query(`UPDATE seal_heads SET hash = $1 WHERE stream_id = 'acme:thing:a'`, [
      rows[0]!.hash,
    ]);
    const report = await verifySeals(pool, store, keys);
    expect(report.problems.map((p) => p.reason)).toEqual(['sealed-heads-changed']);
  });

  it('refuses a seal not signed by one of our keys', async () => {
    const report = await verifySeals(pool, store, ringOf('seals-2026'));
    expect(
      report.problems.filter((p) => p.reason === 'seal-signature').map((p) => p.sealNumber),
    ).toEqual([1, 2]);
  });

  it('writes seals out of the database, and finds one kept outside that the log lacks', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'seals-spec-'));
    try {
      const file = join(directory, 'seals.ndjson');
      const seals = await readSeals(store);
      for (const seal of seals) await publishSeal(seal, { file });
      expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(2);
      const kept = await readSealFile(file);
      expect(kept).toEqual(seals);

      const same = await verifySeals(pool, store, keys, { externalSeals: kept });
      expect(same.problems.filter((p) => p.reason === 'seal-missing-from-log')).toEqual([]);
      const forged = [...kept, { ...kept[1]!, sealNumber: 3, merkleRoot: 'f'.repeat(64) }];
      const report = await verifySeals(pool, store, keys, { externalSeals: forged });
      expect(report.problems.filter((p) => p.reason === 'seal-missing-from-log')).toEqual([
        expect.objectContaining({ sealNumber: 3 }),
      ]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('POSTs each seal to the webhook, and says so when the webhook keeps refusing it', async () => {
    const received: unknown[] = [];
    let answer = 204;
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ method: request.method, type: request.headers['content-type'], body });
        response.statusCode = answer;
        response.end();
      });
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/seals`;
    try {
      const [seal] = await readSeals(store);
      await publishSeal(seal!, { webhookUrl });
      expect(received).toEqual([
        { method: 'POST', type: 'application/json', body: JSON.stringify(seal) },
      ]);
      answer = 503;
      await expect(publishSeal(seal!, { webhookUrl })).rejects.toThrow(/answered 503/);
      expect(received).toHaveLength(1 + 3);
    } finally {
      await new Promise((closed) => server.close(closed));
    }
  });
});

describe('the kept leaves a seal builds its root from (issue 18)', () => {
  let own: TestDatabase;
  let ownPool: Pool;
  let ownStore: PostgresEventStore;

  beforeAll(async () => {
    // Unicode's root order by default, so only the table's own collation ("C") keeps byte order.
    own = await createTestDatabase('seal_leaves', { icuLocale: 'und' });
    ownPool = own.pool();
    ownStore = await migratedStore(ownPool);
  });
  afterAll(() => own.drop());

  const thing = (streamId: string) => record(streamId, { n: 1 }, ownStore);
  const settledHere = () => settled(ownPool);

  // Ids whose UTF-8 byte order differs from JavaScript's UTF-16 order and from a locale's.
  const ids = ['acme:B', 'acme:a', 'acme:\uFFFD', 'acme:\u{1F600}', 'acme:é', 'acme:Z-1', 'acme:z'];

  it('gives the root the verifier computes from the kept heads, in the UTF-8 order of the ids', async () => {
    for (const id of ids) await thing(id);
    await settledHere();
    const first = await sealTheLog(ownPool, ownStore, keys.current, now);
    expect(first).toMatchObject({ sealNumber: 1, streams: ids.length });
    // A moved stream and a new one merged into kept leaves read two at a time (page edges).
    await thing('acme:é');
    await thing('acme:b');
    await settledHere();
    const second = await sealTheLog(ownPool, ownStore, keys.current, now, { leavesAPage: 2 });
    expect(second).toMatchObject({ sealNumber: 2, streams: ids.length + 1, streamsChanged: 2 });
    const report = await verifySeals(ownPool, ownStore, keys);
    expect(report).toMatchObject({ sealsChecked: 2, streamsChecked: ids.length + 1, problems: [] });
  });

  it('computes the leaves of heads sealed before they were kept (migration 0018), once', async () => {
    await ownPool.query('UPDATE seal_leaves SET leaf = NULL');
    await thing('acme:a');
    await settledHere();
    const third = await sealTheLog(ownPool, ownStore, keys.current, now, { leavesAPage: 3 });
    expect(third).toMatchObject({ sealNumber: 3, streams: ids.length + 1, streamsChanged: 1 });
    const { rows } = await ownPool.query<{ missing: string }>(
      'SELECT count(*) AS missing FROM seal_leaves WHERE leaf IS NULL',
    );
    expect(Number(rows[0]!.missing)).toBe(0);
    expect((await verifySeals(ownPool, ownStore, keys)).problems).toEqual([]);
  });

  it('lets two sealers at once take turns: one seals, the other finds nothing new', async () => {
    await thing('acme:z');
    await settledHere();
    const both = await Promise.all([
      sealTheLog(ownPool, ownStore, keys.current, now),
      sealTheLog(ownPool, ownStore, keys.current, now),
    ]);
    expect(both.map((seal) => seal?.sealNumber ?? null).sort()).toEqual([4, null]);
    expect((await readSeals(ownStore)).map((seal) => seal.sealNumber)).toEqual([1, 2, 3, 4]);
    expect((await verifySeals(ownPool, ownStore, keys)).problems).toEqual([]);
  });
});
