import { randomUUID } from 'node:crypto';
import {
  acceptCarePackage,
  establishCareFramework,
  registerCarePackage,
  registerOrganisation,
  type CommandContext,
} from '@kpi/application';
import { OFFER_WINDOW_MS, streamIds, type CarePackageOffered } from '@kpi/domain';
import {
  eventStoreMigrations,
  loadCheckpoint,
  migrate,
  PostgresEventStore,
  type RecordedEvent,
} from '@kpi/event-store';
import { checkpointNameOf, ensureProjectionReady, ProjectionRunner } from '@kpi/projections';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, deleteRedisKeys, waitFor, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { callOffJobId } from './call-off-jobs';
import { callOffStatus, requeueCallOffJobs, retryFailedCallOffJobs } from './call-off-maintenance';
import { CALL_OFF_PROCESSOR_ACTOR } from './call-off-processor';
import { CALL_OFF_REACTOR } from './call-off-reactor';
import { callOffScheduling, type CallOffScheduling } from './call-off-scheduling';

/**
 * `cli call-off status|requeue|retry-failed` against the real PostgreSQL and Redis, the reactor
 * and the processor running. Redis losing its data is the test's BullMQ prefix losing its keys
 * (deleteRedisKeys: this Redis is shared, so never a FLUSHALL). Time is a test clock, as in
 * call-off.int.spec.ts; Redis keeps the real time.
 */
const prefix = `test-${randomUUID().slice(0, 8)}`;
/** A Tuesday in March, 10:00 London (GMT): no Friday hold, no bank holiday. */
const TUESDAY_MORNING = Date.parse('2026-03-03T10:00:00.000Z');
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const setClock = (instant: number) => {
  offsetMs = instant - Date.now();
};

let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let callOff: CallOffScheduling;
let runner: ProjectionRunner;

beforeAll(async () => {
  database = await createTestDatabase('call_off_maintenance');
  pool = database.pool({ max: 8 });
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  callOff = callOffScheduling({
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    store,
    clock,
    prefix,
  });
  await ensureProjectionReady(pool, store, callOff.reactor);
  runner = new ProjectionRunner(pool, store, callOff.reactor, { batchSize: 100, idlePollMs: 20 });
  runner.start();
  callOff.startProcessor();
});
afterAll(async () => {
  await runner.stop();
  await callOff.close();
  await deleteRedisKeys(prefix);
  await database.drop();
});

const context = (tenantId: string, actor = 'user:test'): CommandContext => ({
  store,
  tenantId,
  actor,
  correlationId: null,
  commandId: randomUUID(),
  now: clock(),
});

interface Council {
  council: string;
  /** In rotation order. */
  providers: string[];
}

/** A council with a framework of 3 providers. */
async function councilWithFramework(): Promise<Council> {
  const id = randomUUID().slice(0, 8);
  const council = `council-${id}`;
  const providers = ['a', 'b', 'c'].map((p) => `care-${p}-${id}`);
  await registerOrganisation(context(council), { name: 'Council', kind: 'council' });
  for (const provider of providers)
    await registerOrganisation(context(provider), { name: provider, kind: 'provider' });
  await establishCareFramework(context(council), {
    frameworkId: 'home-care',
    name: 'Care at home',
    contractStartDate: '2026-01-01',
    providers,
  });
  return { council, providers };
}

async function refer({ council }: Council, packageId: string): Promise<void> {
  await registerCarePackage(context(council), {
    frameworkId: 'home-care',
    packageId,
    hoursPerWeek: 10,
    outcomes: 'Support with meals and medication',
    startDate: '2026-03-10',
    urgent: false,
  });
}

async function offers(
  council: string,
  packageId: string,
): Promise<RecordedEvent<string, CarePackageOffered['data']>[]> {
  return (await store.readStream(streamIds.carePackage(council, packageId))).filter(
    (e): e is RecordedEvent<string, CarePackageOffered['data']> => e.type === 'CarePackageOffered',
  );
}

const reactorAtHead = () =>
  waitFor(
    async () =>
      (await store.countEventsAfter(
        await loadCheckpoint(pool, checkpointNameOf(CALL_OFF_REACTOR)),
      )) === 0 || null,
    { description: 'the reactor to reach the head of the log' },
  );

async function jobsOf(council: string) {
  const jobs = await callOff.queue.getJobs(['delayed', 'waiting', 'active', 'completed', 'failed']);
  return jobs
    .filter((j) => j.id!.startsWith(`${council}~`))
    .sort((a, b) => (a.id! < b.id! ? -1 : 1));
}

async function reactorRowsOf(council: string): Promise<string[]> {
  const { rows } = await pool.query<{ job_id: string }>(
    'SELECT job_id FROM reactor_call_off_jobs WHERE tenant_id = $1 ORDER BY job_id',
    [council],
  );
  return rows.map((r) => r.job_id);
}

