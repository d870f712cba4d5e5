import { randomUUID } from 'node:crypto';
import { entityId, uuidFromParts, type CommandContext } from '@kpi/command-handling';
import {
  endOfLondonDay,
  OFFER_WINDOW_MS,
  parsePeriod,
  returnDueDate,
  streamIds,
  type ComplaintLogged,
  type ServiceRegistered,
} from '@kpi/domain';
import {
  eventStoreMigrations,
  loadCheckpoint,
  migrate,
  PostgresEventStore,
  type NewEvent,
} from '@kpi/event-store';
import {
  CALL_OFF_PROCESSOR_ACTOR,
  CALL_OFF_REACTOR,
  CALL_OFF_REACTOR_TABLE,
  callOffScheduling,
  establishCareFramework,
  registerCarePackage,
  type CallOffScheduling,
} from '@kpi/features/call-off';
import {
  DEADLINE_PROCESSOR_ACTOR,
  DEADLINE_REACTOR,
  deadlineScheduling,
  type DeadlineScheduling,
} from '@kpi/features/deadlines';
import { registerOrganisation } from '@kpi/features/organisation';
import {
  checkpointNameOf,
  ensureProjectionReady,
  ProjectionRunner,
  type RunnerLogger,
} from '@kpi/projections';
import { queueCounts } from '@kpi/scheduling';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, waitFor, type TestDatabase } from '@kpi/testing';
import { TUESDAY_MORNING } from '@kpi/testing/fixtures';
import type { Pool } from 'pg';
import { redisOfItsOwn, type RedisOfItsOwn } from './support/services-of-its-own';

/**
 * Fault: Redis (the test's own, on a port of its own) stops for 30 seconds while deadline and
 * call-off timers fall due, and while new events that start timers are recorded. When it is
 * back, every job runs exactly once: each writes the event its command derives from the job id
 * (docs/decisions/0012), and each is found once in the log.
 *
 * The reactors and processors are the worker's own (deadlineScheduling, callOffScheduling, a
 * ProjectionRunner each), in this process so that their clocks can be set: Redis keeps the real
 * time, so a timer falls due a few seconds after it is scheduled when the clock that scheduled
 * it stands a few seconds before the deadline.
 */
const OUTAGE_MS = 30_000;
/** How far before the timers fall due the clocks stand when the first events are recorded. */
const LEAD_MS = 15_000;
const TENANTS_BEFORE = 3;
const TENANTS_DURING = 3;
const PACKAGES_BEFORE = 3;
const PACKAGES_DURING = 2;

/** Returns for February are due on 20 March (a Friday): the deadlines all fall due then. */
const PERIOD = parsePeriod('2026-02');
const DUE_ON = returnDueDate(PERIOD);
const DUE_AT = endOfLondonDay(DUE_ON).getTime();
/** Packages are referred on a Tuesday at 10:00: their first windows close at 12:00. */
const REFERRED_AT = TUESDAY_MORNING;
const WINDOW_CLOSES_AT = REFERRED_AT + OFFER_WINDOW_MS;

let redis: RedisOfItsOwn;
let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let deadlines: DeadlineScheduling;
let callOff: CallOffScheduling;
const runners: ProjectionRunner[] = [];
const prefix = `faults-redis-${process.pid}`;

let deadlineOffset = 0;
let callOffOffset = 0;
const deadlineClock = () => new Date(Date.now() + deadlineOffset);
const callOffClock = () => new Date(Date.now() + callOffOffset);

/** Every job the processors completed, by id, with how many times. */
const completions = new Map<string, number>();
let failedBatches = 0;
const countFailures: RunnerLogger = {
  info: () => undefined,
  warn: () => void failedBatches++,
  error: () => void failedBatches++,
};

