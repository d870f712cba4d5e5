import { randomUUID } from 'node:crypto';
import { streamIds, type DeadlineEvent, endOfLondonDay } from '@kpi/domain';
import {
  eventStoreMigrations,
  loadCheckpoint,
  migrate,
  PostgresEventStore,
  resetCheckpoint,
  START_OF_LOG,
} from '@kpi/event-store';
import { checkpointNameOf, ensureProjectionReady, ProjectionRunner } from '@kpi/projections';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, deleteRedisKeys, waitFor, type TestDatabase } from '@kpi/testing';
import { Queue, type Worker } from 'bullmq';
import type { Pool } from 'pg';
import { DEADLINE_QUEUE, type DeadlineJobData } from './deadline-jobs';
import { startDeadlineProcessor } from './deadline-processor';
import { DEADLINE_REACTOR, deadlineReactor } from './deadline-reactor';

/**
 * The reactor and the processor against the real PostgreSQL and Redis. Time is driven by a
 * test clock (an offset from the real one) handed to both: a deadline then falls due a moment
 * after the test starts, and the test waits for the event it produces, never for a time.
 */
const connection = { host: '127.0.0.1', port: 6379 };
const prefix = `test-${randomUUID().slice(0, 8)}`;
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);

let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let queue: Queue<DeadlineJobData>;
let runner: ProjectionRunner;
let processor: Worker<DeadlineJobData>;

beforeAll(async () => {
  database = await createTestDatabase('deadlines');
  pool = database.pool({ max: 8 });
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  queue = new Queue<DeadlineJobData>(DEADLINE_QUEUE, { connection, prefix });
  const reactor = deadlineReactor({ store, queue, clock });
  await ensureProjectionReady(pool, store, reactor);
  runner = new ProjectionRunner(pool, store, reactor, { batchSize: 100, idlePollMs: 20 });
  runner.start();
  processor = startDeadlineProcessor({ store, connection, clock, prefix });
});
afterAll(async () => {
  await runner.stop();
  await processor.close();
  await queue.close();
  await deleteRedisKeys(prefix);
  await database.drop();
});

async function append(tenantId: string, streamId: string, type: string, data: object) {
  return store.append(
    streamId,
    [
      {
        eventId: randomUUID(),
        type,
        data,
        metadata: {
          tenantId,
          actor: 'user:test',
          correlationId: null,
          causationId: null,
          commandId: randomUUID(),
        },
      },
    ],
    'any',
  );
}

/** A region and a home opened on `openedOn`; returns are due from that month. */
async function provider(openedOn: string, frameworkFirst?: (tenantId: string) => Promise<unknown>) {
  const tenantId = `t-${randomUUID().slice(0, 8)}`;
  await frameworkFirst?.(tenantId);
  await append(tenantId, streamIds.region(tenantId, 'north'), 'RegionRegistered', {
    regionId: 'north',
    name: 'North',
    regionalManagerId: 'rm-gwen',
    registeredBy: 'user:admin',
    registeredAt: '2026-01-01T09:00:00.000Z',
  });
  await append(tenantId, streamIds.service(tenantId, 'home-01'), 'ServiceRegistered', {
    serviceId: 'home-01',
    name: 'Ty Coch',
    regionId: 'north',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn,
    registeredBy: 'user:admin',
    registeredAt: '2026-01-01T09:00:00.000Z',
  });
  return tenantId;
}

/** The home's framework (the id `provider` gives it), collecting quarterly only: Jun, Sep, Dec and Mar. */
const quarterlyOnly = (tenantId: string) =>
  append(
    tenantId,
    streamIds.kpiFramework(tenantId, 'childrens-homes'),
    'KpiFrameworkVersionPublished',
    {
      frameworkId: 'childrens-homes',
      name: 'Quarterly only',
      version: 1,
      effectiveFrom: '2026-04',
      indicators: [
        {
          code: 'EET',
          name: 'In education, employment or training',
          kind: 'data-only',
          unit: 'count',
          direction: 'higher-is-better',
          periodicity: 'quarterly',
          aggregation: 'sum',
        },
      ],
      bonusRule: null,
      publishedBy: 'user:admin',
      publishedAt: '2026-04-01T09:00:00.000Z',
    },
  );