/** Redis loses its data: every key of this test's prefix goes, the worker's included. */
const loseRedisData = () => deleteRedisKeys(prefix);

describe('cli call-off requeue', () => {
  it('puts back the timer of each package still in a window, once, and none for a placed one', async () => {
    setClock(TUESDAY_MORNING);
    const framework = await councilWithFramework();
    const { council, providers } = framework;
    await refer(framework, 'open');
    await refer(framework, 'placed');
    // Both timed, then one placed: its timer is no longer needed.
    await reactorAtHead();
    expect(await reactorRowsOf(council)).toHaveLength(2);
    // The council's second package: first refusal for the second provider in rotation.
    await acceptCarePackage(context(providers[1]!, 'user:coordinator'), {
      councilId: council,
      packageId: 'placed',
    });
    await reactorAtHead();
    const [first] = await offers(council, 'open');
    const openJobId = callOffJobId(council, 'open', first!.data.closesAt!);
    const before = await jobsOf(council);
    expect(before.map((j) => j.id)).toContain(openJobId);
    const rowsBefore = await reactorRowsOf(council);
    expect(
      await callOffStatus(pool, store, callOff.queue, { tenantId: council, now: clock() }),
    ).toMatchObject({ packages: { waitingForWindow: 1, windowClosed: 0, withoutJob: 0 } });

    // Still in Redis: requeue leaves the job as it is.
    const untouched = before.find((j) => j.id === openJobId)!;
    expect(
      await requeueCallOffJobs(pool, store, callOff.queue, { tenantId: council, now: clock() }),
    ).toEqual({ packages: 2, jobs: 1 });
    const same = (await callOff.queue.getJob(openJobId))!;
    expect([same.timestamp, await same.getState()]).toEqual([untouched.timestamp, 'delayed']);

    await loseRedisData();
    expect(await jobsOf(council)).toEqual([]);
    const lost = await callOffStatus(pool, store, callOff.queue, {
      tenantId: council,
      now: clock(),
    });
    expect(lost.packages).toEqual({ waitingForWindow: 1, windowClosed: 0, withoutJob: 1 });
    expect(lost.jobs).toMatchObject({ delayed: 0, waiting: 0 });

    const progress: [number, number][] = [];
    expect(
      await requeueCallOffJobs(pool, store, callOff.queue, {
        tenantId: council,
        now: clock(),
        onProgress: (done, total) => progress.push([done, total]),
      }),
    ).toEqual({ packages: 2, jobs: 1 });
    expect(progress).toEqual([[2, 2]]);
    const back = await jobsOf(council);
    expect(back.map((j) => j.id)).toEqual([openJobId]);
    expect(await back[0]!.getState()).toBe('delayed');
    expect(back[0]!.data).toEqual({
      tenantId: council,
      packageId: 'open',
      moveAt: first!.data.closesAt,
    });
    // The rest of the window, counted from now: close to the whole 2 hours.
    expect(back[0]!.opts.delay).toBeGreaterThan(OFFER_WINDOW_MS - 60_000);
    expect(back[0]!.opts.delay).toBeLessThanOrEqual(OFFER_WINDOW_MS);

    // Twice: nothing twice, in Redis or in the reactor's table.
    await requeueCallOffJobs(pool, store, callOff.queue, { tenantId: council, now: clock() });
    expect((await jobsOf(council)).map((j) => j.id)).toEqual([openJobId]);
    expect(await reactorRowsOf(council)).toEqual(rowsBefore);
    expect(
      (await callOffStatus(pool, store, callOff.queue, { tenantId: council, now: clock() }))
        .packages,
    ).toEqual({ waitingForWindow: 1, windowClosed: 0, withoutJob: 0 });
  });

  it('runs at once the timer of a window that closed while Redis was empty, and the offer moves on from the close', async () => {
    setClock(TUESDAY_MORNING);
    const framework = await councilWithFramework();
    const { council, providers } = framework;
    await refer(framework, 'late');
    await reactorAtHead();
    const [first] = await offers(council, 'late');
    await loseRedisData();

    // The window closes with no timer in Redis: nothing moves the offer.
    setClock(Date.parse(first!.data.closesAt!) + 60_000);
    expect(
      (await callOffStatus(pool, store, callOff.queue, { tenantId: council, now: clock() }))
        .packages,
    ).toEqual({ waitingForWindow: 1, windowClosed: 1, withoutJob: 1 });
    expect(await offers(council, 'late')).toHaveLength(1);

    expect(
      await requeueCallOffJobs(pool, store, callOff.queue, { tenantId: council, now: clock() }),
    ).toEqual({ packages: 1, jobs: 1 });
    const firstJobId = callOffJobId(council, 'late', first!.data.closesAt!);
    expect((await callOff.queue.getJob(firstJobId))!.opts.delay).toBe(0);

    const second = await waitFor(async () => (await offers(council, 'late'))[1], {
      description: 'the requeued timer to move the offer on',
    });
    expect(second.data).toMatchObject({
      round: 'second',
      offeredAt: first!.data.closesAt,
      closesAt: new Date(Date.parse(first!.data.closesAt!) + OFFER_WINDOW_MS).toISOString(),
    });
    expect(second.metadata.actor).toBe(CALL_OFF_PROCESSOR_ACTOR);
    // And the next window's timer is the reactor's, as usual.
    const secondJobId = callOffJobId(council, 'late', second.data.closesAt!);
    await waitFor(async () => (await callOff.queue.getJobState(secondJobId)) === 'delayed', {
      description: "the second window's timer",
    });
    await waitFor(async () => (await callOff.queue.getJobState(firstJobId)) === 'completed', {
      description: 'the requeued job to complete',
    });

    // Requeued again now: the second window's job only, already there; one move, not two.
    expect(
      await requeueCallOffJobs(pool, store, callOff.queue, { tenantId: council, now: clock() }),
    ).toEqual({ packages: 1, jobs: 1 });
    expect((await jobsOf(council)).map((j) => j.id)).toEqual([firstJobId, secondJobId].sort());
    expect(await offers(council, 'late')).toHaveLength(2);
    expect(providers).toContain(second.data.providers[0]);
  });

  it('reads every council unless told one, and nothing before the worker made its table', async () => {
    const empty = await createTestDatabase('call_off_maintenance_empty');
    try {
      const emptyPool = empty.pool();
      await migrate(emptyPool, eventStoreMigrations);
      const emptyStore = new PostgresEventStore(emptyPool, eventTypeRegistry());
      expect(await requeueCallOffJobs(emptyPool, emptyStore, callOff.queue)).toEqual({
        packages: 0,
        jobs: 0,
      });
      expect((await callOffStatus(emptyPool, emptyStore, callOff.queue)).packages).toEqual({
        waitingForWindow: 0,
        windowClosed: 0,
        withoutJob: 0,
      });
    } finally {
      await empty.drop();
    }

    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(DISTINCT (tenant_id, package_id))::int AS n FROM reactor_call_off_jobs',
    );
    const all = await requeueCallOffJobs(pool, store, callOff.queue, { now: clock() });
    expect(all.packages).toBe(rows[0]!.n);
    expect(all.packages).toBeGreaterThanOrEqual(3);
  });
});

