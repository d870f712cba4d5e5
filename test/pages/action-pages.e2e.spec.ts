import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { stageEntered } from '@kpi/testing/fixtures';
import { startApiUnderTest, type ApiUnderTest } from '../api/support/api-under-test';
import { startProjections, type ProjectionsInProcess } from '../api/support/worker-in-process';

/**
 * The action pages (docs/decisions/0039): HR opens a Stage 2 entry's support plan from the
 * timeline and adds an action with a form (a mistake named beside its field); the manager finds
 * it in "My actions", starts it and completes it; the risk register lists by residual score.
 */
let api: ApiUnderTest;
let store: PostgresEventStore;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('action_pages_e2e');
  store = new PostgresEventStore(api.pool, eventTypeRegistry());
  projections = await startProjections(api.pool, store);
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

/** mgr-a's Stage 2 for EDU at home-02 (fixtures: the run began in January). */
const stage2 = stageEntered({ period: '2026-03', misses: 3 });
const ENTRY = stage2.data.entryId;
const PLAN = `/app/capability/managers/mgr-a/timeline/${encodeURIComponent(ENTRY)}/support-plan`;

const getPage = (token: string, path: string, cookies: string[] = []) =>
  api.http().get(path).set('Authorization', `Bearer ${token}`).set('Cookie', cookies);

