import { acceptCarePackage, declineCarePackage } from './call-off.use-cases';
import { uuidFromParts } from '@kpi/command-handling';
import { ConflictError, OFFER_WINDOW_MS } from '@kpi/domain';
import { resetCheckpoint, START_OF_LOG, type RecordedEvent } from '@kpi/event-store';
import { checkpointNameOf } from '@kpi/projections';
import { createTestDatabase, deleteRedisKeys, id, waitFor, type TestDatabase } from '@kpi/testing';
import type { Job } from 'bullmq';
import { callOffJobId, type CallOffJobData } from './call-off-jobs';
import { TUESDAY_MORNING, startCallOffTestbed, type CallOffTestbed } from '@kpi/testing/fixtures';
import { CALL_OFF_PROCESSOR_ACTOR } from './call-off-processor';
import { CALL_OFF_REACTOR } from './call-off-reactor';

/**
 * The call-off timers against the real PostgreSQL and Redis: the reactor and the processor,
 * and no test moving an offer on itself. Time is a test clock (call-off.fixtures.ts) handed to
 * the commands, the reactor and the processor. Redis keeps the real time, so the reactor gives
 * a window's job a delay of 2 hours; to let the window pass the test moves its clock past the
 * close and promotes that job (Redis's 2 hours passing), then waits for the event it produces,
 * never for a time.
 */
let database: TestDatabase;
let testbed: CallOffTestbed;

beforeAll(async () => {
  database = await createTestDatabase('call_off');
  testbed = await startCallOffTestbed(database.pool({ max: 8 }));
});
afterAll(async () => {
  await testbed.close();
  await deleteRedisKeys(testbed.prefix);
  await database.drop();
});

interface PackageUnderTest {
  council: string;
  /** In rotation order: the package's first refusal, the next in rotation, then the others. */
  providers: string[];
  packageId: string;
}

/** A council, a framework of 4 providers and a package referred to it (its first). */
async function packageOnFramework(): Promise<PackageUnderTest> {
  const { council, providers } = await testbed.councilWithFramework(4);
  await testbed.refer(council, 'pkg-1');
  return { council, providers, packageId: 'pkg-1' };
}

const packageEvents = ({ council, packageId }: PackageUnderTest) =>
  testbed.packageEvents(council, packageId);

const offers = ({ council, packageId }: PackageUnderTest) => testbed.offers(council, packageId);

const offersReach = (pkg: PackageUnderTest, count: number) =>
  waitFor(
    async () => {
      const made = await offers(pkg);
      return made.length >= count && made;
    },
    { description: `offer ${count} of ${pkg.council}'s package` },
  );

/** The window's job, once the reactor has scheduled it and it waits for its time. */
const scheduledJob = (pkg: PackageUnderTest, closesAt: string) =>
  waitFor(
    async () => {
      const job = await testbed.queue.getJob(callOffJobId(pkg.council, pkg.packageId, closesAt));
      return job !== undefined && (await job.getState()) === 'delayed' && job;
    },
    { description: `the timer of the window closing at ${closesAt}` },
  );

/** The window closing at `closesAt` passes: the test clock moves past it, Redis's time comes. */
async function letWindowPass(
  pkg: PackageUnderTest,
  closesAt: string,
): Promise<Job<CallOffJobData>> {
  const job = await scheduledJob(pkg, closesAt);
  testbed.setClock(Date.parse(closesAt) + 1_000);
  await job.promote();
  return job;
}

/** Both windows pass on their own timers: the package is offered to all the others. */
async function toBroadcast(pkg: PackageUnderTest) {
  const [first] = await offersReach(pkg, 1);
  await letWindowPass(pkg, first!.data.closesAt!);
  const [, second] = await offersReach(pkg, 2);
  await letWindowPass(pkg, second!.data.closesAt!);
  return offersReach(pkg, 3);
}

const jobIdsOf = async (council: string) => (await testbed.jobsOf(council)).map((j) => j.id!);

const conflictReason = (error: unknown) =>
  error instanceof ConflictError ? error.details.reason : error;