const submitted = (tenantId: string, period: string, submittedAt: string) =>
  append(tenantId, streamIds.monthlyReturn(tenantId, 'home-01', period), 'MonthlyReturnSubmitted', {
    serviceId: 'home-01',
    period,
    values: {},
    results: {},
    bonus: null,
    submittedBy: 'user:rm-gwen',
    submittedAt,
    dueDate: '',
    late: false,
  });

async function deadlineEvents(tenantId: string, key: string): Promise<DeadlineEvent[]> {
  const events = await store.readStream(streamIds.deadline(tenantId, key));
  return events.map((e) => ({ type: e.type, data: e.data }) as DeadlineEvent);
}

const passedOnce = (tenantId: string, key: string) =>
  waitFor(
    async () => {
      const passed = (await deadlineEvents(tenantId, key)).filter(
        (e) => e.type === 'DeadlinePassed',
      );
      return passed.length === 1 && passed[0]!;
    },
    { description: `${key} to pass` },
  );

async function jobIdsOf(tenantId: string): Promise<string[]> {
  const jobs = await queue.getJobs(['delayed', 'waiting', 'active', 'completed', 'failed']);
  return jobs
    .map((j) => j.id!)
    .filter((id) => id.startsWith(`${tenantId}~`))
    .sort();
}

