import { randomUUID } from 'node:crypto';
import {
  addDays,
  dateInWords,
  endOfLondonDay,
  londonDateOf,
  streamIds,
  type DeadlineEvent,
} from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { startSmtpServer, waitFor, type TestSmtpServer } from '@kpi/testing';
import { stageEntered } from '@kpi/testing/fixtures';
import { startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * A support plan's action becoming overdue, over HTTP with the deadline reactor and processor
 * running (docs/decisions/0039): a Stage 2 entry gets three actions through the API; the one due
 * first passes while the test runs (the timers' clock is set 1.5 s short of the end of its due
 * day) and is judged missed exactly once, told to its owner — who receives exactly one email
 * saying so from the notifications (docs/decisions/0036), read from the test's SMTP server —
 * while the other two wait. The owner's "My actions" shows it overdue.
 */
let api: ApiUnderTest;
let store: PostgresEventStore;
let projections: ProjectionsInProcess;
let smtp: TestSmtpServer;
let offsetMs = 0;
beforeAll(async () => {
  api = await startApiUnderTest('action_overdue_e2e');
  store = new PostgresEventStore(api.pool, eventTypeRegistry());
  smtp = await startSmtpServer();
  const clock = () => new Date(Date.now() + offsetMs);
  projections = await startProjections(api.pool, store, {
    deadlines: { prefix: api.config.BULLMQ_PREFIX, clock },
    notifications: { prefix: `${api.config.BULLMQ_PREFIX}-mail`, smtpUrl: smtp.url, clock },
  });
});
afterAll(async () => {
  await projections?.stop();
  await smtp?.close();
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
  it('is judged missed once, told to its owner, who is emailed that it is overdue once; the other actions wait', async () => {
    const today = londonDateOf(new Date());
    const soon = addDays(today, 1);
    const later = addDays(today, 60);
    // The timers run 1.5 s short of the end of the first action's due day.
    offsetMs = endOfLondonDay(soon).getTime() - 1_500 - Date.now();
    const tenant = await tenantAtStage2();
    // The owner's account (the accounts table, as the accounts feature keeps it), linked to mgr-a.
    await api.pool.query(
      `INSERT INTO accounts (tenant_id, account_id, email, roles, manager_id, status, invited_at, updated_at)
       VALUES ($1, 'acc-mgr-a', 'mgr-a@care.example', ARRAY['home-manager'], 'mgr-a', 'active', now(), now())`,
      [tenant],
    );
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

    // Its owner is emailed once that it is overdue (and once, before, its reminder); nothing of
    // the actions still ahead.
    const overdue = (m: { subject: string }) =>
      m.subject.startsWith('Overdue: an action (act-task)');
    await waitFor(() => smtp.messages.some(overdue), {
      description: 'the overdue email to the owner',
      timeoutMs: 90_000,
    });
    await projections.caughtUp();
    const toOwner = smtp.messages.filter((m) => m.to.includes('mgr-a@care.example'));
    expect(toOwner.filter(overdue)).toHaveLength(1);
    expect(toOwner.map((m) => m.subject).sort()).toEqual([
      `Overdue: an action (act-task) was due by ${dateInWords(soon)}`,
      `Reminder: an action (act-task) is due by ${dateInWords(soon)}`,
    ]);
  });
});