async function openForm(token: string, path: string) {
  const page = await getPage(token, path);
  expect(page.status).toBe(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const formKey = /name="_formKey" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const cookies = [page.headers['set-cookie'] ?? []].flat().map((c: string) => c.split(';')[0]!);
  return { page, csrf, formKey, cookies };
}

const postForm = (token: string, path: string, cookies: string[], form: [string, string][]) =>
  api
    .http()
    .post(path)
    .set('Authorization', `Bearer ${token}`)
    .set('Cookie', cookies)
    .type('form')
    .send(new URLSearchParams(form).toString());

async function tenantAtStage2(): Promise<string> {
  const tenantId = `pages-${randomUUID().slice(0, 8)}`;
  await store.append(
    `${tenantId}:capability:mgr-a:home-02:EDU`,
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
  await projections.caughtUp();
  return tenantId;
}

describe('the action pages', () => {
  it('HR adds an action to a Stage 2 entry’s support plan; the manager starts and completes it', async () => {
    const tenant = await tenantAtStage2();
    const hr = api.tokenFor({ tenantId: tenant, roles: ['hr'], userId: 'user:hr-sam' });
    const timeline = await getPage(hr, '/app/capability/managers/mgr-a/timeline');
    expect(timeline.text).toContain(`href="${PLAN}"`);

    const form = await openForm(hr, PLAN);
    const fields = (supportKind: string): [string, string][] => [
      ['_csrf', form.csrf],
      ['_formKey', form.formKey],
      ['title', 'Education planning course'],
      ['supportKind', supportKind],
      ['owner', 'mgr-a'],
      ['startOn', '2026-04-10'],
      ['dueOn', '2099-05-29'],
      ['description', 'Booked with Carys'],
    ];
    const refused = await postForm(hr, PLAN, form.cookies, [
      ...fields('').filter(([name]) => name !== 'supportKind'),
    ]);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('There is a problem');
    expect(refused.text).toContain('href="#supportKind"');

    const added = await postForm(hr, PLAN, form.cookies, fields('training'));
    expect(added.status).toBe(303);
    await projections.caughtUp();
    const plan = await getPage(hr, PLAN);
    expect(plan.text).toContain('Education planning course');
    expect(plan.text).toContain('Training');
    // HR owns none, but sees every action still to do.
    const hrActions = await getPage(hr, '/app/actions');
    expect(hrActions.text).toContain('You have no actions to do.');
    expect(hrActions.text).toMatch(/data-every-action[\s\S]*Education planning course/);

    const manager = api.tokenFor({
      tenantId: tenant,
      roles: ['home-manager'],
      userId: 'user:mgr-a',
    });
    const mine = await getPage(manager, '/app/actions');
    const href = /href="(\/app\/actions\/[^"]+)">Education planning course/.exec(mine.text)?.[1];
    expect(href).toBeDefined();
    const page = await openForm(manager, href!);
    expect(page.page.text).toContain('Booked with Carys');
    const started = await postForm(manager, `${href}/start`, page.cookies, [
      ['_csrf', page.csrf],
      ['_formKey', `${page.formKey}-start`],
    ]);
    expect(started.status).toBe(303);
    const completed = await postForm(manager, `${href}/completion`, page.cookies, [
      ['_csrf', page.csrf],
      ['_formKey', `${page.formKey}-complete`],
    ]);
    expect(completed.status).toBe(303);
    await projections.caughtUp();
    expect((await getPage(manager, href!)).text).toMatch(/data-status>Completed</);
    expect((await getPage(manager, '/app/actions')).text).toContain('You have no actions to do.');
  });

  it('lets the owner mark a milestone done from the action page; its title is shown as text', async () => {
    const tenant = await tenantAtStage2();
    const hr = api.tokenFor({ tenantId: tenant, roles: ['hr'], userId: 'user:hr-sam' });
    await api
      .http()
      .post('/actions')
      .set('Authorization', `Bearer ${hr}`)
      .send({
        actionId: 'act-1',
        title: 'Mentoring',
        owner: 'mgr-a',
        startOn: '2026-04-10',
        dueOn: '2099-05-29',
        target: {
          kind: 'capability-stage',
          managerId: 'mgr-a',
          entryId: ENTRY,
          supportKind: 'mentoring',
        },
        milestones: [{ title: '<b>First session</b>', dueOn: '2099-04-17' }],
      })
      .expect(201);
    await projections.caughtUp();
    const manager = api.tokenFor({
      tenantId: tenant,
      roles: ['home-manager'],
      userId: 'user:mgr-a',
    });
    const page = await openForm(manager, '/app/actions/act-1');
    expect(page.page.text).toContain('&lt;b&gt;First session&lt;/b&gt;');
    expect(page.page.text).not.toContain('<b>First session</b>');
    const done = await postForm(manager, '/app/actions/act-1/milestones/m1/done', page.cookies, [
      ['_csrf', page.csrf],
      ['_formKey', `${page.formKey}-m1`],
    ]);
    expect(done.status).toBe(303);
    await projections.caughtUp();
    const after = await getPage(manager, '/app/actions/act-1');
    expect(after.text).toMatch(/data-milestone="m1"[\s\S]*?\d{4}-\d{2}-\d{2}\s*<\/td>/);
    expect(after.text).toContain('Mark this action complete');
    const stranger = api.tokenFor({
      tenantId: tenant,
      roles: ['home-manager'],
      userId: 'user:mgr-b',
    });
    expect((await getPage(stranger, '/app/actions/act-1')).status).toBe(404);
  });

  it('lets HR re-date an action (a wrong date named beside its field), hand it over and cancel it', async () => {
    const tenant = await tenantAtStage2();
    const hr = api.tokenFor({ tenantId: tenant, roles: ['hr'], userId: 'user:hr-sam' });
    await api
      .http()
      .post('/actions')
      .set('Authorization', `Bearer ${hr}`)
      .send({
        actionId: 'act-1',
        title: 'Mentoring',
        owner: 'mgr-a',
        startOn: '2026-04-10',
        dueOn: '2099-05-29',
        target: {
          kind: 'capability-stage',
          managerId: 'mgr-a',
          entryId: ENTRY,
          supportKind: 'mentoring',
        },
      })
      .expect(201);
    await projections.caughtUp();
    const page = await openForm(hr, '/app/actions/act-1');
    expect(page.page.text).toContain('Change the due date');
    const form = (fields: [string, string][]): [string, string][] => [
      ['_csrf', page.csrf],
      ['_formKey', `${page.formKey}-${randomUUID()}`],
      ...fields,
    ];
    const refused = await postForm(
      hr,
      '/app/actions/act-1/due-date',
      page.cookies,
      form([['dueOn', '2026-02-30']]),
    );
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('href="#newDueOn"');
    expect(refused.text).toContain('value="2026-02-30"');
    const moved = await postForm(
      hr,
      '/app/actions/act-1/due-date',
      page.cookies,
      form([
        ['dueOn', '2099-06-30'],
        ['reason', 'Mentor away'],
      ]),
    );
    expect(moved.status).toBe(303);
    await projections.caughtUp();
    expect((await getPage(hr, '/app/actions/act-1')).text).toContain('2099-06-30');
    expect((await getPage(hr, '/app/actions/act-1')).text).toContain(`href="${PLAN}"`);
    const badOwner = await postForm(
      hr,
      '/app/actions/act-1/owner',
      page.cookies,
      form([['owner', 'not an id!']]),
    );
    expect(badOwner.status).toBe(400);
    expect(badOwner.text).toContain('href="#newOwner"');
    const handedOver = await postForm(
      hr,
      '/app/actions/act-1/owner',
      page.cookies,
      form([['owner', 'rm-gwen']]),
    );
    expect(handedOver.status).toBe(303);
    await projections.caughtUp();
    expect((await getPage(hr, '/app/actions/act-1')).text).toMatch(/Owner[\s\S]*?rm-gwen/);
    const cancelled = await postForm(
      hr,
      '/app/actions/act-1/cancellation',
      page.cookies,
      form([['cancelReason', 'Stage withdrawn']]),
    );
    expect(cancelled.status).toBe(303);
    await projections.caughtUp();
    const after = await getPage(hr, '/app/actions/act-1');
    expect(after.text).toMatch(/data-status>Cancelled</);
    expect(after.text).not.toContain('Change the due date');
    // The owner may not re-date (403).
    const manager = api.tokenFor({
      tenantId: tenant,
      roles: ['home-manager'],
      userId: 'user:mgr-a',
    });
    expect(
      (
        await postForm(
          manager,
          '/app/actions/act-1/due-date',
          page.cookies,
          form([['dueOn', '2099-07-30']]),
        )
      ).status,
    ).toBe(403);
  });

  it('lists the risk register by residual score with its RAG', async () => {
    const tenant = `pages-${randomUUID().slice(0, 8)}`;
    const admin = api.tokenFor({ tenantId: tenant, roles: ['provider-admin'] });
    const risk = (riskId: string, residual: { likelihood: number; impact: number }) =>
      api
        .http()
        .post('/risks')
        .set('Authorization', `Bearer ${admin}`)
        .send({
          riskId,
          title: `Risk ${riskId}`,
          owner: 'rm-gwen',
          category: 'financial',
          inherent: { likelihood: 5, impact: 5 },
          residual,
          controls: 'Monthly monitoring',
          reviewOn: '2099-01-01',
        })
        .expect(201);
    await risk('risk-low', { likelihood: 1, impact: 2 });
    await risk('risk-high', { likelihood: 4, impact: 4 });
    await projections.caughtUp();
    const page = await getPage(admin, '/app/risks');
    expect(page.status).toBe(200);
    const order = [...page.text.matchAll(/data-risk="([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['risk-high', 'risk-low']);
    expect(page.text).toContain('govuk-tag--red');

    // Raised with the form: a residual above the inherent is named beside its field.
    const form = await openForm(admin, '/app/risks');
    const fields = (residualImpact: string): [string, string][] => [
      ['_csrf', form.csrf],
      ['_formKey', `${form.formKey}-${residualImpact}`],
      ['title', 'Staff turnover'],
      ['owner', 'rm-gwen'],
      ['category', 'workforce'],
      ['inherentLikelihood', '3'],
      ['inherentImpact', '3'],
      ['residualLikelihood', '3'],
      ['residualImpact', residualImpact],
      ['controls', 'Exit interviews'],
      ['reviewOn', '2099-03-01'],
    ];
    const refused = await postForm(admin, '/app/risks', form.cookies, fields('5'));
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('href="#residualLikelihood"');
    expect(refused.text).toContain('value="Staff turnover"');
    const raised = await postForm(admin, '/app/risks', form.cookies, fields('2'));
    expect(raised.status).toBe(303);
    await projections.caughtUp();
    const after = await getPage(admin, '/app/risks');
    expect([...after.text.matchAll(/data-risk="([^"]+)"/g)].map((m) => m[1])).toHaveLength(3);
    expect(after.text).toContain('Staff turnover');
  });
});
