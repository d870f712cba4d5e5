import { randomUUID } from 'node:crypto';
import type { Role } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { stageEntered } from '@kpi/testing/fixtures';
import type { Browser } from 'playwright-core';
import { startProjections, type ProjectionsInProcess } from '../api/support/worker-in-process';
import { expectNoSeriousAccessibilityViolations } from './support/accessibility';
import { startApiForBrowser, type ApiInBrowser } from './support/api-in-browser';
import { connectToSharedBrowser, openPage } from './support/shared-browser';

/** The action pages and the risk register in a real browser, with data on them, checked by axe. */
let browser: Browser;
let api: ApiInBrowser;
let projections: ProjectionsInProcess;
let store: PostgresEventStore;
beforeAll(async () => {
  [browser, api] = await Promise.all([
    connectToSharedBrowser(),
    startApiForBrowser('browser_actions'),
  ]);
  store = new PostgresEventStore(api.pool, eventTypeRegistry());
  projections = await startProjections(api.pool, store);
});
afterAll(async () => {
  await projections?.stop();
  await Promise.all([browser?.close(), api?.close()]);
});

const tenant = `bryn-${randomUUID().slice(0, 6)}`;
const stage2 = stageEntered({ period: '2026-03', misses: 3 });
const as = (role: Role, userId?: string) =>
  api.tokenFor({ tenantId: tenant, roles: [role], ...(userId ? { userId } : {}) });

beforeAll(async () => {
  await store.append(
    `${tenant}:capability:mgr-a:home-02:EDU`,
    [
      {
        eventId: randomUUID(),
        type: stage2.type,
        data: stage2.data,
        metadata: {
          tenantId: tenant,
          actor: 'system:escalation',
          correlationId: null,
          causationId: null,
          commandId: randomUUID(),
        },
      },
    ],
    'any',
  );
  const planned = await api
    .http()
    .post('/actions')
    .set('Authorization', `Bearer ${as('hr', 'user:hr-sam')}`)
    .send({
      actionId: 'act-course',
      title: 'Education planning course',
      owner: 'mgr-a',
      startOn: '2026-04-10',
      dueOn: '2099-05-29',
      target: {
        kind: 'capability-stage',
        managerId: 'mgr-a',
        entryId: stage2.data.entryId,
        supportKind: 'training',
      },
      description: 'Booked with the county’s trainer',
      milestones: [{ title: 'Booked', dueOn: '2099-04-17' }],
    });
  expect(planned.status).toBe(201);
  const risk = await api
    .http()
    .post('/risks')
    .set('Authorization', `Bearer ${as('provider-admin')}`)
    .send({
      riskId: 'risk-continuity',
      title: 'Business disruption stops essential services',
      owner: 'rm-gwen',
      category: 'business-continuity',
      inherent: { likelihood: 4, impact: 5 },
      residual: { likelihood: 2, impact: 4 },
      controls: 'Business Continuity Plans kept up to date',
      reviewOn: '2099-02-01',
    });
  expect(risk.status).toBe(201);
  await projections.caughtUp();
});

const PAGES: [string, () => string, () => string][] = [
  [
    'HR: a stage entry’s support plan',
    () => as('hr', 'user:hr-sam'),
    () =>
      `/app/capability/managers/mgr-a/timeline/${encodeURIComponent(stage2.data.entryId)}/support-plan`,
  ],
  ['a manager: my actions', () => as('home-manager', 'user:mgr-a'), () => '/app/actions'],
  ['HR: my actions and every action', () => as('hr', 'user:hr-sam'), () => '/app/actions'],
  ['a manager: an action', () => as('home-manager', 'user:mgr-a'), () => '/app/actions/act-course'],
  [
    'HR: an action, with the forms to change it',
    () => as('hr', 'user:hr-sam'),
    () => '/app/actions/act-course',
  ],
  ['the risk register', () => as('provider-admin'), () => '/app/risks'],
];

describe('the action pages in a real browser', () => {
  it.each(PAGES)('%s opens with no serious accessibility violation', async (_name, token, path) => {
    const { page, context, status } = await openPage(browser, `${api.baseUrl}${path()}`, {
      bearerToken: token(),
    });
    try {
      expect(status).toBe(200);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await expectNoSeriousAccessibilityViolations(page);
    } finally {
      await context.close();
    }
  });
});