describe('monthly return deadlines, through the log and BullMQ', () => {
  it('judge past months once each (met by an on-time return, missed without one) and chain on to the month ahead', async () => {
    offsetMs = 0;
    const tenantId = await provider('2026-09-01');
    const [submission] = (await submitted(tenantId, '2026-09', '2026-10-05T10:00:00.000Z')).events;

    const september = await passedOnce(tenantId, 'monthly-return:home-01:2026-09');
    expect(september.data).toMatchObject({
      outcome: 'met',
      work: { on: '2026-10-05', eventId: submission!.eventId },
    });
    const october = await passedOnce(tenantId, 'monthly-return:home-01:2026-10');
    expect(october.data).toMatchObject({ outcome: 'missed' });
    // November's return is due on 2026-12-20: waiting, with its two reminders.
    const ids = await waitFor(
      async () => {
        const all = await jobIdsOf(tenantId);
        return all.some((id) => id.includes('2026-11')) && all;
      },
      { description: "November's jobs" },
    );
    expect(ids.filter((id) => id.includes('2026-11'))).toEqual([
      `${tenantId}~monthly-return~home-01~2026-11~due`,
      `${tenantId}~monthly-return~home-01~2026-11~remind-1-working-day-before`,
      `${tenantId}~monthly-return~home-01~2026-11~remind-5-working-days-before`,
    ]);
    const due = await queue.getJob(`${tenantId}~monthly-return~home-01~2026-11~due`);
    expect(due!.timestamp + due!.opts.delay!).toBeGreaterThanOrEqual(
      endOfLondonDay('2026-12-20').getTime() - 5_000,
    );
  });

  it('a month the framework does not collect is owed nothing: cancelled, never missed (decision 0023)', async () => {
    offsetMs = endOfLondonDay('2026-11-20').getTime() + 60_000 - Date.now();
    const tenantId = await provider('2026-08-01', quarterlyOnly);
    const august = await passedOnce(tenantId, 'monthly-return:home-01:2026-08');
    expect(august.data).toMatchObject({
      outcome: 'cancelled',
      reason:
        'childrens-homes version 1 does not collect 2026-08: it collects Jun, Sep, Dec and Mar',
    });
    expect((await passedOnce(tenantId, 'monthly-return:home-01:2026-09')).data).toMatchObject({
      outcome: 'missed',
      to: 'rm-gwen',
    });
    const october = await passedOnce(tenantId, 'monthly-return:home-01:2026-10');
    expect(october.data).toMatchObject({ outcome: 'cancelled' });
  });

  it('a month the framework does not collect sends no reminder', async () => {
    // As for November above: October's reminders are due at once, the deadline a moment later.
    offsetMs = endOfLondonDay('2026-11-20').getTime() - 1_500 - Date.now();
    const tenantId = await provider('2026-10-01', quarterlyOnly);
    const passed = await passedOnce(tenantId, 'monthly-return:home-01:2026-10');
    expect(passed.data).toMatchObject({ outcome: 'cancelled' });
    const events = await deadlineEvents(tenantId, 'monthly-return:home-01:2026-10');
    expect(events.map((e) => e.type)).toEqual(['DeadlinePassed']);
  });

  it('replaying the log from the start schedules nothing twice and judges nothing again', async () => {
    offsetMs = 0;
    const tenantId = await provider('2026-10-01');
    await passedOnce(tenantId, 'monthly-return:home-01:2026-10');
    const before = await waitFor(
      async () => {
        const ids = await jobIdsOf(tenantId);
        return ids.length === 4 && ids; // October's due job, November's three
      },
      { description: 'the first run to schedule' },
    );

    await runner.stop();
    await resetCheckpoint(pool, checkpointNameOf(DEADLINE_REACTOR), START_OF_LOG);
    runner.start();
    await waitFor(
      async () =>
        (await store.countEventsAfter(
          await loadCheckpoint(pool, checkpointNameOf(DEADLINE_REACTOR)),
        )) === 0 || null,
      {
        description: 'the replay to reach the head of the log',
      },
    );

    expect(await jobIdsOf(tenantId)).toEqual(before);
    const october = await deadlineEvents(tenantId, 'monthly-return:home-01:2026-10');
    expect(october.filter((e) => e.type === 'DeadlinePassed')).toHaveLength(1);
    const { rows } = await pool.query(
      'SELECT count(*)::int AS n FROM reactor_deadline_jobs WHERE tenant_id = $1',
      [tenantId],
    );
    expect(rows[0].n).toBe(4);
  });

  it('a deadline that falls due (test clock) sends its reminders to the regional manager, then passes as missed — once', async () => {
    // The clock runs 1.5 s short of the end of 2026-12-20: the reminders (14 and 18 December)
    // are due at once, the deadline itself a moment later.
    offsetMs = endOfLondonDay('2026-12-20').getTime() - 1_500 - Date.now();
    const tenantId = await provider('2026-11-01');
    const passed = await passedOnce(tenantId, 'monthly-return:home-01:2026-11');
    // Overdue, flagged to the regional manager (docs/rules/monthly-returns.md#late-and-overdue).
    expect(passed.data).toMatchObject({ outcome: 'missed', to: 'rm-gwen' });
    const events = await deadlineEvents(tenantId, 'monthly-return:home-01:2026-11');
    expect(events.map((e) => e.type)).toEqual([
      'DeadlineReminderSent',
      'DeadlineReminderSent',
      'DeadlinePassed',
    ]);
    expect(events.filter((e) => e.type === 'DeadlineReminderSent').map((e) => e.data.to)).toEqual([
      'rm-gwen',
      'rm-gwen',
    ]);
  });

  it('a return submitted before the deadline neutralises it: no reminder, met', async () => {
    offsetMs = endOfLondonDay('2026-12-20').getTime() - 1_500 - Date.now();
    const tenantId = `t-${randomUUID().slice(0, 8)}`;
    // The return is in before the service's registration is seen by the reactor.
    await submitted(tenantId, '2026-11', '2026-12-01T10:00:00.000Z');
    await append(tenantId, streamIds.service(tenantId, 'home-01'), 'ServiceRegistered', {
      serviceId: 'home-01',
      name: 'Ty Coch',
      regionId: 'north',
      serviceType: 'childrens-home',
      frameworkId: 'childrens-homes',
      openedOn: '2026-11-01',
      registeredBy: 'user:admin',
      registeredAt: '2026-01-01T09:00:00.000Z',
    });
    const passed = await passedOnce(tenantId, 'monthly-return:home-01:2026-11');
    expect(passed.data).toMatchObject({ outcome: 'met', work: { on: '2026-12-01' } });
    const events = await deadlineEvents(tenantId, 'monthly-return:home-01:2026-11');
    expect(events.map((e) => e.type)).toEqual(['DeadlinePassed']);
  });
});