beforeAll(async () => {
  redis = await redisOfItsOwn();
  await redis.start();
  database = await createTestDatabase('faults_redis');
  pool = database.pool({ max: 8 });
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  const timers = { redisUrl: redis.url, store, prefix, onError: () => undefined };
  deadlines = deadlineScheduling({ ...timers, clock: deadlineClock });
  callOff = callOffScheduling({ ...timers, clock: callOffClock });
  for (const reactor of [deadlines.reactor, callOff.reactor]) {
    await ensureProjectionReady(pool, store, reactor);
    runners.push(
      new ProjectionRunner(pool, store, reactor, {
        batchSize: 100,
        idlePollMs: 20,
        retryDelayMs: 250,
        logger: countFailures,
      }),
    );
  }
  for (const processor of [deadlines.startProcessor(), callOff.startProcessor()]) {
    processor.on('completed', (job) =>
      completions.set(job.id!, (completions.get(job.id!) ?? 0) + 1),
    );
  }
});
afterAll(async () => {
  await Promise.all(runners.map((runner) => runner.stop()));
  await Promise.all([deadlines?.close(), callOff?.close()]);
  await redis?.remove();
  await database?.drop();
});

const metadata = (tenantId: string) => ({
  tenantId,
  actor: 'user:faults',
  correlationId: null,
  causationId: null,
  commandId: randomUUID(),
});

/** A home opened in February (its return is due on 20 March) and a complaint due that day too. */
async function homeWithComplaint(tenantId: string): Promise<void> {
  const opened: ServiceRegistered = {
    type: 'ServiceRegistered',
    data: {
      serviceId: 'home-01',
      name: 'Ty Coch',
      regionId: 'north',
      serviceType: 'childrens-home',
      frameworkId: 'childrens-homes',
      openedOn: `${PERIOD}-02`,
      registeredBy: 'user:admin',
      registeredAt: '2026-02-02T09:00:00.000Z',
    },
  };
  const complaint: ComplaintLogged = {
    type: 'ComplaintLogged',
    data: {
      complaintId: 'complaint-01',
      serviceId: 'home-01',
      receivedOn: '2026-03-02',
      category: 'other',
      summary: 'Nobody rang back',
      complainant: { subjectId: null, relationship: 'parent', name: null, contact: null },
      acknowledgementDueOn: DUE_ON,
      responseDueOn: DUE_ON,
      loggedBy: 'user:admin',
      loggedAt: '2026-03-02T09:00:00.000Z',
    },
  };
  const event = (e: { type: string; data: object }): NewEvent => ({
    eventId: randomUUID(),
    type: e.type,
    data: e.data,
    metadata: metadata(tenantId),
  });
  await store.append(streamIds.service(tenantId, 'home-01'), [event(opened)], 'no-stream');
  await store.append(
    streamIds.complaint(tenantId, 'complaint-01'),
    [event(complaint)],
    'no-stream',
  );
}

const council = `council-${randomUUID().slice(0, 8)}`;
const providers = ['a', 'b', 'c', 'd'].map((p) => `care-${p}-${council.slice(8)}`);
const frameworkId = entityId('home-care', 'frameworkId');
const councilContext = (tenantId = council): CommandContext => ({
  store,
  tenantId,
  actor: 'user:faults',
  correlationId: null,
  commandId: randomUUID(),
  now: new Date(REFERRED_AT),
});

async function referPackage(packageId: string): Promise<void> {
  await registerCarePackage(councilContext(), {
    frameworkId,
    packageId: entityId(packageId, 'packageId'),
    hoursPerWeek: 14,
    outcomes: 'Support with personal care mornings and evenings',
    startDate: '2026-03-10',
    urgent: false,
  });
}

const behind = async (reactor: string) =>
  store.countEventsAfter(await loadCheckpoint(pool, checkpointNameOf(reactor)));

/** The jobs each reactor scheduled that fall due by the time the test's clocks reach. */
async function jobsDue(): Promise<{ deadline: string[]; callOff: string[] }> {
  const { rows: deadlineJobs } = await pool.query<{ job_id: string }>(
    'SELECT job_id FROM reactor_deadline_jobs WHERE run_at <= $1 ORDER BY job_id',
    [new Date(DUE_AT)],
  );
  const { rows: callOffJobs } = await pool.query<{ job_id: string }>(
    `SELECT job_id FROM ${CALL_OFF_REACTOR_TABLE} WHERE run_at <= $1 ORDER BY job_id`,
    [new Date(WINDOW_CLOSES_AT)],
  );
  return { deadline: deadlineJobs.map((r) => r.job_id), callOff: callOffJobs.map((r) => r.job_id) };
}

