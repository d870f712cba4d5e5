import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet } from '@kpi/testing';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * Unknown ids are not empty successes: an id of the caller's own tenant that names nothing is a
 * 404 problem naming it, and another tenant's id reads exactly as an unknown one. A known id
 * with nothing to show is still an empty answer.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
let tenant: string;
let other: string;

beforeAll(async () => {
  api = await startApiUnderTest('unknown_ids_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
  tenant = await seedTenant('ty-gwyn', 'north-wales', 'rm-gwen', 'mgr-siwan');
  // Another tenant with ids of its own: to the first tenant they are as unknown as made-up ones.
  other = await seedTenant('plas-arall', 'south-wales', 'rm-dafydd', 'mgr-elin');
  await projections.caughtUp();
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const admin = (tenantId: string) => api.tokenFor({ tenantId, roles: ['provider-admin'] });
const hr = (tenantId: string) => api.tokenFor({ tenantId, roles: ['hr'] });

async function created(token: string, path: string, body: object, at?: string) {
  api.setNow(at ? new Date(at) : null);
  try {
    const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
    expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
  } finally {
    api.setNow(null);
  }
}

/**
 * A tenant with a region, a home opened in March 2026 whose manager missed EDU that month (Stage 1), and a
 * second region with no homes and a second manager appointed who never missed anything.
 */
async function seedTenant(
  home: string,
  region: string,
  regionalManager: string,
  manager: string,
): Promise<string> {
  const id = `acme-${randomUUID().slice(0, 8)}`;
  const token = admin(id);
  await created(token, '/regions', {
    regionId: region,
    name: region,
    regionalManagerId: regionalManager,
  });
  await created(token, '/regions', {
    regionId: 'empty-region',
    name: 'Empty',
    regionalManagerId: 'rm-none',
  });
  await created(
    token,
    '/frameworks/presets/childrens-homes',
    { effectiveFrom: '2026-01' },
    '2025-12-01T09:00:00Z',
  );
  for (const [serviceId, regionId] of [
    [home, region],
    [`${home}-annexe`, region],
  ] as const) {
    await created(token, '/services', {
      serviceId,
      name: serviceId,
      regionId,
      serviceType: 'childrens-home',
      frameworkId: 'childrens-homes',
      openedOn: '2026-03-01',
    });
  }
  await created(token, `/services/${home}/manager-appointments`, {
    managerId: manager,
    from: '2026-03-01',
  });
  await created(token, `/services/${home}-annexe/manager-appointments`, {
    managerId: `${manager}-new`,
    from: '2026-03-01',
  });
  await created(
    api.tokenFor({ tenantId: id, roles: ['regional-manager'], userId: `user:${regionalManager}` }),
    `/services/${home}/returns`,
    { period: '2026-03', values: { ...allMet, EDU: 70 } },
    '2026-04-10T10:00:00Z',
  );
  return id;
}

const get = (path: string, query: Record<string, string> = {}) =>
  api
    .http()
    .get(path)
    .query(query)
    .set('Authorization', `Bearer ${hr(tenant)}`);

const span = { from: '2026-01', to: '2026-03' };

/** Each query, the unknown id, and the 404's detail. */
const unknown: [string, string, Record<string, string>, string][] = [
  [
    'the KPI grid, an unknown service',
    '/kpi-grid',
    { ...span, serviceId: 'home-99' },
    'No service home-99',
  ],
  ['the KPI grid as CSV', '/kpi-grid.csv', { ...span, serviceId: 'home-99' }, 'No service home-99'],
  [
    'the KPI grid as a workbook',
    '/kpi-grid.xlsx',
    { ...span, serviceId: 'home-99' },
    'No service home-99',
  ],
  [
    'the KPI grid, an unknown region',
    '/kpi-grid',
    { ...span, regionId: 'atlantis' },
    'No region atlantis',
  ],
  [
    'bonus compliance',
    '/bonus-compliance',
    { ...span, regionId: 'atlantis' },
    'No region atlantis',
  ],
  [
    'returns due',
    '/returns-due',
    { asOf: '2026-04-10', regionalManagerId: 'rm-nobody' },
    'No region has the regional manager rm-nobody',
  ],
  ['deadlines, an unknown service', '/deadlines', { serviceId: 'home-99' }, 'No service home-99'],
  ['deadlines, an unknown region', '/deadlines', { regionId: 'atlantis' }, 'No region atlantis'],
  [
    'capability counters, a manager',
    '/capability/counters',
    { managerId: 'mgr-nobody' },
    'No manager mgr-nobody',
  ],
  [
    'capability counters, a service',
    '/capability/counters',
    { serviceId: 'home-99' },
    'No service home-99',
  ],
  [
    'capability counters, a region',
    '/capability/counters',
    { regionId: 'atlantis' },
    'No region atlantis',
  ],
  [
    'stages by region',
    '/capability/stages-by-region',
    { regionId: 'atlantis' },
    'No region atlantis',
  ],
  ["a manager's timeline", '/capability/managers/mgr-nobody/timeline', {}, 'No manager mgr-nobody'],
  [
    "a return's history, an unknown service",
    '/services/home-99/returns/2026-03',
    {},
    'No service home-99',
  ],
];

describe('an id of the tenant that names nothing', () => {
  it.each(unknown)('%s: 404 problem+json naming it', async (_label, path, query, detail) => {
    const response = await get(path, query);

    expect({ status: response.status, detail: response.body.detail }).toEqual({
      status: 404,
      detail,
    });
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
  });

  it("a known service's month without a return: 404 that says so, not that the service is unknown", async () => {
    const response = await get('/services/ty-gwyn/returns/2026-02');

    expect(response.status).toBe(404);
    expect(response.body.detail).toBe('ty-gwyn has no return for 2026-02');
  });
});

describe("another tenant's ids", () => {
  /** The same query with the other tenant's id in place of the unknown one. */
  const theirs: [string, Record<string, string>, string][] = [
    ['/kpi-grid', { ...span, serviceId: 'plas-arall' }, 'No service plas-arall'],
    ['/kpi-grid.xlsx', { ...span, regionId: 'south-wales' }, 'No region south-wales'],
    ['/bonus-compliance', { ...span, regionId: 'south-wales' }, 'No region south-wales'],
    [
      '/returns-due',
      { regionalManagerId: 'rm-dafydd' },
      'No region has the regional manager rm-dafydd',
    ],
    ['/deadlines', { serviceId: 'plas-arall' }, 'No service plas-arall'],
    ['/capability/counters', { managerId: 'mgr-elin' }, 'No manager mgr-elin'],
    ['/capability/stages-by-region', { regionId: 'south-wales' }, 'No region south-wales'],
    ['/capability/managers/mgr-elin/timeline', {}, 'No manager mgr-elin'],
    ['/services/plas-arall/returns/2026-03', {}, 'No service plas-arall'],
  ];

  it.each(theirs)('%s %j: the same 404 as for an unknown id', async (path, query, detail) => {
    const response = await get(path, query);

    expect({ status: response.status, detail: response.body.detail }).toEqual({
      status: 404,
      detail,
    });
    expect(Object.keys(response.body).sort()).toEqual(
      Object.keys((await get('/capability/managers/mgr-nobody/timeline')).body).sort(),
    );
  });

  it('are known to their own tenant', async () => {
    const response = await api
      .http()
      .get('/capability/managers/mgr-elin/timeline')
      .set('Authorization', `Bearer ${hr(other)}`);

    expect(response.status).toBe(200);
    expect(response.body.entries).toHaveLength(1);
  });
});

describe('a known id with nothing to show', () => {
  it('a region without homes: an empty grid, bonus report and deadline list', async () => {
    const query = { ...span, regionId: 'empty-region' };

    expect((await get('/kpi-grid', query)).body).toMatchObject({ services: [] });
    expect((await get('/bonus-compliance', query)).body).toMatchObject({ services: [] });
    expect((await get('/deadlines', { regionId: 'empty-region' })).body).toMatchObject({
      deadlines: [],
    });
    expect((await get('/capability/counters', { regionId: 'empty-region' })).body).toEqual({
      counters: [],
      nextOffset: null,
    });
    const stages = await get('/capability/stages-by-region', { regionId: 'empty-region' });
    expect(stages.body.regions).toEqual([
      expect.objectContaining({ regionId: 'empty-region', managers: [] }),
    ]);
  });

  it('a regional manager whose region has no homes: nothing due', async () => {
    const response = await get('/returns-due', {
      asOf: '2026-04-10',
      regionalManagerId: 'rm-none',
    });

    expect(response.status).toBe(200);
    expect(response.body.regionalManagers).toEqual([]);
  });

  it('a manager appointed who never reached a stage: an empty timeline', async () => {
    const response = await get('/capability/managers/mgr-siwan-new/timeline');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ managerId: 'mgr-siwan-new', openStages: 0, entries: [] });
  });
});

describe('who is at which stage', () => {
  it('lists the managers of every region with their stage and the homes where it is open', async () => {
    const response = await get('/capability/stages-by-region');

    expect(response.status).toBe(200);
    const region = response.body.regions.find(
      (r: { regionId: string }) => r.regionId === 'north-wales',
    );
    expect(region).toMatchObject({ managersAtStage: { stage1: 1, stage2: 0, stage3: 0 } });
    expect(region.managers).toEqual([
      {
        managerId: 'mgr-siwan',
        stage: 1,
        reviewDue: false,
        homes: [{ serviceId: 'ty-gwyn', name: 'ty-gwyn' }],
        counters: [],
      },
    ]);
  });
});
