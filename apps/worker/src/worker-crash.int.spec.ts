import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  eventStoreMigrations,
  loadCheckpoint,
  migrate,
  PostgresEventStore,
} from '@kpi/event-store';
import { checkpointNameOf, ensureProjectionReady, rebuildProjection } from '@kpi/projections';
import { tenantActivityProjection } from '@kpi/features/organisation';
import {
  activityCounts,
  activityRegistry,
  appendActivity,
  createTestDatabase,
  deleteRedisKeys,
  tableChecksum,
  waitFor,
  type TestDatabase,
} from '@kpi/testing';
import type { Pool, PoolClient } from 'pg';

const repositoryRoot = join(__dirname, '..', '..', '..');
let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase('worker_crash');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, activityRegistry());
  await ensureProjectionReady(pool, store, tenantActivityProjection);
});
afterAll(async () => {
  await database.drop();
  await deleteRedisKeys(bullmqPrefix);
});

/** The worker's deadline processor takes jobs only under this test's own BullMQ prefix. */
const bullmqPrefix = `worker-crash-${process.pid}`;

function startWorker(): ChildProcess {
  const worker = spawn(
    process.execPath,
    ['-r', './scripts/register.js', 'apps/worker/src/main.ts'],
    {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: database.url,
        BULLMQ_PREFIX: bullmqPrefix,
        JWT_SECRET: 'worker-crash-test-secret-of-32-characters',
        WORKER_PROJECTIONS: 'tenant-activity',
        PROJECTION_BATCH_SIZE: '25',
        PROJECTION_IDLE_POLL_MS: '10',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  return worker;
}

async function killed(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    worker.once('exit', () => resolve());
    worker.kill('SIGKILL');
  });
}

/** Waits until the worker's batch transaction is blocked writing the read model. */
async function workerBlockedMidBatch(): Promise<true> {
  return waitFor(
    async () => {
      const { rows } = await pool.query<{ waiting: boolean }>(
        `SELECT EXISTS (
           SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
            WHERE c.relname = 'rm_tenant_activity' AND NOT l.granted) AS waiting`,
      );
      return rows[0]!.waiting || undefined;
    },
    { description: 'the worker to be in the middle of a batch' },
  );
}

const caughtUp = async () =>
  (await store.countEventsAfter(
    await loadCheckpoint(pool, checkpointNameOf(tenantActivityProjection.name)),
  )) === 0;

describe('the worker process', () => {
  it('recovers from SIGKILL in the middle of a batch: the read model equals a clean rebuild', async () => {
    const tenants = [`t-${randomUUID()}`, `t-${randomUUID()}`];
    const expected = new Map<string, number>();
    const addExpected = (counts: Map<string, number>) => {
      for (const [key, n] of counts) expected.set(key, (expected.get(key) ?? 0) + n);
    };

    for (let round = 0; round < 3; round++) {
      addExpected(await appendActivity(store, { tenants, batches: 120, label: `round-${round}` }));
      // Block writes to the read model so the worker's next batch stops half-way: the
      // checkpoint row is locked and events are read, but nothing is committed.
      const gate: PoolClient = await pool.connect();
      await gate.query('BEGIN');
      await gate.query('LOCK TABLE rm_tenant_activity IN SHARE MODE');
      const worker = startWorker();
      try {
        await workerBlockedMidBatch();
        expect(await caughtUp()).toBe(false);
        await killed(worker);
      } finally {
        await gate.query('COMMIT');
        gate.release();
        await killed(worker);
      }
    }

    const worker = startWorker();
    try {
      await waitFor(caughtUp, {
        description: 'the restarted worker to catch up',
        timeoutMs: 60_000,
      });
    } finally {
      await killed(worker);
    }
    expect(await activityCounts(pool, tenants)).toEqual(expected);
    const afterCrashes = await tableChecksum(pool, 'rm_tenant_activity');
    await rebuildProjection(pool, store, tenantActivityProjection);
    expect(await tableChecksum(pool, 'rm_tenant_activity')).toBe(afterCrashes);
  });
});
