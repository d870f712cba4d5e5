import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamIds } from '@kpi/domain';
import {
  eventStoreMigrations,
  loadCheckpoint,
  migrate,
  PostgresEventStore,
} from '@kpi/event-store';
import { checkpointNameOf, ensureProjectionReady, ProjectionRunner } from '@kpi/projections';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, waitFor, type TestDatabase } from '@kpi/testing';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { DEADLINE_QUEUE, type DeadlineJobData } from './deadline-jobs';
import { requeueDeadlineJobs, retryFailedDeadlineJobs } from './deadline-maintenance';
import { DEADLINE_REACTOR, deadlineReactor } from './deadline-reactor';

/**
 * Fault test: a Redis of the test's own (so it can be stopped) with an append-only file, as a
 * production Redis for BullMQ has. Redis stops while events are appended; the reactor's batches
 * fail and its checkpoint stays put; when Redis is back every deadline job exists exactly once.
 */
const port = 6400 + Math.floor(Math.random() * 500);
const directory = mkdtempSync(join(tmpdir(), 'kpi-redis-'));
let redis: ChildProcess | null = null;

function startRedis(): Promise<void> {
  redis = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--dir',
      directory,
    ],
    { stdio: 'ignore' },
  );
  return waitFor(
    async () => {
      const client = new Redis({
        host: '127.0.0.1',
        port,
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        client.disconnect();
      }
    },
    { description: `redis-server on port ${port}` },
  ).then(() => undefined);
}

async function stopRedis(): Promise<void> {
  const running = redis!;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  running.kill('SIGTERM');
  await exited;
  redis = null;
}

let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let queue: Queue<DeadlineJobData>;
let runner: ProjectionRunner;
let failedBatches = 0;

beforeAll(async () => {
  await startRedis();
  database = await createTestDatabase('deadlines_outage');
  pool = database.pool({ max: 6 });
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  // Fail fast while Redis is away (no offline queue): the batch fails and is tried again.
  queue = new Queue<DeadlineJobData>(DEADLINE_QUEUE, {
    connection: { host: '127.0.0.1', port, enableOfflineQueue: false },
  });
  queue.on('error', () => undefined);
  const reactor = deadlineReactor({ store, queue });
  await ensureProjectionReady(pool, store, reactor);
  runner = new ProjectionRunner(pool, store, reactor, {
    batchSize: 100,
    idlePollMs: 20,
    retryDelayMs: 50,
    logger: { info: () => undefined, warn: () => undefined, error: () => void failedBatches++ },
  });
  runner.start();
});
afterAll(async () => {
  await runner.stop();
  await queue.close();
  if (redis) await stopRedis();
  rmSync(directory, { recursive: true, force: true });
  await database.drop();
});

const tenantId = `t-${randomUUID().slice(0, 8)}`;

async function openService(serviceId: string) {
  await store.append(
    streamIds.service(tenantId, serviceId),
    [
      {
        eventId: randomUUID(),
        type: 'ServiceRegistered',
        data: {
          serviceId,
          name: serviceId,
          regionId: 'north',
          serviceType: 'childrens-home',
          frameworkId: 'childrens-homes',
          openedOn: '2026-11-02',
          registeredBy: 'user:admin',
          registeredAt: '2026-11-02T09:00:00.000Z',
        },
        metadata: {
          tenantId,
          actor: 'user:admin',
          correlationId: null,
          causationId: null,
          commandId: randomUUID(),
        },
      },
    ],
    'no-stream',
  );
}

const behind = async () =>
  store.countEventsAfter(await loadCheckpoint(pool, checkpointNameOf(DEADLINE_REACTOR)));
const expectedJobs = (serviceIds: string[]) =>
  serviceIds
    .flatMap((s) =>
      ['due', 'remind-1-working-day-before', 'remind-5-working-days-before'].map(
        (step) => `${tenantId}~monthly-return~${s}~2026-11~${step}`,
      ),
    )
    .sort();

it('loses no deadline while Redis is down, and schedules none twice', async () => {
  const before = ['home-01', 'home-02', 'home-03'];
  for (const s of before) await openService(s);
  await waitFor(async () => (await behind()) === 0, {
    description: 'the first services to be scheduled',
  });
  expect((await queue.getJobs(['delayed'])).map((j) => j.id).sort()).toEqual(expectedJobs(before));

  await stopRedis();
  const during = ['home-04', 'home-05', 'home-06'];
  for (const s of during) await openService(s);
  const failuresWhenStopped = failedBatches;
  await waitFor(() => failedBatches >= failuresWhenStopped + 2, {
    description: 'the reactor to fail a batch twice',
  });
  // The checkpoint did not pass the unscheduled work.
  expect(await behind()).toBe(3);

  await startRedis();
  await waitFor(async () => (await behind()) === 0, {
    description: 'the reactor to catch up once Redis is back',
  });
  const ids = (await queue.getJobs(['delayed'])).map((j) => j.id!);
  expect(ids.sort()).toEqual(expectedJobs([...before, ...during]));
  expect(new Set(ids).size).toBe(ids.length);
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM reactor_deadline_jobs');
  expect(rows[0].n).toBe(18);
});

it("a Redis that lost its data gets every job back from the reactor's table (cli deadlines requeue)", async () => {
  const before = (await queue.getJobs(['delayed'])).map((j) => j.id!).sort();
  expect(before).toHaveLength(18);
  const client = new Redis({ host: '127.0.0.1', port });
  await client.flushall();
  client.disconnect();
  expect(await queue.getJobs(['delayed'])).toEqual([]);

  expect(await requeueDeadlineJobs(pool, queue)).toEqual({ jobs: 18 });
  expect((await queue.getJobs(['delayed'])).map((j) => j.id!).sort()).toEqual(before);
  // Again: nothing twice.
  await requeueDeadlineJobs(pool, queue);
  expect(await queue.getJobs(['delayed'])).toHaveLength(18);
});

it('failed jobs are kept, and put back to run by cli deadlines retry-failed', async () => {
  const failing = new Queue('retry-check', { connection: { host: '127.0.0.1', port } });
  const job = await failing.add('x', {}, { attempts: 1, removeOnFail: false });
  const worker = new Worker(
    'retry-check',
    async () => {
      throw new Error('the database is away');
    },
    { connection: { host: '127.0.0.1', port, maxRetriesPerRequest: null } },
  );
  await waitFor(async () => (await failing.getJobState(job.id!)) === 'failed', {
    description: 'the job to fail',
  });
  await worker.close();
  expect(await retryFailedDeadlineJobs(failing as unknown as Queue<DeadlineJobData>)).toEqual({
    jobs: 1,
  });
  expect(await failing.getJobState(job.id!)).toBe('waiting');
  await failing.close();
});
