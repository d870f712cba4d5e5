import { randomBytes, randomUUID } from 'node:crypto';
import { ConflictError, ForbiddenError, InvalidCommandError, NotFoundError } from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { eraseDataSubject, PersonalDataVault } from '@kpi/personal-data';
import { ensureProjectionReady, ProjectionRunner } from '@kpi/projections';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, id, waitFor, type TestDatabase } from '@kpi/testing';
import { stageEntered, stageWithdrawn } from '@kpi/testing/fixtures';
import type { CommandContext, DomainEvent } from '@kpi/command-handling';
import type { Pool } from 'pg';
import type { PlanActionInput } from './actions.commands';
import { actionsProjection } from './actions.projection';
import { listActions, readAction } from './actions.query';
import {
  cancelAction,
  completeAction,
  markActionMilestoneDone,
  noteActionProgress,
  planAction,
  redateAction,
  startAction,
} from './actions.use-cases';

/**
 * The action commands on PostgreSQL (their texts are sealed in the personal-data vault, which
 * lives there), with the actions read model kept by a runner of its own: a Stage 2 entry gets a
 * support plan of three actions; texts are sealed under the manager and erased with them; the
 * owner moves their action on, nobody else may. Each test is a tenant of its own.
 */
let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let vault: PersonalDataVault;
let runner: ProjectionRunner;
beforeAll(async () => {
  database = await createTestDatabase('actions_commands');
  pool = database.pool({ max: 6 });
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  vault = new PersonalDataVault(pool, randomBytes(32).toString('base64'));
  await ensureProjectionReady(pool, store, actionsProjection);
  runner = new ProjectionRunner(pool, store, actionsProjection, { idlePollMs: 10 });
  runner.start();
});
afterAll(async () => {
  await runner?.stop();
  await database?.drop();
});

const now = new Date('2026-04-10T10:00:00Z');
/** mgr-a's Stage 2 for EDU at home-02: the run began in January, the third miss was March. */
const stage2 = stageEntered({ period: '2026-03', misses: 3 });
const ENTRY = stage2.data.entryId;

async function tenantWithStage2() {
  const tenantId = `acme-${randomUUID().slice(0, 8)}`;
  await store.append(
    `${tenantId}:capability:mgr-a:home-02:EDU`,
    [stage2].map(({ type, data }: DomainEvent) => ({
      eventId: randomUUID(),
      type,
      data,
      metadata: {
        tenantId,
        actor: 'system:escalation',
        correlationId: null,
        causationId: null,
        commandId: randomUUID(),
      },
    })),
    'any',
  );
  const context = (overrides: Partial<CommandContext> = {}): CommandContext => ({
    store,
    tenantId,
    actor: 'user:hr-sam',
    correlationId: null,
    commandId: randomUUID(),
    now,
    ...overrides,
  });
  return { tenantId, context };
}

const supportAction = (
  actionId: string,
  supportKind: string,
  title: string,
  dueOn: string,
): PlanActionInput => ({
  actionId: id(actionId),
  title,
  owner: 'mgr-a',
  startOn: '2026-04-10',
  dueOn,
  target: { kind: 'capability-stage', managerId: 'mgr-a', entryId: ENTRY, supportKind },
  description: `For mgr-a: ${title}, with Carys Jones`,
  milestones: [{ title: 'Agreed in supervision', dueOn: '2026-04-17' }],
});

const plan = (context: CommandContext, input: PlanActionInput) => planAction(context, vault, input);

async function caughtUp(tenantId: string, count: number) {
  return waitFor(
    async () => {
      const list = await listActions(
        pool,
        tenantId,
        { managerId: 'mgr-a', entryId: ENTRY },
        { now },
      );
      return list.actions.length === count ? list : null;
    },
    { description: `${count} actions in the read model` },
  );
}