describe('cli call-off retry-failed', () => {
  it('puts a failed call-off job back to run, and it moves the offer on', async () => {
    setClock(TUESDAY_MORNING);
    const framework = await councilWithFramework();
    const { council } = framework;
    await refer(framework, 'stuck');
    await reactorAtHead();
    const [first] = await offers(council, 'stuck');
    const jobId = callOffJobId(council, 'stuck', first!.data.closesAt!);
    const job = (await callOff.queue.getJob(jobId))!;

    // A job that has used its attempts: it ran while the window was still open by the
    // processor's clock (Redis's clock ahead of the worker's), its last attempt.
    await job.remove();
    await callOff.queue.add(job.name, job.data, { ...job.opts, attempts: 1, delay: 0 });
    const failed = await waitFor(
      async () => {
        const again = await callOff.queue.getJob(jobId);
        return again !== undefined && (await again.getState()) === 'failed' && again;
      },
      { description: 'the job to fail' },
    );
    expect(failed.failedReason).toMatch(/before its window closes/);
    const stuck = await callOffStatus(pool, store, callOff.queue, {
      tenantId: council,
      now: clock(),
    });
    expect(stuck.jobs.failed).toBe(1);
    expect(stuck.packages).toEqual({ waitingForWindow: 1, windowClosed: 0, withoutJob: 0 });

    // Requeue does not touch a failed job (the same id): retry-failed does.
    await requeueCallOffJobs(pool, store, callOff.queue, { tenantId: council, now: clock() });
    expect(await callOff.queue.getJobState(jobId)).toBe('failed');

    setClock(Date.parse(first!.data.closesAt!) + 1_000);
    expect(await retryFailedCallOffJobs(callOff.queue)).toEqual({ jobs: 1 });
    const second = await waitFor(async () => (await offers(council, 'stuck'))[1], {
      description: 'the retried job to move the offer on',
    });
    expect(second.data).toMatchObject({ round: 'second', offeredAt: first!.data.closesAt });
    await waitFor(async () => (await callOff.queue.getJobState(jobId)) === 'completed', {
      description: 'the retried job to complete',
    });
    expect((await callOff.queue.getJobCounts('failed')).failed).toBe(0);
  });
});
