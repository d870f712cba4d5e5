import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@kpi/event-store';
import { rebuildProjection } from '@kpi/projections';
import { workforceProjection } from '@kpi/features/workforce';
import { eventTypeRegistry } from '@kpi/runtime';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * The staff register over HTTP, with the worker's projections running: starters, a leaver and
 * one-to-one supervisions at one home give its supervision compliance and quarterly turnover,
 * ready to be typed into a monthly return.
 */
let api: ApiUnderTest;
let store: PostgresEventStore;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('staff_e2e');
  store = new PostgresEventStore(api.pool, eventTypeRegistry());
  projections = await startProjections(api.pool, store);
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

/** Every request happens at this moment (commands and queries read `now` from the test clock). */
const NOW = new Date('2026-07-10T09:00:00Z');
const HOME = 'plas-newydd';

const admin = (tenantId: string) => api.tokenFor({ tenantId, roles: ['provider-admin'] });
const hr = (tenantId: string) => api.tokenFor({ tenantId, roles: ['hr'], userId: 'user:hr-sam' });
const homeManager = (tenantId: string) =>
  api.tokenFor({ tenantId, roles: ['home-manager'], userId: 'user:mgr-siwan' });
const commissioner = (tenantId: string) => api.tokenFor({ tenantId, roles: ['commissioner'] });

async function post(token: string, path: string, body: object) {
  api.setNow(NOW);
  try {
    return await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  } finally {
    api.setNow(null);
  }
}
async function created(token: string, path: string, body: object) {
  const response = await post(token, path, body);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response;
}
async function get(token: string, path: string, query: Record<string, string> = {}) {
  api.setNow(NOW);
  try {
    return await api.http().get(path).query(query).set('Authorization', `Bearer ${token}`);
  } finally {
    api.setNow(null);
  }
}
const eventCount = async () =>
  Number((await api.pool.query('SELECT count(*) FROM events')).rows[0].count);

const compliance = (token: string, on: string) =>
  get(token, `/services/${HOME}/workforce/supervision-compliance`, { on });
const turnover = (token: string, quarter: string) =>
  get(token, `/services/${HOME}/workforce/turnover`, { quarter });

const oneToOne = (tenant: string, superviseeId: string, date: string, kind = 'one-to-one') =>
  created(homeManager(tenant), '/supervisions', {
    superviseeId,
    supervisorId: 'mgr-siwan',
    date,
    kind,
  });

/**
 * Plas Newydd's staff in April–June 2026 (2026-27 Q1):
 * - cw-alys, in post since 2025, had a one-to-one on 20 May;
 * - cw-bryn, since 2025, last had one on 10 February (overdue by 30 June; a group session
 *   in June does not count);
 * - cw-ceri, since 2025, had one on 1 June, recorded before she was put on the register;
 * - cw-dai left on 15 May;
 * - cw-efa started on 1 May: not yet due a one-to-one on 30 June.
 */