describe('a support plan on a Stage 2 entry', () => {
  it('is the three actions planned on the entry: training, mentoring, a developmental task', async () => {
    const { tenantId, context } = await tenantWithStage2();
    const planned = [
      await plan(
        context(),
        supportAction('act-training', 'training', 'Education planning course', '2026-05-29'),
      ),
      await plan(
        context(),
        supportAction(
          'act-mentoring',
          'mentoring',
          'Mentoring by an experienced manager',
          '2026-06-26',
        ),
      ),
      await plan(
        context(),
        supportAction(
          'act-task',
          'developmental-task',
          'Write the home’s education plan',
          '2026-05-15',
        ),
      ),
    ];
    expect(planned.map((p) => [p.actionId, p.status, p.deadlineKey, p.dataSubjectId])).toEqual([
      ['act-training', 'planned', 'action:act-training:2026-05-29', 'mgr-a'],
      ['act-mentoring', 'planned', 'action:act-mentoring:2026-06-26', 'mgr-a'],
      ['act-task', 'planned', 'action:act-task:2026-05-15', 'mgr-a'],
    ]);
    const list = await caughtUp(tenantId, 3);
    expect(list.actions.map((a) => [a.actionId, a.supportKind, a.serviceId, a.dueOn])).toEqual([
      ['act-task', 'developmental-task', 'home-02', '2026-05-15'],
      ['act-training', 'training', 'home-02', '2026-05-29'],
      ['act-mentoring', 'mentoring', 'home-02', '2026-06-26'],
    ]);
  });

  it('keeps the description out of the log, sealed under the manager, and erased with them', async () => {
    const { tenantId, context } = await tenantWithStage2();
    await plan(context(), supportAction('act-1', 'mentoring', 'Mentoring', '2026-06-26'));
    const [stored] = await store.readStream(`${tenantId}:action:act-1`);
    expect(JSON.stringify(stored!.data)).not.toMatch(/Carys/);
    expect(stored!.data).toMatchObject({ description: { subjectId: 'mgr-a' } });
    await caughtUp(tenantId, 1);
    const before = await readAction(pool, tenantId, { actionId: 'act-1' }, { now, vault });
    expect(before.description).toBe('For mgr-a: Mentoring, with Carys Jones');
    await eraseDataSubject(
      { ...context({ actor: 'user:dpo' }), store, pool },
      { subjectId: 'mgr-a', reason: 'consent-withdrawn' },
    );
    const after = await readAction(pool, tenantId, { actionId: 'act-1' }, { now, vault });
    expect(after.description).toEqual({ erasedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  });

  it('refuses a stage entry not on the manager’s timeline, or withdrawn (404), writing nothing', async () => {
    const { tenantId, context } = await tenantWithStage2();
    await expect(
      plan(context(), {
        ...supportAction('act-1', 'training', 'Course', '2026-05-29'),
        target: {
          kind: 'capability-stage',
          managerId: 'mgr-b',
          entryId: ENTRY,
          supportKind: 'training',
        },
      }),
    ).rejects.toThrow(NotFoundError);
    await store.append(
      `${tenantId}:capability:mgr-a:home-02:EDU`,
      [stageWithdrawn(stage2)].map(({ type, data }: DomainEvent) => ({
        eventId: randomUUID(),
        type,
        data,
        metadata: {
          tenantId,
          actor: 'system:escalation',
          correlationId: null,
          causationId: null,
          commandId: randomUUID(),
        },
      })),
      'any',
    );
    await expect(
      plan(context(), supportAction('act-1', 'training', 'Course', '2026-05-29')),
    ).rejects.toThrow(/No capability stage entry/);
    expect(await store.readStream(`${tenantId}:action:act-1`)).toEqual([]);
  });

  it('names the fields wrong (400) and writes nothing, not even to the vault', async () => {
    const { tenantId, context } = await tenantWithStage2();
    await expect(
      plan(context(), { ...supportAction('act-1', 'coaching', 'Course', '2026-03-01'), owner: '' }),
    ).rejects.toThrow(InvalidCommandError);
    expect(await store.readStream(`${tenantId}:action:act-1`)).toEqual([]);
    const { rows } = await pool.query('SELECT 1 FROM personal_data WHERE tenant_id = $1', [
      tenantId,
    ]);
    expect(rows).toEqual([]);
  });
});

describe('moving an action on', () => {
  it('is for its owner (or a manager of actions): milestone, start, notes, completion', async () => {
    const { tenantId, context } = await tenantWithStage2();
    await plan(context(), supportAction('act-1', 'training', 'Course', '2026-05-29'));
    const owner = (at = now) => context({ actor: 'user:mgr-a', now: at });
    const input = { actionId: id('act-1'), mayManage: false };
    await expect(startAction(context({ actor: 'user:mgr-b' }), { ...input })).rejects.toThrow(
      ForbiddenError,
    );
    await startAction(owner(), input);
    await noteActionProgress(owner(), vault, { ...input, note: 'Booked the course with Carys' });
    await expect(completeAction(owner(), input)).rejects.toThrow(ConflictError);
    await markActionMilestoneDone(owner(), { ...input, milestoneId: 'm1' });
    const done = await completeAction(owner(), { ...input, completedOn: '2026-04-10' });
    expect(done).toMatchObject({ status: 'completed', deadlineKey: null });
    const types = (await store.readStream(`${tenantId}:action:act-1`)).map((e) => e.type);
    expect(types).toEqual([
      'ActionPlanned',
      'ActionStarted',
      'ActionProgressNoted',
      'ActionMilestoneDone',
      'ActionCompleted',
    ]);
    const read = await waitFor(
      async () => {
        // Not there yet while the runner has not applied the plan (another database's open
        // transaction can hold the events back a moment).
        const action = await readAction(
          pool,
          tenantId,
          { actionId: 'act-1' },
          { now, vault },
        ).catch((error: unknown) => {
          if (error instanceof NotFoundError) return null;
          throw error;
        });
        return action?.status === 'completed' ? action : null;
      },
      { description: 'the action completed in the read model' },
    );
    expect(read.notes).toEqual([
      expect.objectContaining({
        noteId: 'n1',
        note: 'Booked the course with Carys',
        notedBy: 'user:mgr-a',
      }),
    ]);
    expect(read.milestones).toEqual([
      {
        milestoneId: 'm1',
        title: 'Agreed in supervision',
        dueOn: '2026-04-17',
        doneOn: '2026-04-10',
      },
    ]);
  });

  it('re-dated, answers the deadline of its new date; cancelled, none', async () => {
    const { context } = await tenantWithStage2();
    await plan(context(), supportAction('act-1', 'training', 'Course', '2026-05-29'));
    const redated = await redateAction(context(), vault, {
      actionId: id('act-1'),
      dueOn: '2026-06-30',
      reason: 'The course moved',
    });
    expect(redated.deadlineKey).toBe('action:act-1:2026-06-30');
    const cancelled = await cancelAction(context(), vault, { actionId: id('act-1') });
    expect(cancelled).toMatchObject({ status: 'cancelled', deadlineKey: null });
  });

  it('is not readable by someone limited to their own actions when they do not own it (404)', async () => {
    const { tenantId, context } = await tenantWithStage2();
    await plan(context(), supportAction('act-1', 'training', 'Course', '2026-05-29'));
    await caughtUp(tenantId, 1);
    await expect(
      readAction(pool, tenantId, { actionId: 'act-1', onlyOwnedBy: 'mgr-b' }, { now, vault }),
    ).rejects.toThrow(NotFoundError);
  });
});
