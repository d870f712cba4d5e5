import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet } from '@kpi/testing';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * Actions over HTTP (docs/decisions/0039), with the worker's projections and escalation process
 * running: the same KPI missed three months running puts the manager at Stage 2, and HR gives
 * that stage a support plan of three actions — training, mentoring, a developmental task — each
 * a deadline told to the manager who owns it.
 */
let api: ApiUnderTest;
let store: PostgresEventStore;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('actions_e2e');
  store = new PostgresEventStore(api.pool, eventTypeRegistry());
  projections = await startProjections(api.pool, store);
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const MANAGER = 'mgr-siwan';
const HOME = 'plas-newydd';
const STAGE_2 = `${HOME}.EDU.2026-07.s2`;

const admin = (tenantId: string) => api.tokenFor({ tenantId, roles: ['provider-admin'] });
const regionalManager = (tenantId: string) =>
  api.tokenFor({ tenantId, roles: ['regional-manager'], userId: 'user:rm-gwen' });
const hr = (tenantId: string) => api.tokenFor({ tenantId, roles: ['hr'], userId: 'user:hr-sam' });
const manager = (tenantId: string, userId = `user:${MANAGER}`) =>
  api.tokenFor({ tenantId, roles: ['home-manager'], userId, managerId: MANAGER });

async function post(token: string, path: string, body: object, at?: string) {
  api.setNow(at ? new Date(at) : null);
  try {
    return await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  } finally {
    api.setNow(null);
  }
}
async function created(token: string, path: string, body: object, at?: string) {
  const response = await post(token, path, body, at);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response;
}
const get = (token: string, path: string, query: Record<string, string> = {}) =>
  api.http().get(path).query(query).set('Authorization', `Bearer ${token}`);

/** Plas Newydd, managed by mgr-siwan, misses EDU in July, August and September 2026: Stage 2. */
async function seedStage2(): Promise<string> {
  const tenant = `bryn-${randomUUID().slice(0, 8)}`;
  await created(admin(tenant), '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await created(
    admin(tenant),
    '/frameworks/presets/childrens-homes',
    { effectiveFrom: '2026-01' },
    '2025-12-01T09:00:00Z',
  );
  await created(admin(tenant), '/services', {
    serviceId: HOME,
    name: 'Plas Newydd',
    regionId: 'north-wales',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2026-01-01',
  });
  await created(admin(tenant), `/services/${HOME}/manager-appointments`, {
    managerId: MANAGER,
    from: '2026-01-01',
  });
  for (let month = 1; month <= 9; month++) {
    const period = `2026-${String(month).padStart(2, '0')}`;
    const next = `2026-${String(month + 1).padStart(2, '0')}`;
    await created(
      regionalManager(tenant),
      `/services/${HOME}/returns`,
      { period, values: { ...allMet, EDU: month >= 7 ? 70 : 93 } },
      `${next}-12T10:00:00Z`,
    );
  }
  await projections.caughtUp();
  return tenant;
}

const supportAction = (actionId: string, supportKind: string, title: string, dueOn: string) => ({
  actionId,
  title,
  owner: MANAGER,
  startOn: '2026-10-20',
  dueOn,
  target: { kind: 'capability-stage', managerId: MANAGER, entryId: STAGE_2, supportKind },
  description: `Agreed with ${MANAGER} in supervision`,
  milestones: [{ title: 'Booked', dueOn: '2026-10-30' }],
});

