import { acceptCarePackage } from './call-off.use-cases';
import { OFFER_WINDOW_MS } from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, deleteRedisKeys, id, waitFor, type TestDatabase } from '@kpi/testing';
import { callOffJobId } from './call-off-jobs';
import { TUESDAY_MORNING, startCallOffTestbed, type CallOffTestbed } from '@kpi/testing/fixtures';
import {
  callOffStatus,
  requeueCallOffJobs,
  retryFailedCallOffJobs,
  type CallOffMaintenanceOptions,
} from './call-off-maintenance';
import { CALL_OFF_PROCESSOR_ACTOR } from './call-off-processor';

/**
 * `cli call-off status|requeue|retry-failed` against the real PostgreSQL and Redis, the reactor
 * and the processor running. Redis losing its data is the test's BullMQ prefix losing its keys
 * (deleteRedisKeys: this Redis is shared, so never a FLUSHALL). Time is a test clock, as in
 * call-off.int.spec.ts (call-off.fixtures.ts); Redis keeps the real time.
 */
let database: TestDatabase;
let testbed: CallOffTestbed;

beforeAll(async () => {
  database = await createTestDatabase('call_off_maintenance');
  testbed = await startCallOffTestbed(database.pool({ max: 8 }));
});
afterAll(async () => {
  await testbed.close();
  await deleteRedisKeys(testbed.prefix);
  await database.drop();
});

const reactorAtHead = () =>
  waitFor(testbed.reactorAtHead, { description: 'the reactor to reach the head of the log' });

/** `cli call-off status` / `requeue` at the test clock's now (every council unless told one). */
const status = (options: Omit<CallOffMaintenanceOptions, 'now'>) =>
  callOffStatus(testbed.pool, testbed.store, testbed.queue, { now: testbed.clock(), ...options });
const requeue = (options: Omit<CallOffMaintenanceOptions, 'now'>) =>
  requeueCallOffJobs(testbed.pool, testbed.store, testbed.queue, {
    now: testbed.clock(),
    ...options,
  });

/** Redis loses its data: every key of this test's prefix goes, the worker's included. */
const loseRedisData = () => deleteRedisKeys(testbed.prefix);

