import { randomUUID } from 'node:crypto';
import {
  endOfLondonDay,
  streamIds,
  type ActionEvent,
  type ActionPlanned,
  type DeadlineEvent,
  type RiskEvent,
} from '@kpi/domain';
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
 * Actions' deadlines and risks' reviews through the log and BullMQ (docs/decisions/0039), on the
 * real PostgreSQL and Redis, time driven by a test clock: an action not completed by its due
 * date is judged missed once, told to its owner (`to`: what the notifications slice sends an
 * email to); completed in time, met; re-dated, the old deadline is cancelled, never missed. A
 * risk not reviewed by its review date is missed, told to its owner; a closed one owes nothing.
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
  database = await createTestDatabase('action_deadlines');
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

async function append(
  tenantId: string,
  events: (ActionEvent | RiskEvent)[],
  streamId = streamIds.action(tenantId, 'act-1'),
) {
  return store.append(
    streamId,
    events.map(({ type, data }) => ({
      eventId: randomUUID(),
      type,
      data,
      metadata: {
        tenantId,
        actor: 'user:hr-sam',
        correlationId: null,
        causationId: null,
        commandId: randomUUID(),
      },
    })),
    'any',
  );
}

/** Mentoring for mgr-siwan, due on `dueOn`, planned on 2 November 2026. */
const planned = (dueOn: string): ActionPlanned => ({
  type: 'ActionPlanned',
  data: {
    actionId: 'act-1',
    title: 'Mentoring with an experienced manager',
    owner: 'mgr-siwan',
    startOn: '2026-11-02',
    dueOn,
    target: {
      kind: 'capability-stage',
      managerId: 'mgr-siwan',
      entryId: 'plas-newydd.EDU.2026-07.s2',
      supportKind: 'mentoring',
    },
    serviceId: 'plas-newydd',
    subjectId: 'mgr-siwan',
    description: null,
    milestones: [],
    plannedBy: 'user:hr-sam',
    plannedAt: '2026-11-02T10:00:00.000Z',
  },
});

const tenant = () => `t-${randomUUID().slice(0, 8)}`;

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

