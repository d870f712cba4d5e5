import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKeyRing } from '@kpi/audit-bundle';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { readSeals, verifySeals } from '@kpi/seals';
import { createTestDatabase, deleteRedisKeys, waitFor, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { SEAL_THE_LOG, sealing } from './sealing';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `sealing-${process.pid}`;

let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let directory: string;
beforeAll(async () => {
  database = await createTestDatabase('worker_sealing');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  directory = await mkdtemp(join(tmpdir(), 'sealing-spec-'));
});
afterAll(async () => {
  await database.drop();
  await deleteRedisKeys(prefix);
  await rm(directory, { recursive: true, force: true });
});

describe('the worker’s seals', () => {
  it('registers sealing as a job scheduler; a run seals the log and writes the seal to the seal file', async () => {
    await store.append(
      'acme:region:north',
      [
        {
          eventId: randomUUID(),
          type: 'RegionRegistered',
          data: { regionId: 'north', name: 'North', regionalManagerId: 'rm-1' },
          metadata: {
            tenantId: 'acme',
            actor: 'user:ann',
            correlationId: null,
            causationId: null,
            commandId: null,
          },
        },
      ],
      'no-stream',
    );
    const { privateKey } = generateKeyPairSync('ed25519');
    const keys = SigningKeyRing.fromConfig([
      {
        keyId: 'worker-spec',
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    ]);
    const file = join(directory, 'seals.ndjson');
    const jobs = sealing(pool, store, {
      redisUrl,
      prefix,
      keys,
      outlets: { file },
      // Every second: a run finds nothing to seal while another database's transaction holds the
      // server's horizon back; a later one seals.
      everyMs: 1_000,
    });
    try {
      await jobs.start();
      expect(await jobs.queue.getJobScheduler(SEAL_THE_LOG)).toMatchObject({ every: 1_000 });
      const [seal] = await waitFor(
        async () => {
          const seals = await readSeals(store);
          return seals.length > 0 ? seals : undefined;
        },
        { description: 'the first run to seal the log' },
      );
      expect(seal).toMatchObject({ sealNumber: 1, streams: 1, keyId: 'worker-spec' });
      await waitFor(
        async () => (await readFile(file, 'utf8').catch(() => '')).includes(seal!.signature),
        {
          description: 'the seal written to the seal file',
        },
      );
      expect((await verifySeals(pool, store, keys)).problems).toEqual([]);
    } finally {
      await jobs.close();
    }
  });
});
