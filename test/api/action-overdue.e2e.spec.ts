import { randomUUID } from 'node:crypto';
import { addDays, endOfLondonDay, londonDateOf, streamIds, type DeadlineEvent } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { waitFor } from '@kpi/testing';
import { stageEntered } from '@kpi/testing/fixtures';
import { startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * A support plan's action becoming overdue, over HTTP with the deadline reactor and processor
 * running (docs/decisions/0039): a Stage 2 entry gets three actions through the API; the one due
 * first passes while the test runs (the timers' clock is set 1.5 s short of the end of its due
 * day) and is judged missed exactly once, told to its owner — what the notifications slice
 * turns into one email — while the other two wait. The owner's "My actions" shows it overdue.
 */
let api: ApiUnderTest;
let store: PostgresEventStore;
let projections: ProjectionsInProcess;
let offsetMs = 0;
beforeAll(async () => {
  api = await startApiUnderTest('action_overdue_e2e');
  store = new PostgresEventStore(api.pool, eventTypeRegistry());
  projections = await startProjections(api.pool, store, {
    deadlines: { prefix: api.config.BULLMQ_PREFIX, clock: () => new Date(Date.now() + offsetMs) },
  });
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const stage2 = stageEntered({ period: '2026-03', misses: 3 });

async function tenantAtStage2(): Promise<string> {
  const tenantId = `care-${randomUUID().slice(0, 8)}`;
  await store.append(
    streamIds.capability(tenantId, 'mgr-a', 'home-02', 'EDU'),
    [
      {
        eventId: randomUUID(),
        type: stage2.type,
        data: stage2.data,
        metadata: {
          tenantId,
          actor: 'system:escalation',
          correlationId: null,
          causationId: null,
          commandId: randomUUID(),
        },
      },
    ],
    'any',
  );
  return tenantId;
}

async function deadlineEvents(tenantId: string, key: string): Promise<DeadlineEvent[]> {
  const events = await store.readStream(streamIds.deadline(tenantId, key));
  return events.map((e) => ({ type: e.type, data: e.data }) as DeadlineEvent);
}

describe('an action of a support plan becoming overdue', () => {
  it('is judged missed once, told to its owner; the other actions wait', async () => {
    const today = londonDateOf(new Date());
    const soon = addDays(today, 1);
    const later = addDays(today, 60);
    // The timers run 1.5 s short of the end of the first action's due day.
    offsetMs = endOfLondonDay(soon).getTime() - 1_500 - Date.now();
    const tenant = await tenantAtStage2();
    const hr = api.tokenFor({ tenantId: tenant, roles: ['hr'], userId: 'user:hr-sam' });
    const plan = (actionId: string, supportKind: string, dueOn: string) =>
      api
        .http()
        .post('/actions')
        .set('Authorization', `Bearer ${hr}`)
        .send({
          actionId,
          title: `${supportKind} for mgr-a`,
          owner: 'mgr-a',
          startOn: today,
          dueOn,
          target: {
            kind: 'capability-stage',
            managerId: 'mgr-a',
            entryId: stage2.data.entryId,
            supportKind,
          },
        })
        .expect(201);
    await plan('act-task', 'developmental-task', soon);
    await plan('act-course', 'training', later);
    await plan('act-mentor', 'mentoring', later);

    const key = `action:act-task:${soon}`;
    const passed = await waitFor(
      async () => {
        const events = await deadlineEvents(tenant, key);
        return events.some((e) => e.type === 'DeadlinePassed') && events;
      },
      { description: `${key} to pass` },
    );
    expect(passed.map((e) => [e.type, e.data.to])).toEqual([
      ['DeadlineReminderSent', 'mgr-a'],
      ['DeadlinePassed', 'mgr-a'],
    ]);
    expect(passed[1]!.data).toMatchObject({ outcome: 'missed' });
    expect(await deadlineEvents(tenant, `action:act-course:${later}`)).toEqual([]);
    expect(await deadlineEvents(tenant, `action:act-mentor:${later}`)).toEqual([]);

    await projections.caughtUp();
    // Asked after its due day, "My actions" shows it overdue.
    api.setNow(new Date(endOfLondonDay(soon).getTime() + 60_000));
    try {
      const mine = await api
        .http()
        .get('/actions/mine')
        .set(
          'Authorization',
          `Bearer ${api.tokenFor({ tenantId: tenant, roles: ['home-manager'], userId: 'user:mgr-a' })}`,
        );
      expect(
        mine.body.actions.map((a: { actionId: string; overdue: boolean }) => [
          a.actionId,
          a.overdue,
        ]),
      ).toEqual([
        ['act-task', true],
        ['act-course', false],
        ['act-mentor', false],
      ]);
    } finally {
      api.setNow(null);
    }
    // One judgement: the due job ran once (its id is the deadline key; the decider judges once).
    const again = await deadlineEvents(tenant, key);
    expect(again.filter((e) => e.type === 'DeadlinePassed')).toHaveLength(1);
  });
});
