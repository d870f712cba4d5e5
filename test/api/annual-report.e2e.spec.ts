import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('annual_report_e2e');
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
const manager = (tenantId: string) =>
  api.tokenFor({ tenantId, roles: ['regional-manager'], userId: 'user:rm-gwen' });

const post = async (token: string, path: string, body: object) => {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response;
};
const report = (tenant: string, query: Record<string, string>) =>
  api
    .http()
    .get('/reports/annual')
    .query(query)
    .set('Authorization', `Bearer ${api.tokenFor({ tenantId: tenant, roles: ['regulator'] })}`);

/** One indicator for each aggregation rule; ADM with a Q1 target and a 2016/17 target. */
const INDICATORS = [
  {
    code: 'ADM',
    name: 'Admissions',
    unit: 'count',
    direction: 'higher-is-better',
    target: 10,
    targetsByPeriod: { quarters: { Q1: 5 }, years: { '2016/17': 40 } },
    previousOutturn: { value: 50, period: '2015/16' },
    periodicity: 'monthly',
    aggregation: 'sum',
  },
  {
    code: 'OCC',
    name: 'Occupancy',
    unit: 'percentage',
    direction: 'higher-is-better',
    target: 80,
    floor: 70,
    periodicity: 'monthly',
    aggregation: 'average',
  },
  {
    code: 'STAFF',
    name: 'Staff in post',
    unit: 'count',
    direction: 'higher-is-better',
    target: 5,
    periodicity: 'monthly',
    aggregation: 'last',
  },
  {
    code: 'REV',
    name: 'Reviews on time',
    unit: 'ratio',
    direction: 'higher-is-better',
    target: 90,
    periodicity: 'monthly',
    aggregation: 'ratio-of-sums',
  },
];

const NA = { notApplicable: true, reason: 'Closed for refurbishment' };
const r = (numerator: number, denominator: number) => ({ numerator, denominator });
const MONTHS = [
  '2016-04',
  '2016-05',
  '2016-06',
  '2016-07',
  '2016-08',
  '2016-09',
  '2016-10',
  '2016-11',
  '2016-12',
  '2017-01',
  '2017-02',
  '2017-03',
];

/** Tŷ Gwyn and Plas Newydd with a return each month of 2016/17; Tŷ Gwyn with March 2016 too. */
async function tenantWithYear(): Promise<string> {
  const tenant = `council-${randomUUID().slice(0, 8)}`;
  await post(admin(tenant), '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await post(admin(tenant), '/frameworks/respite/versions', {
    name: 'Respite services',
    effectiveFrom: '2015-04',
    indicators: INDICATORS,
    bonusRule: null,
  });
  for (const [serviceId, name] of [
    ['ty-gwyn', 'Tŷ Gwyn'],
    ['plas-newydd', 'Plas Newydd'],
  ]) {
    await post(admin(tenant), '/services', {
      serviceId,
      name,
      regionId: 'north-wales',
      serviceType: 'childrens-home',
      frameworkId: 'respite',
      openedOn: '2015-04-01',
    });
  }
  await post(manager(tenant), '/services/ty-gwyn/returns', {
    period: '2016-03',
    values: { ADM: 30, OCC: 70, STAFF: 5, REV: r(1, 1) },
  });
  for (const [i, period] of MONTHS.entries()) {
    await post(manager(tenant), '/services/ty-gwyn/returns', {
      period,
      values: {
        ADM: 4,
        OCC: i === 0 ? 90 : i < 3 ? NA : 60,
        STAFF: i < 10 ? 6 : i === 10 ? 7 : NA,
        REV: r(9, 10),
      },
    });
    await post(manager(tenant), '/services/plas-newydd/returns', {
      period,
      values: {
        ADM: 2,
        OCC: 80,
        STAFF: i < 11 ? 4 : 3,
        REV: i < 3 ? r(1, 2) : r(10, 10),
      },
    });
  }
  await projections.caughtUp();
  return tenant;
}

type Figure = {
  value: unknown;
  judgedValue: number | null;
  judgement: { outcome: string; rag: string; target: number | null } | null;
};
type Line = {
  code: string;
  quarters: (Figure & { quarter: string })[];
  year: Figure & {
    monthsWithValue: number;
    monthsNotApplicable: number;
    travel: Record<string, unknown>;
  };
};
const byCode = (lines: Line[]) => Object.fromEntries(lines.map((l) => [l.code, l]));

