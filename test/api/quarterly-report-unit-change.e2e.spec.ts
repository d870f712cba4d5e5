import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * A framework version that changes an indicator's unit within a quarter (count until July
 * 2025, a ratio from August): each month rolls up by the version that judged it, and the
 * quarter that mixes them has no figure but a note — never a 500 (docs/decisions/0026).
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('quarterly_unit_change_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const SEEN = {
  code: 'SEEN',
  name: 'Assessed within 28 days',
  unit: 'count',
  direction: 'higher-is-better',
  target: 30,
  periodicity: 'monthly',
  aggregation: 'sum',
};
const AS_RATIO = { ...SEEN, unit: 'ratio', target: 80, aggregation: 'ratio-of-sums' };
const NOTE = 'the unit changed from count to ratio in 2025-08';

const admin = (tenantId: string) => api.tokenFor({ tenantId, roles: ['provider-admin'] });
const manager = (tenantId: string) =>
  api.tokenFor({ tenantId, roles: ['regional-manager'], userId: 'user:rm-gwen' });
const reader = (tenantId: string) => api.tokenFor({ tenantId, roles: ['regulator'] });

const post = async (token: string, path: string, body: object) => {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
};

async function tenantWithUnitChange(): Promise<string> {
  const tenant = `council-${randomUUID().slice(0, 8)}`;
  await post(admin(tenant), '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  for (const [effectiveFrom, indicator] of [
    ['2025-04', SEEN],
    ['2025-08', AS_RATIO],
  ] as const) {
    await post(admin(tenant), '/frameworks/assessments/versions', {
      name: 'Assessments',
      effectiveFrom,
      indicators: [indicator],
      bonusRule: null,
    });
  }
  await post(admin(tenant), '/services', {
    serviceId: 'carers',
    name: 'Carers service',
    regionId: 'north-wales',
    serviceType: 'childrens-home',
    frameworkId: 'assessments',
    openedOn: '2025-04-01',
  });
  const returns: [string, unknown][] = [
    ['2025-04', 30],
    ['2025-05', 31],
    ['2025-06', 32],
    ['2025-07', 33],
    ['2025-08', { numerator: 8, denominator: 10 }],
    ['2025-09', { numerator: 9, denominator: 10 }],
  ];
  for (const [period, value] of returns) {
    await post(manager(tenant), '/services/carers/returns', { period, values: { SEEN: value } });
  }
  await projections.caughtUp();
  return tenant;
}

describe('the reports when a version changed the unit within a span', () => {
  let tenant: string;
  beforeAll(async () => {
    tenant = await tenantWithUnitChange();
  });

  it('answers the quarter without a figure and with a note, each month as judged', async () => {
    const response = await api
      .http()
      .get('/reports/quarterly')
      .query({ quarter: '2025-26 Q2', detail: 'months' })
      .set('Authorization', `Bearer ${reader(tenant)}`);
    expect(response.status).toBe(200);
    const [line] = response.body.services[0].lines;
    expect(line.months.map((m: { value: unknown }) => m.value)).toEqual([
      33,
      { numerator: 8, denominator: 10 },
      { numerator: 9, denominator: 10 },
    ]);
    expect(line.months.map((m: { judgement: { target: number } }) => m.judgement.target)).toEqual([
      30, 80, 80,
    ]);
    expect(line.quarter).toMatchObject({
      value: null,
      judgedValue: null,
      judgement: null,
      notRolledUp: NOTE,
      monthsWithValue: 3,
    });
    expect(response.body.total[0].quarter).toMatchObject({ value: null, notRolledUp: NOTE });
    expect(response.body.total[0].months[1]).toMatchObject({
      value: { numerator: 8, denominator: 10 },
    });
  });

  it('rolls up a quarter wholly under one unit', async () => {
    const q3 = await api
      .http()
      .get('/reports/quarterly')
      .query({ quarter: '2025-26 Q1' })
      .set('Authorization', `Bearer ${reader(tenant)}`);
    expect(q3.status).toBe(200);
    expect(q3.body.services[0].lines[0].quarter).toMatchObject({
      value: 93,
      judgement: { outcome: 'met', target: 30 },
    });
    expect(q3.body.services[0].lines[0].quarter).not.toHaveProperty('notRolledUp');
  });

  it('notes it in the annual report and the CSV too', async () => {
    const annual = await api
      .http()
      .get('/reports/annual')
      .query({ year: '2025/26' })
      .set('Authorization', `Bearer ${reader(tenant)}`);
    expect(annual.status).toBe(200);
    const [line] = annual.body.services[0].lines;
    expect(line.quarters.map((q: { value: unknown }) => q.value)).toEqual([93, null, null, null]);
    expect(line.quarters[1].notRolledUp).toBe(NOTE);
    expect(line.year).toMatchObject({ value: null, notRolledUp: NOTE });

    const csv = await api
      .http()
      .get('/reports/quarterly.csv')
      .query({ quarter: '2025-26 Q2' })
      .set('Authorization', `Bearer ${reader(tenant)}`);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(
      `carers,Carers service,north-wales,SEEN,Assessed within 28 days,ratio,ratio-of-sums,33,8/10,9/10,not rolled up (${NOTE}),,,,`,
    );
  });

  it('reads an amended month at once: a roll-up kept from an earlier read is not reused', async () => {
    const q1 = () =>
      api
        .http()
        .get('/reports/quarterly')
        .query({ quarter: '2025-26 Q1' })
        .set('Authorization', `Bearer ${reader(tenant)}`);
    expect((await q1()).body.total[0].quarter.value).toBe(93);
    await post(manager(tenant), '/services/carers/returns/2025-04/amendments', {
      values: { SEEN: 40 },
      reason: 'Recounted',
    });
    await projections.caughtUp();
    expect((await q1()).body.total[0].quarter.value).toBe(103);
  });
});