describe('an action’s deadline, through the log and BullMQ', () => {
  it('with a past due date and not completed, is judged missed once, told to its owner — a replay adds nothing', async () => {
    offsetMs = 0;
    const tenantId = tenant();
    await append(tenantId, [planned('2026-11-30')]);
    const passed = await passedOnce(tenantId, 'action:act-1:2026-11-30');
    expect(passed.data).toMatchObject({
      outcome: 'missed',
      to: 'mgr-siwan',
      deadline: {
        kind: 'action',
        subjectId: 'act-1',
        serviceId: 'plas-newydd',
        dueOn: '2026-11-30',
      },
    });

    await runner.stop();
    await resetCheckpoint(pool, checkpointNameOf(DEADLINE_REACTOR), START_OF_LOG);
    runner.start();
    await waitFor(
      async () =>
        (await store.countEventsAfter(
          await loadCheckpoint(pool, checkpointNameOf(DEADLINE_REACTOR)),
        )) === 0 || null,
      { description: 'the replay to reach the head of the log' },
    );
    // The due job of a replay has the same id: nothing is judged again.
    const events = await deadlineEvents(tenantId, 'action:act-1:2026-11-30');
    expect(events.map((e) => e.type)).toEqual(['DeadlinePassed']);
  });

  it('reminds its owner 2 working days before, then passes as missed, once each', async () => {
    // 1.5 s short of the end of Friday 2026-12-18: the reminder (Wednesday the 16th) is due at
    // once, the deadline a moment later.
    offsetMs = endOfLondonDay('2026-12-18').getTime() - 1_500 - Date.now();
    const tenantId = tenant();
    await append(tenantId, [planned('2026-12-18')]);
    await passedOnce(tenantId, 'action:act-1:2026-12-18');
    const events = await deadlineEvents(tenantId, 'action:act-1:2026-12-18');
    expect(events.map((e) => [e.type, e.data.to])).toEqual([
      ['DeadlineReminderSent', 'mgr-siwan'],
      ['DeadlinePassed', 'mgr-siwan'],
    ]);
    expect(events[0]!.data).toMatchObject({ reminder: '2-working-days-before' });
  });

  it('completed on or before its due date is met, and its owner is not reminded', async () => {
    offsetMs = endOfLondonDay('2026-12-18').getTime() - 1_500 - Date.now();
    const tenantId = tenant();
    await append(tenantId, [
      planned('2026-12-18'),
      {
        type: 'ActionCompleted',
        data: {
          actionId: 'act-1',
          completedOn: '2026-12-15',
          completedBy: 'user:mgr-siwan',
          recordedAt: '2026-12-15T16:00:00.000Z',
        },
      },
    ]);
    const passed = await passedOnce(tenantId, 'action:act-1:2026-12-18');
    expect(passed.data).toMatchObject({ outcome: 'met', work: { on: '2026-12-15' } });
    const events = await deadlineEvents(tenantId, 'action:act-1:2026-12-18');
    expect(events.map((e) => e.type)).toEqual(['DeadlinePassed']);
  });

  it('re-dated before its due date: the old deadline is cancelled, never missed; the new one waits', async () => {
    offsetMs = 0;
    const tenantId = tenant();
    await append(tenantId, [
      planned('2026-11-30'),
      {
        type: 'ActionRedated',
        data: {
          actionId: 'act-1',
          serviceId: 'plas-newydd',
          previousDueOn: '2026-11-30',
          dueOn: '2099-01-30',
          reason: null,
          redatedBy: 'user:hr-sam',
          redatedAt: '2026-11-20T10:00:00.000Z',
        },
      },
    ]);
    const old = await passedOnce(tenantId, 'action:act-1:2026-11-30');
    expect(old.data).toMatchObject({
      outcome: 'cancelled',
      reason: 'the action was re-dated on 2026-11-20 to 2099-01-30',
    });
    const next = await waitFor(() => queue.getJob(`${tenantId}~action~act-1~2099-01-30~due`), {
      description: 'the new deadline’s due job',
    });
    expect(await next!.isDelayed()).toBe(true);
    expect(await deadlineEvents(tenantId, 'action:act-1:2099-01-30')).toEqual([]);
  });

  it('reassigned: the new owner is the one told', async () => {
    offsetMs = 0;
    const tenantId = tenant();
    await append(tenantId, [
      planned('2026-11-30'),
      {
        type: 'ActionReassigned',
        data: {
          actionId: 'act-1',
          previousOwner: 'mgr-siwan',
          owner: 'rm-gwen',
          reassignedBy: 'user:hr-sam',
          reassignedAt: '2026-11-20T10:00:00.000Z',
        },
      },
    ]);
    const passed = await passedOnce(tenantId, 'action:act-1:2026-11-30');
    expect(passed.data).toMatchObject({ outcome: 'missed', to: 'rm-gwen' });
  });
});

describe('a risk’s review, through the log and BullMQ', () => {
  const raised = (reviewOn: string): RiskEvent => ({
    type: 'RiskRaised',
    data: {
      riskId: 'risk-1',
      title: 'Business disruption stops essential services',
      owner: 'rm-gwen',
      category: 'business-continuity',
      inherent: { likelihood: 4, impact: 5 },
      residual: { likelihood: 2, impact: 4 },
      controls: 'Business Continuity Plans',
      reviewOn,
      raisedBy: 'user:admin',
      raisedAt: '2026-11-02T10:00:00.000Z',
    },
  });

  it('not reviewed by its review date is missed, told to the risk’s owner', async () => {
    offsetMs = 0;
    const tenantId = tenant();
    await append(tenantId, [raised('2026-11-30')], streamIds.risk(tenantId, 'risk-1'));
    const passed = await passedOnce(tenantId, 'risk-review:risk-1:2026-11-30');
    expect(passed.data).toMatchObject({ outcome: 'missed', to: 'rm-gwen' });
  });

  it('closed before its review date owes no review: cancelled', async () => {
    offsetMs = 0;
    const tenantId = tenant();
    await append(
      tenantId,
      [
        raised('2026-11-30'),
        {
          type: 'RiskClosed',
          data: {
            riskId: 'risk-1',
            closedOn: '2026-11-20',
            reviewOn: '2026-11-30',
            closedBy: 'user:rm-gwen',
            recordedAt: '2026-11-20T10:00:00.000Z',
          },
        },
      ],
      streamIds.risk(tenantId, 'risk-1'),
    );
    const passed = await passedOnce(tenantId, 'risk-review:risk-1:2026-11-30');
    expect(passed.data).toMatchObject({
      outcome: 'cancelled',
      reason: 'the risk was closed on 2026-11-20',
    });
  });
});