describe('the annual report', () => {
  let tenant: string;
  let body: {
    year: string;
    quarters: string[];
    services: { serviceId: string; lines: Line[] }[];
    total: Line[];
  };
  beforeAll(async () => {
    tenant = await tenantWithYear();
    const response = await report(tenant, { year: '2016/17' });
    expect(response.status).toBe(200);
    body = response.body;
  });
  const service = (id: string) => byCode(body.services.find((s) => s.serviceId === id)!.lines);

  it('names the year and its four quarters', () => {
    expect(body).toMatchObject({
      year: '2016/17',
      firstMonth: '2016-04',
      lastMonth: '2017-03',
      quarters: ['2016-17 Q1', '2016-17 Q2', '2016-17 Q3', '2016-17 Q4'],
    });
    expect(body.services.map((s) => s.serviceId)).toEqual(['plas-newydd', 'ty-gwyn']);
  });

  it('sums the months and judges the year against the year target, not a quarter target', () => {
    const adm = service('ty-gwyn').ADM!;
    expect(adm.quarters.map((q) => q.value)).toEqual([12, 12, 12, 12]);
    expect(adm.quarters[0]!.judgement).toMatchObject({ outcome: 'met', target: 5 });
    expect(adm.quarters[1]!.judgement).toMatchObject({ outcome: 'missed', target: 40 });
    expect(adm.year).toMatchObject({
      value: 48,
      monthsWithValue: 12,
      judgement: { outcome: 'met', rag: 'green', target: 40 },
      travel: {
        previousYear: '2015/16',
        previousYearValue: 30,
        againstPreviousYear: 'better',
        previousOutturn: { value: 50, period: '2015/16' },
        againstOutturn: 'worse',
      },
    });
    expect(service('plas-newydd').ADM!.year).toMatchObject({
      value: 24,
      judgement: { outcome: 'missed', rag: 'red', target: 40 },
    });
  });

  it('averages over the months with a value, never the quarters’ averages', () => {
    const occ = service('ty-gwyn').OCC!;
    expect(occ.quarters.map((q) => q.value)).toEqual([90, 60, 60, 60]);
    // (90 + 9 × 60) / 10 = 63, not (90 + 60 + 60 + 60) / 4 = 67.5.
    expect(occ.year).toMatchObject({
      value: 63,
      monthsWithValue: 10,
      monthsNotApplicable: 2,
      judgement: { outcome: 'missed', rag: 'red', target: 80 },
    });
  });

  it('takes the last month with a value', () => {
    expect(service('ty-gwyn').STAFF!.year).toMatchObject({
      value: 7,
      judgement: { outcome: 'met' },
    });
    expect(service('plas-newydd').STAFF!.year).toMatchObject({
      value: 3,
      judgement: { outcome: 'missed' },
    });
  });

  it('adds numerators and denominators, never averaging the quarters’ percentages', () => {
    const rev = service('plas-newydd').REV!;
    expect(rev.quarters.map((q) => q.judgedValue)).toEqual([50, 100, 100, 100]);
    // 93 / 96 = 96.875 %, not (50 + 100 + 100 + 100) / 4 = 87.5 %.
    expect(rev.year).toMatchObject({
      value: { numerator: 93, denominator: 96 },
      judgedValue: 96.875,
      judgement: { outcome: 'met', target: 90 },
    });
  });

  it('totals all services, judged against the year target', () => {
    const total = byCode(body.total);
    expect(total.ADM!.year).toMatchObject({
      value: 72,
      monthsWithValue: 24,
      judgement: { outcome: 'met', target: 40 },
    });
    expect(total.OCC!.year.judgedValue).toBeCloseTo(1590 / 22);
    expect(total.STAFF!.year.value).toBe(10);
    expect(total.REV!.year.value).toEqual({ numerator: 201, denominator: 216 });
  });

  it('reads one service only', async () => {
    const response = await report(tenant, { year: '2016/17', serviceId: 'ty-gwyn' });
    expect(response.status).toBe(200);
    expect(response.body.services.map((s: { serviceId: string }) => s.serviceId)).toEqual([
      'ty-gwyn',
    ]);
    expect(byCode(response.body.total).ADM!.year.value).toBe(48);
  });

  it('gives the same report as CSV: quarters, then the year judged against its target', async () => {
    const response = await api
      .http()
      .get('/reports/annual.csv')
      .query({ year: '2016/17' })
      .set('Authorization', `Bearer ${api.tokenFor({ tenantId: tenant, roles: ['regulator'] })}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toContain(
      `annual-report-${tenant}-2016-17.csv`,
    );
    const lines = response.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'service_id,service_name,region_id,indicator,indicator_name,unit,aggregation,2016-17 Q1,2016-17 Q2,2016-17 Q3,2016-17 Q4,2016/17,year_judged_value,outcome,rag,target',
    );
    expect(lines).toContain(
      'ty-gwyn,Tŷ Gwyn,north-wales,ADM,Admissions,count,sum,12,12,12,12,48,48,met,green,40',
    );
    expect(lines).toContain(
      ',All services,,REV,Reviews on time,ratio,ratio-of-sums,30/36,57/60,57/60,57/60,201/216,93.05555555555556,met,green,90',
    );
  });

  it.each([
    [{ year: '2016-17' }, 'year'],
    [{ year: '2016/18' }, 'year'],
    [{}, 'year'],
    [{ year: '2016/17', serviceId: 'Not An Id' }, 'serviceId'],
  ])('refuses %p with 400 naming %s', async (query, field) => {
    const response = await report(tenant, query);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field })]),
    );
  });

  it("answers 404 for a service that is none of the tenant's", async () => {
    const response = await report(tenant, { year: '2016/17', serviceId: 'elsewhere' });
    expect(response.status).toBe(404);
  });
});