/** The events a job's command wrote (its command id derives from the job id). */
async function eventsOfJob(kind: 'deadline-job' | 'call-off-job', jobId: string) {
  const { rows } = await pool.query<{ type: string; actor: string }>(
    `SELECT type, metadata->>'actor' AS actor FROM events WHERE metadata->>'commandId' = $1`,
    [uuidFromParts(kind, jobId)],
  );
  return rows;
}

async function effectsOfTimers(): Promise<{ deadline: number; callOff: number }> {
  const { rows } = await pool.query<{ actor: string; n: string }>(
    `SELECT metadata->>'actor' AS actor, count(*) AS n FROM events
      WHERE metadata->>'actor' = ANY ($1) GROUP BY 1`,
    [[DEADLINE_PROCESSOR_ACTOR, CALL_OFF_PROCESSOR_ACTOR]],
  );
  const of = (actor: string) => Number(rows.find((r) => r.actor === actor)?.n ?? 0);
  return { deadline: of(DEADLINE_PROCESSOR_ACTOR), callOff: of(CALL_OFF_PROCESSOR_ACTOR) };
}

describe('Redis stopped for 30 s while deadline and call-off timers fall due', () => {
  it('runs each job exactly once after Redis is back, including those of events recorded meanwhile', async () => {
    // The clocks stand LEAD_MS before the deadlines and the windows' close.
    deadlineOffset = DUE_AT - LEAD_MS - Date.now();
    callOffOffset = WINDOW_CLOSES_AT - LEAD_MS - Date.now();
    for (const runner of runners) runner.start();

    await registerOrganisation(councilContext(), { name: 'Council', kind: 'council' });
    for (const provider of providers)
      await registerOrganisation(councilContext(provider), { name: provider, kind: 'provider' });
    await establishCareFramework(councilContext(), {
      frameworkId,
      name: 'Care at home',
      contractStartDate: '2026-01-01',
      providers,
    });
    const tenants = Array.from(
      { length: TENANTS_BEFORE + TENANTS_DURING },
      (_, i) => `faults-${randomUUID().slice(0, 8)}-${i}`,
    );
    const packages = Array.from(
      { length: PACKAGES_BEFORE + PACKAGES_DURING },
      (_, i) => `pkg-${i}`,
    );
    for (const tenantId of tenants.slice(0, TENANTS_BEFORE)) await homeWithComplaint(tenantId);
    for (const packageId of packages.slice(0, PACKAGES_BEFORE)) await referPackage(packageId);

    // Scheduled: each return's two reminders and its complaint response's one (already past)
    // have run; the rest wait in Redis.
    const remindersBefore = TENANTS_BEFORE * 3;
    await waitFor(
      async () =>
        (await behind(DEADLINE_REACTOR)) === 0 &&
        (await behind(CALL_OFF_REACTOR)) === 0 &&
        (await effectsOfTimers()).deadline === remindersBefore,
      { description: 'the timers to be scheduled and the past reminders sent' },
    );
    const waiting = {
      deadline: await queueCounts(deadlines.queue),
      callOff: await queueCounts(callOff.queue),
    };
    expect(waiting.deadline.delayed).toBeGreaterThanOrEqual(TENANTS_BEFORE * 3);
    expect(waiting.callOff.delayed).toBe(PACKAGES_BEFORE);
    // Nothing has fallen due yet: the outage starts before the timers' time.
    expect(deadlineClock().getTime()).toBeLessThan(DUE_AT);
    expect(callOffClock().getTime()).toBeLessThan(WINDOW_CLOSES_AT);
    expect(await effectsOfTimers()).toEqual({ deadline: remindersBefore, callOff: 0 });

    await redis.stop();
    const stoppedAt = Date.now();
    const failuresAtStop = failedBatches;
    // Meanwhile: more timers to schedule, whose time has come by the time Redis is back.
    for (const tenantId of tenants.slice(TENANTS_BEFORE)) await homeWithComplaint(tenantId);
    for (const packageId of packages.slice(PACKAGES_BEFORE)) await referPackage(packageId);
    await waitFor(
      () =>
        Date.now() - stoppedAt >= OUTAGE_MS &&
        deadlineClock().getTime() > DUE_AT &&
        callOffClock().getTime() > WINDOW_CLOSES_AT,
      {
        description: 'the outage to last 30 s, past the timers’ time',
        timeoutMs: OUTAGE_MS + 10_000,
        intervalMs: 100,
      },
    );
    const reactorBatchesFailed = failedBatches - failuresAtStop;
    // The reactors could not schedule what was recorded meanwhile: their batches failed.
    expect(reactorBatchesFailed).toBeGreaterThanOrEqual(2);
    expect(await effectsOfTimers()).toEqual({ deadline: remindersBefore, callOff: 0 });

    await redis.start();
    const restartedAt = Date.now();
    const outageSeconds = (restartedAt - stoppedAt) / 1000;

    // Each home: its return's passing and two reminders; its complaint: two deadlines passed
    // and the response's reminder. (Homes recorded during the outage are scheduled after their
    // due time: their deadlines run at once, and reminders are left out, jobsForDeadline.)
    const deadlineJobs = TENANTS_BEFORE * 6 + TENANTS_DURING * 3;
    const callOffJobs = packages.length;
    await waitFor(
      async () => {
        const done = await effectsOfTimers();
        return done.deadline >= deadlineJobs && done.callOff >= callOffJobs;
      },
      {
        description: 'every job due to have run once Redis is back',
        timeoutMs: 60_000,
        intervalMs: 100,
      },
    );
    const recoverySeconds = (Date.now() - restartedAt) / 1000;
    // Nothing left to run that is due: no job can still run a second time.
    await waitFor(
      async () => {
        const [d, c] = [await queueCounts(deadlines.queue), await queueCounts(callOff.queue)];
        return (
          d.waiting + d.active + c.waiting + c.active === 0 &&
          (await behind(DEADLINE_REACTOR)) === 0
        );
      },
      { description: 'the queues to have nothing waiting or running' },
    );

    const due = await jobsDue();
    expect(due.deadline).toHaveLength(deadlineJobs);
    expect(due.callOff).toHaveLength(callOffJobs);
    let eventsChecked = 0;
    for (const jobId of due.deadline) {
      const written = await eventsOfJob('deadline-job', jobId);
      expect({ jobId, written }).toEqual({
        jobId,
        written: [
          {
            type: jobId.endsWith('~due') ? 'DeadlinePassed' : 'DeadlineReminderSent',
            actor: DEADLINE_PROCESSOR_ACTOR,
          },
        ],
      });
      expect({ jobId, runs: completions.get(jobId) }).toEqual({ jobId, runs: 1 });
      eventsChecked += written.length;
    }
    for (const jobId of due.callOff) {
      const written = await eventsOfJob('call-off-job', jobId);
      expect({ jobId, written }).toEqual({
        jobId,
        written: [{ type: 'CarePackageOffered', actor: CALL_OFF_PROCESSOR_ACTOR }],
      });
      expect({ jobId, runs: completions.get(jobId) }).toEqual({ jobId, runs: 1 });
      eventsChecked += written.length;
    }
    // And no timer wrote anything else: one event per job, in all.
    expect(await effectsOfTimers()).toEqual({ deadline: deadlineJobs, callOff: callOffJobs });

    const figures = {
      fault: 'Redis stopped while timers fall due',
      outageSeconds,
      reactorBatchesFailed,
      recoverySeconds,
      deadlineJobsRun: due.deadline.length,
      callOffJobsRun: due.callOff.length,
      jobsDueDuringOutage: due.deadline.length - remindersBefore + due.callOff.length,
      eventsChecked,
    };
    console.log(`FAULTS ${JSON.stringify(figures)}`);
  });
});