describe('cli call-off requeue', () => {
  it('puts back the timer of each package still in a window, once, and none for a placed one', async () => {
    testbed.setClock(TUESDAY_MORNING);
    const { council, providers } = await testbed.councilWithFramework(3);
    await testbed.refer(council, 'open');
    await testbed.refer(council, 'placed');
    // Both timed, then one placed: its timer is no longer needed.
    await reactorAtHead();
    expect(await testbed.reactorRowsOf(council)).toHaveLength(2);
    // The council's second package: first refusal for the second provider in rotation.
    await acceptCarePackage(testbed.context(providers[1]!, 'user:coordinator'), {
      councilId: id(council),
      packageId: id('placed'),
    });
    await reactorAtHead();
    const [first] = await testbed.offers(council, 'open');
    const openJobId = callOffJobId(council, 'open', first!.data.closesAt!);
    const before = await testbed.jobsOf(council);
    expect(before.map((j) => j.id)).toContain(openJobId);
    const rowsBefore = await testbed.reactorRowsOf(council);
    expect(await status({ tenantId: council })).toMatchObject({
      packages: { waitingForWindow: 1, windowClosed: 0, withoutJob: 0 },
    });

    // Still in Redis: requeue leaves the job as it is.
    const untouched = before.find((j) => j.id === openJobId)!;
    expect(await requeue({ tenantId: council })).toEqual({ packages: 2, jobs: 1 });
    const same = (await testbed.queue.getJob(openJobId))!;
    expect([same.timestamp, await same.getState()]).toEqual([untouched.timestamp, 'delayed']);

    await loseRedisData();
    expect(await testbed.jobsOf(council)).toEqual([]);
    const lost = await status({ tenantId: council });
    expect(lost.packages).toEqual({ waitingForWindow: 1, windowClosed: 0, withoutJob: 1 });
    expect(lost.jobs).toMatchObject({ delayed: 0, waiting: 0 });

    const progress: [number, number][] = [];
    expect(
      await requeue({
        tenantId: council,
        onProgress: (done, total) => progress.push([done, total]),
      }),
    ).toEqual({ packages: 2, jobs: 1 });
    expect(progress).toEqual([[2, 2]]);
    const back = await testbed.jobsOf(council);
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
    await requeue({ tenantId: council });
    expect((await testbed.jobsOf(council)).map((j) => j.id)).toEqual([openJobId]);
    expect(await testbed.reactorRowsOf(council)).toEqual(rowsBefore);
    expect((await status({ tenantId: council })).packages).toEqual({
      waitingForWindow: 1,
      windowClosed: 0,
      withoutJob: 0,
    });
  });

  it('runs at once the timer of a window that closed while Redis was empty, and the offer moves on from the close', async () => {
    testbed.setClock(TUESDAY_MORNING);
    const { council, providers } = await testbed.councilWithFramework(3);
    await testbed.refer(council, 'late');
    await reactorAtHead();
    const [first] = await testbed.offers(council, 'late');
    await loseRedisData();

    // The window closes with no timer in Redis: nothing moves the offer.
    testbed.setClock(Date.parse(first!.data.closesAt!) + 60_000);
    expect((await status({ tenantId: council })).packages).toEqual({
      waitingForWindow: 1,
      windowClosed: 1,
      withoutJob: 1,
    });
    expect(await testbed.offers(council, 'late')).toHaveLength(1);

    expect(await requeue({ tenantId: council })).toEqual({ packages: 1, jobs: 1 });
    const firstJobId = callOffJobId(council, 'late', first!.data.closesAt!);
    expect((await testbed.queue.getJob(firstJobId))!.opts.delay).toBe(0);

    const second = await waitFor(async () => (await testbed.offers(council, 'late'))[1], {
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
    await waitFor(async () => (await testbed.queue.getJobState(secondJobId)) === 'delayed', {
      description: "the second window's timer",
    });
    await waitFor(async () => (await testbed.queue.getJobState(firstJobId)) === 'completed', {
      description: 'the requeued job to complete',
    });

    // Requeued again now: the second window's job only, already there; one move, not two.
    expect(await requeue({ tenantId: council })).toEqual({ packages: 1, jobs: 1 });
    expect((await testbed.jobsOf(council)).map((j) => j.id)).toEqual(
      [firstJobId, secondJobId].sort(),
    );
    expect(await testbed.offers(council, 'late')).toHaveLength(2);
    expect(providers).toContain(second.data.providers[0]);
  });

  it('reads every council unless told one, and nothing before the worker made its table', async () => {
    const empty = await createTestDatabase('call_off_maintenance_empty');
    try {
      const emptyPool = empty.pool();
      await migrate(emptyPool, eventStoreMigrations);
      const emptyStore = new PostgresEventStore(emptyPool, eventTypeRegistry());
      expect(await requeueCallOffJobs(emptyPool, emptyStore, testbed.queue)).toEqual({
        packages: 0,
        jobs: 0,
      });
      expect((await callOffStatus(emptyPool, emptyStore, testbed.queue)).packages).toEqual({
        waitingForWindow: 0,
        windowClosed: 0,
        withoutJob: 0,
      });
    } finally {
      await empty.drop();
    }

    const { rows } = await testbed.pool.query<{ n: number }>(
      'SELECT count(DISTINCT (tenant_id, package_id))::int AS n FROM reactor_call_off_jobs',
    );
    const all = await requeue({});
    expect(all.packages).toBe(rows[0]!.n);
    expect(all.packages).toBeGreaterThanOrEqual(3);
  });
});

describe('cli call-off retry-failed', () => {
  it('puts a failed call-off job back to run, and it moves the offer on', async () => {
    testbed.setClock(TUESDAY_MORNING);
    const { council } = await testbed.councilWithFramework(3);
    await testbed.refer(council, 'stuck');
    await reactorAtHead();
    const [first] = await testbed.offers(council, 'stuck');
    const jobId = callOffJobId(council, 'stuck', first!.data.closesAt!);
    const job = (await testbed.queue.getJob(jobId))!;

    // A job that has used its attempts: it ran while the window was still open by the
    // processor's clock (Redis's clock ahead of the worker's), its last attempt.
    await job.remove();
    await testbed.queue.add(job.name, job.data, { ...job.opts, attempts: 1, delay: 0 });
    const failed = await waitFor(
      async () => {
        const again = await testbed.queue.getJob(jobId);
        if (again === undefined || (await again.getState()) !== 'failed') return false;
        // Read again: the job's fields were read before it moved to failed with its reason.
        return (await testbed.queue.getJob(jobId)) ?? false;
      },
      { description: 'the job to fail' },
    );
    expect(failed.failedReason).toMatch(/before its window closes/);
    const stuck = await status({ tenantId: council });
    expect(stuck.jobs.failed).toBe(1);
    expect(stuck.packages).toEqual({ waitingForWindow: 1, windowClosed: 0, withoutJob: 0 });

    // Requeue does not touch a failed job (the same id): retry-failed does.
    await requeue({ tenantId: council });
    expect(await testbed.queue.getJobState(jobId)).toBe('failed');

    testbed.setClock(Date.parse(first!.data.closesAt!) + 1_000);
    expect(await retryFailedCallOffJobs(testbed.queue)).toEqual({ jobs: 1 });
    const second = await waitFor(async () => (await testbed.offers(council, 'stuck'))[1], {
      description: 'the retried job to move the offer on',
    });
    expect(second.data).toMatchObject({ round: 'second', offeredAt: first!.data.closesAt });
    await waitFor(async () => (await testbed.queue.getJobState(jobId)) === 'completed', {
      description: 'the retried job to complete',
    });
    expect((await testbed.queue.getJobCounts('failed')).failed).toBe(0);
  });
});