describe('the call-off rotation, on its own timers', () => {
  it('offers the package to the first refusal, then the next in rotation, then to the 2 others, each from the moment the window before closed', async () => {
    testbed.setClock(TUESDAY_MORNING);
    const pkg = await packageOnFramework();
    const [a, b, c, d] = pkg.providers;

    const [first] = await offersReach(pkg, 1);
    expect(first!.data).toMatchObject({ round: 'first-refusal', providers: [a] });
    const firstJob = await scheduledJob(pkg, first!.data.closesAt!);
    // The delay is counted on the reactor's clock: the whole 2-hour window.
    expect(firstJob.opts.delay).toBeGreaterThan(OFFER_WINDOW_MS - 30_000);
    expect(firstJob.opts.delay).toBeLessThanOrEqual(OFFER_WINDOW_MS);

    await letWindowPass(pkg, first!.data.closesAt!);
    const [, second] = await offersReach(pkg, 2);
    expect(second!.data).toEqual({
      packageId: pkg.packageId,
      round: 'second',
      providers: [b],
      offeredAt: first!.data.closesAt,
      closesAt: new Date(Date.parse(first!.data.closesAt!) + OFFER_WINDOW_MS).toISOString(),
    });

    await letWindowPass(pkg, second!.data.closesAt!);
    const [, , broadcast] = await offersReach(pkg, 3);
    expect(broadcast!.data).toEqual({
      packageId: pkg.packageId,
      round: 'all',
      providers: [c, d],
      offeredAt: second!.data.closesAt,
      closesAt: null,
    });

    // Recorded by the timer, each move once, with the command id of its job.
    const firstJobId = callOffJobId(pkg.council, pkg.packageId, first!.data.closesAt!);
    const secondJobId = callOffJobId(pkg.council, pkg.packageId, second!.data.closesAt!);
    expect([second!, broadcast!].map((e) => [e.metadata.actor, e.metadata.commandId])).toEqual([
      [CALL_OFF_PROCESSOR_ACTOR, uuidFromParts('call-off-job', firstJobId)],
      [CALL_OFF_PROCESSOR_ACTOR, uuidFromParts('call-off-job', secondJobId)],
    ]);
    expect((await packageEvents(pkg)).map((e) => e.type)).toEqual([
      'CarePackageRegistered',
      'CarePackageOffered',
      'CarePackageOffered',
      'CarePackageOffered',
    ]);
    // Open to all until taken: no timer after the two windows.
    await waitFor(testbed.reactorAtHead, {
      description: 'the reactor to reach the head of the log',
    });
    expect(await jobIdsOf(pkg.council)).toEqual([firstJobId, secondJobId].sort());
    expect(await testbed.reactorRowsOf(pkg.council)).toEqual([firstJobId, secondJobId].sort());
  });

  it('retries a job that runs before the processor’s clock reaches the window’s close, and moves the offer on once it does', async () => {
    testbed.setClock(TUESDAY_MORNING);
    const pkg = await packageOnFramework();
    const [first] = await offersReach(pkg, 1);
    const job = await scheduledJob(pkg, first!.data.closesAt!);

    // Redis says it is time; the processor's clock still says 10:00.
    await job.promote();
    const retried = await waitFor(
      async () => {
        const again = await testbed.queue.getJob(job.id!);
        return again !== undefined && again.attemptsMade >= 1 && again;
      },
      { description: 'the early run to fail' },
    );
    expect(retried.failedReason).toMatch(/before its window closes/);
    expect(await offers(pkg)).toHaveLength(1);

    testbed.setClock(Date.parse(first!.data.closesAt!) + 1_000);
    const [, second] = await offersReach(pkg, 2);
    expect(second!.data).toMatchObject({ round: 'second', offeredAt: first!.data.closesAt });
    await waitFor(async () => (await job.getState()) === 'completed', {
      description: 'the retried job to complete',
    });
  });

  it('lets the job of a window a decline closed early find nothing to do, and complete', async () => {
    testbed.setClock(TUESDAY_MORNING);
    const pkg = await packageOnFramework();
    const [a, b] = pkg.providers;
    const [first] = await offersReach(pkg, 1);
    const firstJob = await scheduledJob(pkg, first!.data.closesAt!);

    testbed.setClock(TUESDAY_MORNING + 30 * 60_000);
    await declineCarePackage(testbed.context(a!, 'user:coordinator'), {
      councilId: id(pkg.council),
      packageId: id(pkg.packageId),
      reason: 'No carers free in that area',
    });
    const [, second] = await offersReach(pkg, 2);
    const declined = (await packageEvents(pkg)).find((e) => e.type === 'CarePackageDeclined')!;
    expect(second!.data).toMatchObject({
      round: 'second',
      providers: [b],
      offeredAt: (declined.data as { declinedAt: string }).declinedAt,
    });
    const secondJob = await scheduledJob(pkg, second!.data.closesAt!);

    // 12:00: the first window's job runs; the second provider's window is open till 12:30.
    await letWindowPass(pkg, first!.data.closesAt!);
    await waitFor(async () => (await firstJob.getState()) === 'completed', {
      description: 'the stale job to complete',
    });
    const done = (await testbed.queue.getJob(firstJob.id!))!;
    // At the first attempt, not failing on the next window's being open.
    expect([done.attemptsMade, done.failedReason, done.returnvalue]).toEqual([
      1,
      undefined,
      { appended: 0 },
    ]);
    expect(await offers(pkg)).toHaveLength(2);
    expect(await secondJob.getState()).toBe('delayed');
  });

  it('refuses the first-refusal provider’s late acceptance once its window has closed', async () => {
    testbed.setClock(TUESDAY_MORNING);
    const pkg = await packageOnFramework();
    const [a] = pkg.providers;
    const [first] = await offersReach(pkg, 1);
    await letWindowPass(pkg, first!.data.closesAt!);
    await offersReach(pkg, 2);

    const late = await acceptCarePackage(testbed.context(a!, 'user:coordinator'), {
      councilId: id(pkg.council),
      packageId: id(pkg.packageId),
    }).catch((error: unknown) => error);

    expect(late).toBeInstanceOf(ConflictError);
    expect(late).toMatchObject({
      details: { reason: 'window-closed', round: 'first-refusal', closedAt: first!.data.closesAt },
    });
    expect((await packageEvents(pkg)).map((e) => e.type)).not.toContain('CarePackageAccepted');
  });

  it('places the package with one of two providers accepting at the same moment; the other is told it has gone', async () => {
    testbed.setClock(TUESDAY_MORNING);
    const pkg = await packageOnFramework();
    const [, , c, d] = pkg.providers;
    await toBroadcast(pkg);

    const outcomes = await Promise.allSettled(
      [c!, d!].map((provider) =>
        acceptCarePackage(testbed.context(provider, 'user:coordinator'), {
          councilId: id(pkg.council),
          packageId: id(pkg.packageId),
        }),
      ),
    );

    const accepted = (await packageEvents(pkg)).filter((e) => e.type === 'CarePackageAccepted');
    expect(accepted).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused.map((o) => conflictReason(o.reason))).toEqual(['placed-with-another-provider']);
    const winner = (accepted[0]!.data as { providerId: string }).providerId;
    expect([c, d]).toContain(winner);
    expect(outcomes[[c, d].indexOf(winner)]!.status).toBe('fulfilled');
  });

  it('schedules each window’s job once when the reactor sees a batch twice, or the whole log again', async () => {
    testbed.setClock(TUESDAY_MORNING);
    const pkg = await packageOnFramework();
    const [first] = await offersReach(pkg, 1);
    const firstJobId = callOffJobId(pkg.council, pkg.packageId, first!.data.closesAt!);
    await scheduledJob(pkg, first!.data.closesAt!);

    const applyBatch = async (events: readonly RecordedEvent[]) => {
      const client = await testbed.pool.connect();
      try {
        await client.query('BEGIN');
        await testbed.callOff.reactor.apply(client, testbed.callOff.reactor.table, events);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    };
    await applyBatch(await packageEvents(pkg));
    await applyBatch(await packageEvents(pkg));
    expect(await jobIdsOf(pkg.council)).toEqual([firstJobId]);
    expect(await testbed.reactorRowsOf(pkg.council)).toEqual([firstJobId]);

    // Once the window has passed, the same batch again asks for the next window's job only.
    await letWindowPass(pkg, first!.data.closesAt!);
    const [, second] = await offersReach(pkg, 2);
    const secondJobId = callOffJobId(pkg.council, pkg.packageId, second!.data.closesAt!);
    await scheduledJob(pkg, second!.data.closesAt!);
    await applyBatch(await packageEvents(pkg));
    await applyBatch(await packageEvents(pkg));

    // And the whole log replayed from the start.
    await testbed.runner.stop();
    await resetCheckpoint(testbed.pool, checkpointNameOf(CALL_OFF_REACTOR), START_OF_LOG);
    testbed.runner.start();
    await waitFor(testbed.reactorAtHead, {
      description: 'the replay to reach the head of the log',
    });

    const both = [firstJobId, secondJobId].sort();
    expect(await jobIdsOf(pkg.council)).toEqual(both);
    expect(await testbed.reactorRowsOf(pkg.council)).toEqual(both);
    expect(await testbed.queue.getJob(firstJobId).then((j) => j!.getState())).toBe('completed');
    expect(await testbed.queue.getJob(secondJobId).then((j) => j!.getState())).toBe('delayed');
    // The first window's job ran once: one move to the second round.
    expect(await offers(pkg)).toHaveLength(2);
  });
});
