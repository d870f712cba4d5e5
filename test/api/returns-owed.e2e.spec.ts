import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * A service owes a return only for the months its framework collects, and only those can be
 * overdue (docs/decisions/0023-returns-owed-by-collection.md), over HTTP: a council day service
 * judged by a quarterly-only framework owes the quarter ends (Jun, Sep, Dec, Mar), is refused a
 * return for any other month, and its quarter-end return is accepted.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('returns_owed_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const admin = (tenantId: string) => api.tokenFor({ tenantId, roles: ['provider-admin'] });
const officer = (tenantId: string) =>
  api.tokenFor({ tenantId, roles: ['regional-manager'], userId: 'user:rm-ana' });
const post = (token: string, path: string, body: object) =>
  api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
async function created(token: string, path: string, body: object) {
  const response = await post(token, path, body);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response;
}
const returnsDue = (tenant: string, asOf: string) =>
  api
    .http()
    .get('/returns-due')
    .query({ asOf })
    .set('Authorization', `Bearer ${officer(tenant)}`);
async function eventCount(): Promise<number> {
  const { rows } = await api.pool.query<{ count: string }>('SELECT count(*) FROM events');
  return Number(rows[0]!.count);
}

/** A council with one day service, opened 1 April 2026, judged by a quarterly-only framework. */
async function councilWithQuarterlyFramework(): Promise<string> {
  const tenant = `council-${randomUUID().slice(0, 8)}`;
  await created(admin(tenant), '/regions', {
    regionId: 'east',
    name: 'East',
    regionalManagerId: 'rm-ana',
  });
  await created(admin(tenant), '/frameworks/business-plan/versions', {
    name: 'Business plan',
    effectiveFrom: '2026-04',
    indicators: [
      {
        code: 'EET',
        name: 'Care leavers in education, employment or training',
        kind: 'data-only',
        unit: 'count',
        direction: 'higher-is-better',
        periodicity: 'quarterly',
        aggregation: 'sum',
      },
    ],
  });
  await created(admin(tenant), '/services', {
    serviceId: 'day-01',
    name: 'Day service 1',
    regionId: 'east',
    serviceType: 'day-service',
    frameworkId: 'business-plan',
    openedOn: '2026-04-01',
  });
  return tenant;
}

describe('returns owed by a quarterly-only framework', () => {
  it('lists only the quarter-end months as owed, each overdue after the 20th of the next month', async () => {
    const tenant = await councilWithQuarterlyFramework();
    await projections.caughtUp();

    const response = await returnsDue(tenant, '2026-11-10');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      lastEndedMonth: '2026-10',
      regionalManagers: [
        {
          regionalManagerId: 'rm-ana',
          outstanding: 2,
          overdue: 2,
          services: [
            {
              serviceId: 'day-01',
              returns: [
                { period: '2026-06', dueDate: '2026-07-20', overdue: true },
                { period: '2026-09', dueDate: '2026-10-20', overdue: true },
              ],
            },
          ],
        },
      ],
    });
  });

  it('refuses a return for a month the framework does not collect (400 naming period), storing nothing', async () => {
    const tenant = await councilWithQuarterlyFramework();
    const before = await eventCount();

    const response = await post(officer(tenant), '/services/day-01/returns', {
      period: '2026-08',
      values: { EET: 3 },
    });

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body.errors).toEqual([
      {
        field: 'period',
        reason: expect.stringContaining(
          'does not collect 2026-08: it collects Jun, Sep, Dec and Mar',
        ),
      },
    ]);
    expect(await eventCount()).toBe(before);
  });

  it('accepts a quarter-end return, which is then no longer owed', async () => {
    const tenant = await councilWithQuarterlyFramework();

    const response = await created(officer(tenant), '/services/day-01/returns', {
      period: '2026-06',
      values: { EET: 3 },
    });
    expect(response.body).toMatchObject({ period: '2026-06', dueDate: '2026-07-20', late: true });
    await projections.caughtUp();

    const due = await returnsDue(tenant, '2026-11-10');
    expect(due.body.regionalManagers[0].services[0].returns).toEqual([
      { period: '2026-09', dueDate: '2026-10-20', overdue: true },
    ]);
    expect(due.body.regionalManagers[0]).toMatchObject({ outstanding: 1, overdue: 1 });
  });
});