async function seedHome(): Promise<string> {
  const tenant = `bryn-${randomUUID().slice(0, 8)}`;
  await created(admin(tenant), '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await created(admin(tenant), '/frameworks/presets/childrens-homes', { effectiveFrom: '2026-01' });
  await created(admin(tenant), '/services', {
    serviceId: HOME,
    name: 'Plas Newydd',
    regionId: 'north-wales',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2024-01-01',
  });
  await oneToOne(tenant, 'cw-ceri', '2026-06-01'); // before she is registered
  const register = (staffId: string, startedOn: string, role = 'care-worker') =>
    created(hr(tenant), '/staff', { staffId, serviceId: HOME, role, startedOn });
  await register('cw-alys', '2025-01-06');
  await register('cw-bryn', '2025-03-03', 'senior-care-worker');
  await register('cw-ceri', '2025-06-02');
  await register('cw-dai', '2025-02-03');
  await created(hr(tenant), '/staff', {
    staffId: 'cw-efa',
    serviceId: HOME,
    role: 'care-worker',
    startedOn: '2026-05-01',
    dbsCheckedOn: '2026-04-14',
  });
  await oneToOne(tenant, 'cw-alys', '2026-05-20');
  await oneToOne(tenant, 'cw-bryn', '2026-02-10');
  await oneToOne(tenant, 'cw-bryn', '2026-06-10', 'group');
  await oneToOne(tenant, 'cw-dai', '2026-05-01');
  await created(hr(tenant), '/staff/cw-dai/leaving', {
    leftOn: '2026-05-15',
    reason: 'Resigned to take up a nursing course',
  });
  await projections.caughtUp();
  return tenant;
}

describe('the staff register over HTTP', () => {
  let tenant: string;
  beforeAll(async () => {
    tenant = await seedHome();
  });

  it('gives supervision compliance on a date, as a KPI value with its parts', async () => {
    const response = await compliance(hr(tenant), '2026-06-30');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      serviceId: HOME,
      on: '2026-06-30',
      windowStartsAfter: '2026-03-30',
      inPost: 4,
      notYetDue: 1,
      numerator: 2,
      denominator: 3,
      value: 66.7,
      overdue: ['cw-bryn'],
    });
    // On 1 May: cw-dai (supervised that day) and cw-bryn (10 February) were within three
    // months; cw-alys's and cw-ceri's sessions were still to come; cw-efa had just started.
    expect((await compliance(homeManager(tenant), '2026-05-01')).body).toMatchObject({
      inPost: 5,
      notYetDue: 1,
      numerator: 2,
      denominator: 4,
      value: 50,
      overdue: ['cw-alys', 'cw-ceri'],
    });
  });

  it('gives turnover for a UK financial quarter: leavers ÷ average headcount', async () => {
    const response = await turnover(hr(tenant), '2026-27 Q1');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      serviceId: HOME,
      quarter: '2026-27 Q1',
      firstDay: '2026-04-01',
      lastDay: '2026-06-30',
      headcountAtStart: 4,
      headcountAtEnd: 4,
      joiners: 1,
      numerator: 1,
      denominator: 4,
      value: 25,
      provisional: false,
    });
    expect((await turnover(hr(tenant), '2026-27 Q2')).body).toMatchObject({
      headcountAtStart: 4,
      numerator: 0,
      value: 0,
      provisional: true,
    });
  });

  it('records appraisals, training and DBS checks, and refuses what is already recorded', async () => {
    for (const [path, body] of [
      ['/staff/cw-alys/appraisals', { heldOn: '2026-04-20', appraiserId: 'mgr-siwan' }],
      ['/staff/cw-efa/training', { course: 'care-certificate', completedOn: '2026-06-20' }],
      ['/staff/cw-alys/training', { course: 'safeguarding', completedOn: '2026-02-02' }],
      ['/staff/cw-alys/dbs-checks', { checkedOn: '2026-03-03' }],
    ] as const) {
      const response = await created(hr(tenant), path, body);
      expect(response.body.events).toHaveLength(1);
    }
    const again = await created(hr(tenant), '/staff/cw-alys/dbs-checks', {
      checkedOn: '2026-03-03',
    });
    expect(again.body.events).toEqual([]);

    const twice = await post(hr(tenant), '/staff', {
      staffId: 'cw-alys',
      serviceId: HOME,
      role: 'care-worker',
      startedOn: '2025-01-06',
    });
    expect(twice.status).toBe(409);
    expect(twice.headers['content-type']).toMatch(PROBLEM_JSON);
    const leftTwice = await post(hr(tenant), '/staff/cw-dai/leaving', {
      leftOn: '2026-05-20',
      reason: 'x',
    });
    expect(leftTwice.status).toBe(409);
    const unknown = await post(hr(tenant), '/staff/cw-nobody/appraisals', {
      heldOn: '2026-04-20',
      appraiserId: 'mgr-siwan',
    });
    expect(unknown.status).toBe(404);
  });

  it('answers bad input with a problem naming the field, and stores nothing', async () => {
    const before = await eventCount();
    const cases: [string, object, string][] = [
      [
        '/staff',
        { staffId: 'cw-x', serviceId: HOME, role: 'chef', startedOn: '2026-01-01' },
        'role',
      ],
      [
        '/staff',
        { staffId: 'cw-x', serviceId: HOME, role: 'care-worker', startedOn: '2026-07-11' },
        'startedOn',
      ],
      [
        '/staff',
        { staffId: 'CW X', serviceId: HOME, role: 'care-worker', startedOn: '2026-01-01' },
        'staffId',
      ],
      ['/staff/cw-alys/appraisals', { heldOn: '2025-01-05', appraiserId: 'mgr-siwan' }, 'heldOn'],
      [
        '/staff/cw-dai/training',
        { course: 'safeguarding', completedOn: '2026-06-01' },
        'completedOn',
      ],
      ['/staff/cw-alys/training', { course: 'first-aid', completedOn: '2026-06-01' }, 'course'],
      ['/staff/cw-alys/dbs-checks', { checkedOn: '03/03/2026' }, 'checkedOn'],
      ['/staff/cw-alys/leaving', { leftOn: '2026-06-01', reason: '' }, 'reason'],
    ];
    for (const [path, body, field] of cases) {
      const response = await post(hr(tenant), path, body);
      expect({ path, field, status: response.status }).toEqual({ path, field, status: 400 });
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    for (const [response, field] of [
      [await compliance(hr(tenant), '2026-02-30'), 'on'],
      [await compliance(hr(tenant), '2026-07-11'), 'on'],
      [await turnover(hr(tenant), '2026 Q1'), 'quarter'],
      [await get(hr(tenant), `/services/${HOME}/workforce/turnover`), 'quarter'],
    ] as const) {
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
    }
    expect(await eventCount()).toBe(before);
  });

  it('answers malformed ids, bodies and queries with a 400 problem naming the field, and stores nothing', async () => {
    const before = await eventCount();
    const huge = 'x'.repeat(5000);
    const staffMember = {
      staffId: 'cw-x',
      serviceId: HOME,
      role: 'care-worker',
      startedOn: '2026-01-01',
    };
    const cases: [string, unknown, string][] = [
      ['/staff', { ...staffMember, startedOn: '2026-02-29' }, 'startedOn'],
      ['/staff', { ...staffMember, startedOn: ['2026-01-01'] }, 'startedOn'],
      ['/staff', { ...staffMember, dbsCheckedOn: 20251210 }, 'dbsCheckedOn'],
      ['/staff', { ...staffMember, role: ['care-worker'] }, 'role'],
      ['/staff', { ...staffMember, staffId: huge }, 'staffId'],
      ['/staff', { ...staffMember, staffId: 7 }, 'staffId'],
      ['/staff', { ...staffMember, serviceId: { id: HOME } }, 'serviceId'],
      ['/staff/CW%20X/leaving', { leftOn: '2026-06-01', reason: 'x' }, 'staffId'],
      [
        `/staff/${'a'.repeat(3000)}/appraisals`,
        { heldOn: '2026-04-20', appraiserId: 'mgr-siwan' },
        'staffId',
      ],
      [
        '/staff/cw-alys/appraisals',
        { heldOn: '2026-04-20', appraiserId: { id: 'mgr' } },
        'appraiserId',
      ],
      ['/staff/cw-alys/appraisals', { heldOn: '2026-04-20', appraiserId: huge }, 'appraiserId'],
      ['/staff/cw-alys/appraisals', { heldOn: '2026-04-31', appraiserId: 'mgr-siwan' }, 'heldOn'],
      ['/staff/cw-alys/leaving', { leftOn: ['2026-06-01'], reason: 'x' }, 'leftOn'],
      ['/staff/cw-alys/leaving', { leftOn: '2026-06-01', reason: 'x'.repeat(501) }, 'reason'],
      [
        '/staff/cw-alys/training',
        { course: ['safeguarding'], completedOn: '2026-06-01' },
        'course',
      ],
      ['/staff/cw-alys/dbs-checks', { checkedOn: null }, 'checkedOn'],
    ];
    for (const [path, body, field] of cases) {
      const response = await post(hr(tenant), path, body as object);
      expect({ path, field, status: response.status }).toEqual({ path, field, status: 400 });
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect({ path, fields: response.body.errors.map((e: { field: string }) => e.field) }).toEqual(
        {
          path,
          fields: [field],
        },
      );
    }
    const anArray = await post(hr(tenant), '/staff', [staffMember]);
    expect(anArray.status).toBe(400);
    expect(anArray.headers['content-type']).toMatch(PROBLEM_JSON);
    const queries: [string, string, string][] = [
      [`/services/${HOME}/workforce/supervision-compliance`, 'on=2026-06-30&on=2026-06-01', 'on'],
      [`/services/${HOME}/workforce/supervision-compliance`, 'on=2026-6-30', 'on'],
      [`/services/${HOME}/workforce/supervision-compliance`, 'on=', 'on'],
      [`/services/${HOME}/workforce/supervision-compliance`, 'on[a]=2026-06-30', 'on[a]'],
      [`/services/${HOME}/workforce/supervision-compliance`, 'on=2026-06-30&limit=5', 'limit'],
      [
        `/services/${HOME}/workforce/turnover`,
        'quarter=2026-27%20Q1&quarter=2026-27%20Q2',
        'quarter',
      ],
      [`/services/${HOME}/workforce/turnover`, 'quarter=2026-27%20Q0', 'quarter'],
      [`/services/${HOME}/workforce/turnover`, 'quarter=9999-00%20Q4', 'quarter'],
      [`/services/${HOME}/workforce/turnover`, 'quarter=0000-01%20Q1', 'quarter'],
      ['/services/PLAS%20NEWYDD/workforce/turnover', 'quarter=2026-27%20Q1', 'serviceId'],
      [
        `/services/${'p'.repeat(3000)}/workforce/supervision-compliance`,
        'on=2026-06-30',
        'serviceId',
      ],
    ];
    for (const [path, query, field] of queries) {
      api.setNow(NOW);
      let response;
      try {
        response = await api
          .http()
          .get(`${path}?${query}`)
          .set('Authorization', `Bearer ${hr(tenant)}`);
      } finally {
        api.setNow(null);
      }
      expect({ path, query, status: response.status }).toEqual({ path, query, status: 400 });
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect({
        query,
        fields: response.body.errors.map((e: { field: string }) => e.field),
      }).toEqual({
        query,
        fields: [field],
      });
    }
    expect(await eventCount()).toBe(before);
  });

  it('reads "today" in London: just before midnight UTC in summer it is already the next day', async () => {
    const path = `/services/${HOME}/workforce/supervision-compliance`;
    api.setNow(new Date('2026-06-30T23:30:00Z'));
    try {
      const byDefault = await api
        .http()
        .get(path)
        .set('Authorization', `Bearer ${hr(tenant)}`);
      expect(byDefault.status).toBe(200);
      expect(byDefault.body.on).toBe('2026-07-01');
      const tomorrowInUtc = await api
        .http()
        .get(path)
        .query({ on: '2026-07-01' })
        .set('Authorization', `Bearer ${hr(tenant)}`);
      expect(tomorrowInUtc.status).toBe(200);
      const tomorrowInLondon = await api
        .http()
        .get(path)
        .query({ on: '2026-07-02' })
        .set('Authorization', `Bearer ${hr(tenant)}`);
      expect(tomorrowInLondon.status).toBe(400);
      expect(tomorrowInLondon.body.errors).toEqual([
        { field: 'on', reason: 'is in the future (today is 2026-07-01)' },
      ]);
    } finally {
      api.setNow(null);
    }
  });

  it('lets a commissioner neither post nor read the register', async () => {
    const before = await eventCount();
    const register = await post(commissioner(tenant), '/staff', {
      staffId: 'cw-x',
      serviceId: HOME,
      role: 'care-worker',
      startedOn: '2026-01-01',
    });
    expect(register.status).toBe(403);
    expect(register.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(
      (
        await post(commissioner(tenant), '/staff/cw-alys/leaving', {
          leftOn: '2026-06-01',
          reason: 'x',
        })
      ).status,
    ).toBe(403);
    expect((await compliance(commissioner(tenant), '2026-06-30')).status).toBe(403);
    expect(await eventCount()).toBe(before);
  });

  it('shows another tenant nothing', async () => {
    const other = `other-${randomUUID().slice(0, 8)}`;
    expect((await compliance(hr(other), '2026-06-30')).status).toBe(404);
    expect((await turnover(hr(other), '2026-27 Q1')).status).toBe(404);
    const register = await post(hr(other), '/staff', {
      staffId: 'cw-alys',
      serviceId: HOME,
      role: 'care-worker',
      startedOn: '2025-01-06',
    });
    expect(register.status).toBe(404);
    const leaving = await post(hr(other), '/staff/cw-alys/leaving', {
      leftOn: '2026-06-01',
      reason: 'x',
    });
    expect(leaving.status).toBe(404);
  });

  it('gives the same figures when the read model is rebuilt from the log', async () => {
    const before = await compliance(hr(tenant), '2026-06-30');
    await rebuildProjection(api.pool, store, workforceProjection);
    await projections.caughtUp();
    expect((await compliance(hr(tenant), '2026-06-30')).body).toEqual(before.body);
  });
});