describe('a support plan on a Stage 2 entry, over HTTP', () => {
  let tenant: string;
  beforeAll(async () => {
    tenant = await seedStage2();
  });

  it('HR gives the Stage 2 entry a support plan of three actions, each a deadline of the manager', async () => {
    const timeline = await get(hr(tenant), `/capability/managers/${MANAGER}/timeline`);
    expect(timeline.body.entries.map((e: { entryId: string }) => e.entryId)).toContain(STAGE_2);

    const plans = [
      supportAction('act-course', 'training', 'Education planning course', '2026-11-27'),
      supportAction('act-mentor', 'mentoring', 'Mentoring by the manager of Tŷ Gwyn', '2026-12-18'),
      supportAction(
        'act-plan',
        'developmental-task',
        'Write the home’s education plan',
        '2026-11-13',
      ),
    ];
    const answers = [];
    for (const body of plans)
      answers.push((await created(hr(tenant), '/actions', body, '2026-10-20T10:00:00Z')).body);
    expect(
      answers.map((a) => [a.actionId, a.status, a.owner, a.deadlineKey, a.dataSubjectId]),
    ).toEqual([
      ['act-course', 'planned', MANAGER, 'action:act-course:2026-11-27', MANAGER],
      ['act-mentor', 'planned', MANAGER, 'action:act-mentor:2026-12-18', MANAGER],
      ['act-plan', 'planned', MANAGER, 'action:act-plan:2026-11-13', MANAGER],
    ]);
    await projections.caughtUp();

    const plan = await get(hr(tenant), '/actions', { managerId: MANAGER, entryId: STAGE_2 });
    expect(plan.status).toBe(200);
    expect(
      plan.body.actions.map((a: { actionId: string; supportKind: string; serviceId: string }) => [
        a.actionId,
        a.supportKind,
        a.serviceId,
      ]),
    ).toEqual([
      ['act-plan', 'developmental-task', HOME],
      ['act-course', 'training', HOME],
      ['act-mentor', 'mentoring', HOME],
    ]);

    const mine = await get(manager(tenant), '/actions/mine');
    expect(mine.body.actions.map((a: { actionId: string }) => a.actionId)).toEqual([
      'act-plan',
      'act-course',
      'act-mentor',
    ]);

    const deadlines = await get(hr(tenant), '/deadlines', { serviceId: HOME, view: 'all' });
    expect(
      deadlines.body.deadlines
        .filter((d: { kind: string }) => d.kind === 'action')
        .map((d: { key: string }) => d.key),
    ).toEqual([
      'action:act-plan:2026-11-13',
      'action:act-course:2026-11-27',
      'action:act-mentor:2026-12-18',
    ]);
  });

  it('shows the manager their action with its description; another home manager sees none of it', async () => {
    const own = await get(manager(tenant), '/actions/act-mentor');
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      description: `Agreed with ${MANAGER} in supervision`,
      milestones: [{ milestoneId: 'm1', title: 'Booked', dueOn: '2026-10-30', doneOn: null }],
    });
    const stranger = manager(tenant, 'user:mgr-other');
    expect((await get(stranger, '/actions/act-mentor')).status).toBe(404);
    expect((await get(stranger, '/actions', { managerId: MANAGER })).body.actions).toEqual([]);
    const refused = await post(stranger, '/actions/act-mentor/start', {});
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(PROBLEM_JSON);
  });

  it('lets the owner move their action on: milestone done, completed', async () => {
    await created(manager(tenant), '/actions/act-plan/milestones/m1/done', { on: '2026-10-28' });
    const done = await created(manager(tenant), '/actions/act-plan/completion', {
      on: '2026-11-10',
    });
    expect(done.body).toMatchObject({ status: 'completed', deadlineKey: null });
  });

  it('refuses bad input with 400 naming the field, and an entry not on the timeline with 404, writing nothing', async () => {
    const bad = await post(hr(tenant), '/actions', {
      ...supportAction('act-bad', 'coaching', 'x', '2026-11-27'),
    });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(JSON.stringify(bad.body)).toContain('target.supportKind');
    const unknown = await post(hr(tenant), '/actions', {
      ...supportAction('act-unknown', 'training', 'x', '2026-11-27'),
      target: {
        kind: 'capability-stage',
        managerId: MANAGER,
        entryId: `${HOME}.EDU.2026-07.s3`,
        supportKind: 'training',
      },
    });
    expect(unknown.status).toBe(404);
    expect(await store.readStream(`${tenant}:action:act-bad`)).toEqual([]);
    expect(await store.readStream(`${tenant}:action:act-unknown`)).toEqual([]);
  });

  it('re-dates an action: its new deadline is listed, the old one cancelled', async () => {
    const redated = await created(hr(tenant), '/actions/act-mentor/due-date', {
      dueOn: '2027-01-15',
      reason: 'Mentor away in December',
    });
    expect(redated.body.deadlineKey).toBe('action:act-mentor:2027-01-15');
    await projections.caughtUp();
    const deadlines = await get(hr(tenant), '/deadlines', { serviceId: HOME, view: 'all' });
    const mentoring = deadlines.body.deadlines.filter(
      (d: { subjectId: string }) => d.subjectId === 'act-mentor',
    );
    expect(mentoring.map((d: { key: string; status: string }) => [d.key, d.status])).toEqual([
      ['action:act-mentor:2026-12-18', 'cancelled'],
      ['action:act-mentor:2027-01-15', 'open'],
    ]);
  });
});
