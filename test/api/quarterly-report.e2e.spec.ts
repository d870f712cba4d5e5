import { randomUUID } from 'node:crypto';
import type { Role } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('quarterly_report_e2e');
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
const report = (tenant: string, query: Record<string, string>, role: Role = 'regulator') =>
  api
    .http()
    .get('/reports/quarterly')
    .query(query)
    .set('Authorization', `Bearer ${api.tokenFor({ tenantId: tenant, roles: [role] })}`);

/** One indicator for each aggregation rule, each with a target (amber bands differ). */
const INDICATORS = [
  {
    code: 'ADM',
    name: 'Admissions',
    unit: 'count',
    direction: 'higher-is-better',
    target: 10,
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
    tolerance: 5,
    periodicity: 'monthly',
    aggregation: 'ratio-of-sums',
  },
];

const NA = { notApplicable: true, reason: 'Closed for refurbishment' };
const r = (numerator: number, denominator: number) => ({ numerator, denominator });

/** A tenant with the framework above from 2026-01, and two homes with April–June 2026 returns. */
async function tenantWithQuarter(): Promise<string> {
  const tenant = `council-${randomUUID().slice(0, 8)}`;
  await post(admin(tenant), '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await post(admin(tenant), '/regions', {
    regionId: 'south-wales',
    name: 'South Wales',
    regionalManagerId: 'rm-gwen',
  });
  await post(admin(tenant), '/frameworks/respite/versions', {
    name: 'Respite services',
    effectiveFrom: '2026-01',
    indicators: INDICATORS,
    bonusRule: null,
  });
  for (const [serviceId, name, regionId] of [
    ['ty-gwyn', 'Tŷ Gwyn', 'north-wales'],
    ['plas-newydd', 'Plas Newydd', 'south-wales'],
  ]) {
    await post(admin(tenant), '/services', {
      serviceId,
      name,
      regionId,
      serviceType: 'childrens-home',
      frameworkId: 'respite',
      openedOn: '2025-04-01',
    });
  }
  const months = ['2026-04', '2026-05', '2026-06'];
  const returns = {
    'ty-gwyn': [
      { ADM: 3, OCC: 90, STAFF: 6, REV: r(9, 10) },
      { ADM: 4, OCC: 80, STAFF: 5, REV: r(8, 10) },
      { ADM: 5, OCC: NA, STAFF: NA, REV: r(10, 10) },
    ],
    'plas-newydd': [
      { ADM: 1, OCC: 60, STAFF: 4, REV: r(1, 2) },
      { ADM: 2, OCC: 70, STAFF: 4, REV: r(3, 4) },
      { ADM: 3, OCC: 80, STAFF: 3, REV: r(2, 2) },
    ],
  };
  for (const [serviceId, values] of Object.entries(returns)) {
    for (const [i, period] of months.entries()) {
      await post(manager(tenant), `/services/${serviceId}/returns`, { period, values: values[i] });
    }
  }
  await projections.caughtUp();
  return tenant;
}

type Line = {
  code: string;
  months: { period: string; value: unknown; judgedValue: number | null }[];
  quarter: {
    value: unknown;
    judgedValue: number | null;
    monthsWithValue: number;
    monthsNotApplicable: number;
    judgement: { outcome: string; rag: string; target: number | null } | null;
  };
};
const byCode = (lines: Line[]) => Object.fromEntries(lines.map((l) => [l.code, l]));

describe('the quarterly report', () => {
  let tenant: string;
  beforeAll(async () => {
    tenant = await tenantWithQuarter();
  });

  it("rolls each home's months up by each indicator's rule and judges the quarter", async () => {
    const response = await report(tenant, { quarter: '2026-27 Q1', detail: 'months' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      quarter: '2026-27 Q1',
      firstDay: '2026-04-01',
      lastDay: '2026-06-30',
      months: ['2026-04', '2026-05', '2026-06'],
    });
    expect(response.body.indicators).toEqual(
      INDICATORS.map(({ code, name, unit, direction, aggregation }) => ({
        frameworkId: 'respite',
        frameworkVersion: 1,
        code,
        name,
        unit,
        direction,
        aggregation,
      })),
    );
    const services = response.body.services as { serviceId: string; lines: Line[] }[];
    expect(services.map((s) => s.serviceId)).toEqual(['plas-newydd', 'ty-gwyn']);
    const tyGwyn = byCode(services[1]!.lines);
    const plas = byCode(services[0]!.lines);

    // sum: 3 + 4 + 5 = 12 against 10 — met.
    expect(tyGwyn.ADM!.months.map((m) => m.value)).toEqual([3, 4, 5]);
    expect(tyGwyn.ADM!.quarter).toMatchObject({
      value: 12,
      monthsWithValue: 3,
      judgement: { outcome: 'met', rag: 'green', target: 10 },
    });
    // average over the months with a value: (90 + 80) / 2, June not applicable.
    expect(tyGwyn.OCC!.quarter).toMatchObject({
      value: 85,
      monthsWithValue: 2,
      monthsNotApplicable: 1,
      judgement: { outcome: 'met', rag: 'green' },
    });
    // last: May's 5, June not applicable.
    expect(tyGwyn.STAFF!.quarter).toMatchObject({ value: 5, judgement: { outcome: 'met' } });
    // ratio-of-sums: 27 / 30 = 90 %.
    expect(tyGwyn.REV!.quarter).toMatchObject({
      value: { numerator: 27, denominator: 30 },
      judgedValue: 90,
      judgement: { outcome: 'met', rag: 'green' },
    });

    expect(plas.ADM!.quarter).toMatchObject({
      value: 6,
      judgement: { outcome: 'missed', rag: 'red' },
    });
    expect(plas.OCC!.quarter).toMatchObject({ value: 70, judgement: { rag: 'amber' } }); // the floor
    expect(plas.STAFF!.quarter).toMatchObject({ value: 3, judgement: { rag: 'red' } });
    expect(plas.REV!.quarter).toMatchObject({
      value: { numerator: 6, denominator: 8 },
      judgedValue: 75,
      judgement: { outcome: 'missed', rag: 'red' },
    });
  });

  it('totals all the services, month by month and for the quarter, and judges the total', async () => {
    const response = await report(tenant, { quarter: '2026-27 Q1' });
    const total = byCode(response.body.total as Line[]);

    expect(total.ADM!.months.map((m) => m.value)).toEqual([4, 6, 8]);
    expect(total.ADM!.quarter).toMatchObject({ value: 18, judgement: { rag: 'green' } });
    // Every service-month with a value: (90 + 80 + 60 + 70 + 80) / 5 = 76, not (85 + 70) / 2.
    expect(total.OCC!.months.map((m) => m.value)).toEqual([75, 75, 80]);
    expect(total.OCC!.quarter).toMatchObject({
      value: 76,
      monthsWithValue: 5,
      monthsNotApplicable: 1,
      judgement: { outcome: 'missed', rag: 'amber' },
    });
    // Staff in post at the end of the quarter, both homes: 5 + 3.
    expect(total.STAFF!.months.map((m) => m.value)).toEqual([10, 9, 3]);
    expect(total.STAFF!.quarter).toMatchObject({ value: 8, judgement: { rag: 'green' } });
    // 33 / 38 = 86.8 %: amber within the 5-point tolerance (averaging 90 % and 75 % would be red).
    expect(total.REV!.months.map((m) => m.value)).toEqual([r(10, 12), r(11, 14), r(12, 12)]);
    expect(total.REV!.quarter).toMatchObject({
      value: { numerator: 33, denominator: 38 },
      judgement: { outcome: 'missed', rag: 'amber', target: 90 },
    });
    expect(total.REV!.quarter.judgedValue).toBeCloseTo((100 * 33) / 38, 9);
  });

  it("gives a service's quarter without its months unless asked for them; the total keeps them", async () => {
    const plain = await report(tenant, { quarter: '2026-27 Q1' });
    const detailed = await report(tenant, { quarter: '2026-27 Q1', detail: 'months' });
    expect(plain.status).toBe(200);
    const withoutMonths = (body: { services: { lines: Line[] }[] }) =>
      body.services.map((s) => s.lines.map(({ months: _months, ...rest }) => rest));
    for (const service of plain.body.services as { lines: Line[] }[])
      for (const line of service.lines) expect(line).not.toHaveProperty('months');
    expect(plain.body.services.map((s: { lines: unknown[] }) => s.lines)).toEqual(
      withoutMonths(detailed.body),
    );
    expect(plain.body.total).toEqual(detailed.body.total);
    expect(byCode(plain.body.total as Line[]).ADM!.months.map((m) => m.value)).toEqual([4, 6, 8]);
  });

  it("reports one region's or one service's homes only, the total theirs alone", async () => {
    for (const query of [{ regionId: 'south-wales' }, { serviceId: 'plas-newydd' }] as Record<
      string,
      string
    >[]) {
      const response = await report(tenant, { quarter: '2026-27 Q1', ...query });
      expect(response.status).toBe(200);
      expect(response.body.services.map((s: { serviceId: string }) => s.serviceId)).toEqual([
        'plas-newydd',
      ]);
      expect(byCode(response.body.total as Line[]).ADM!.quarter.value).toBe(6);
    }
  });

  it('is offered as CSV: months, then the quarter, per service and for all services', async () => {
    const response = await api
      .http()
      .get('/reports/quarterly.csv')
      .query({ quarter: '2026-27 Q1', serviceId: 'ty-gwyn' })
      .set('Authorization', `Bearer ${api.tokenFor({ tenantId: tenant, roles: ['regulator'] })}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="quarterly-report-${tenant}-2026-27-Q1.csv"`,
    );
    const lines = response.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toEqual([
      'service_id,service_name,region_id,indicator,indicator_name,unit,aggregation,2026-04,2026-05,2026-06,2026-27 Q1,quarter_judged_value,outcome,rag,target',
      'ty-gwyn,Tŷ Gwyn,north-wales,ADM,Admissions,count,sum,3,4,5,12,12,met,green,10',
      'ty-gwyn,Tŷ Gwyn,north-wales,OCC,Occupancy,percentage,average,90,80,n/a (Closed for refurbishment),85,85,met,green,80',
      'ty-gwyn,Tŷ Gwyn,north-wales,STAFF,Staff in post,count,last,6,5,n/a (Closed for refurbishment),5,5,met,green,5',
      'ty-gwyn,Tŷ Gwyn,north-wales,REV,Reviews on time,ratio,ratio-of-sums,9/10,8/10,10/10,27/30,90,met,green,90',
      ',All services,,ADM,Admissions,count,sum,3,4,5,12,12,met,green,10',
      ',All services,,OCC,Occupancy,percentage,average,90,80,n/a (not applicable in every month with a return),85,85,met,green,80',
      ',All services,,STAFF,Staff in post,count,last,6,5,n/a (not applicable in every month with a return),5,5,met,green,5',
      ',All services,,REV,Reviews on time,ratio,ratio-of-sums,9/10,8/10,10/10,27/30,90,met,green,90',
    ]);
  });

  it('a quarter without returns lists the services with no lines and an empty total', async () => {
    const response = await report(tenant, { quarter: '2025-26 Q4' });
    expect(response.status).toBe(200);
    expect(response.body.months).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(response.body.services.every((s: { lines: unknown[] }) => s.lines.length === 0)).toBe(
      true,
    );
    expect(response.body.total).toEqual([]);
  });

  it.each([
    [{ quarter: '2026 Q1' }, 'quarter'],
    [{}, 'quarter'],
    [{ quarter: '2026-27 Q5' }, 'quarter'],
    [{ quarter: '2026-27 Q1', serviceId: 'no such!' }, 'serviceId'],
    [{ quarter: '2026-27 Q1', detail: 'weeks' }, 'detail'],
  ])('refuses %p with 400 naming %s', async (query, field) => {
    const response = await report(tenant, query);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field })]),
    );
  });

  it("answers 404 for a service that is none of the tenant's", async () => {
    const response = await report(tenant, { quarter: '2026-27 Q1', serviceId: 'unknown-home' });
    expect(response.status).toBe(404);
  });

  it('is refused without a token', async () => {
    const response = await api.http().get('/reports/quarterly').query({ quarter: '2026-27 Q1' });
    expect(response.status).toBe(401);
  });
});

/**
 * Council indicators (decisions 0019, 0021): a business-plan indicator with a floor and four
 * quarterly targets, a data-only breakdown, a derived percentage of two data-only counts.
 */
const COUNCIL = [
  {
    code: 'BP1',
    name: 'Carers assessed',
    unit: 'count',
    direction: 'higher-is-better',
    targetsByPeriod: { quarters: { Q1: 30, Q2: 40, Q3: 45, Q4: 50 } },
    floor: 25,
    previousOutturn: { value: 30, period: '2025/26' },
    periodicity: 'monthly',
    aggregation: 'sum',
  },
  {
    code: 'ADMIT',
    name: 'Admissions by lead need',
    kind: 'data-only',
    unit: 'count',
    direction: 'lower-is-better',
    breakdown: { name: 'lead need', categories: ['MH', 'LD'] },
    previousOutturn: { value: 20, period: '2025/26' },
    periodicity: 'monthly',
    aggregation: 'sum',
  },
  {
    code: 'DONE',
    name: 'Reviews done',
    kind: 'data-only',
    unit: 'count',
    direction: 'higher-is-better',
    periodicity: 'monthly',
    aggregation: 'sum',
  },
  {
    code: 'DUE',
    name: 'Reviews due',
    kind: 'data-only',
    unit: 'count',
    direction: 'higher-is-better',
    periodicity: 'monthly',
    aggregation: 'sum',
  },
  {
    code: 'PCT',
    name: 'Reviews done on time',
    kind: 'derived',
    formula: { operation: 'percentage', of: ['DONE', 'DUE'] },
    unit: 'percentage',
    direction: 'higher-is-better',
    target: 80,
    periodicity: 'monthly',
    aggregation: 'average',
  },
];

const lead = (MH: number, LD: number) => ({ parts: { MH, LD } });

/** One council service with April–September 2026 returns (Q1 and Q2). */
async function councilTenant(): Promise<string> {
  const tenant = `council-${randomUUID().slice(0, 8)}`;
  await post(admin(tenant), '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await post(admin(tenant), '/frameworks/adult-social-care/versions', {
    name: 'Adult social care',
    effectiveFrom: '2026-01',
    indicators: COUNCIL,
    bonusRule: null,
  });
  await post(admin(tenant), '/services', {
    serviceId: 'carers',
    name: 'Carers service',
    regionId: 'north-wales',
    serviceType: 'childrens-home',
    frameworkId: 'adult-social-care',
    openedOn: '2025-04-01',
  });
  const returns: [string, object][] = [
    // Q1: BP1 35 (target 30); ADMIT MH 3, LD 3; reviews 12 of 15 = 80 %.
    ['2026-04', { BP1: 10, ADMIT: lead(1, 2), DONE: 4, DUE: 5 }],
    ['2026-05', { BP1: 12, ADMIT: lead(0, 1), DONE: 4, DUE: 5 }],
    ['2026-06', { BP1: 13, ADMIT: lead(2, 0), DONE: 4, DUE: 5 }],
    // Q2: BP1 35 again (target 40); ADMIT MH 6, LD 6; reviews 10 of 20 = 50 % (the months
    // average 63.3 %: 100, 90, 0).
    ['2026-07', { BP1: 12, ADMIT: lead(2, 2), DONE: 1, DUE: 1 }],
    ['2026-08', { BP1: 12, ADMIT: lead(2, 2), DONE: 9, DUE: 10 }],
    ['2026-09', { BP1: 11, ADMIT: lead(2, 2), DONE: 0, DUE: 9 }],
  ];
  for (const [period, values] of returns) {
    await post(manager(tenant), '/services/carers/returns', { period, values });
  }
  await projections.caughtUp();
  return tenant;
}

type CouncilLine = Omit<Line, 'months'> & {
  months: (Line['months'][number] & {
    judgement: { rag: string; target: number | null } | null;
  })[];
  quarter: {
    travel: {
      previousQuarter: string;
      previousQuarterValue: number | null;
      againstPreviousQuarter: string | null;
      previousOutturn: { value: number; period: string } | null;
      againstOutturn: string | null;
    };
  };
};

describe('the quarterly report of council indicators', () => {
  let tenant: string;
  const quarterOf = async (quarter: string) => {
    const response = await report(tenant, { quarter, detail: 'months' });
    expect(response.status).toBe(200);
    return {
      body: response.body,
      service: byCode(response.body.services[0].lines as Line[]) as unknown as Record<
        string,
        CouncilLine
      >,
      total: byCode(response.body.total as Line[]) as unknown as Record<string, CouncilLine>,
    };
  };
  beforeAll(async () => {
    tenant = await councilTenant();
  });

  it("judges each quarter against that quarter's target: the same 35 is green, then amber", async () => {
    const q1 = await quarterOf('2026-27 Q1');
    const q2 = await quarterOf('2026-27 Q2');
    expect(q1.service.BP1!.quarter).toMatchObject({
      value: 35,
      judgement: { outcome: 'met', rag: 'green', target: 30, floor: 25 },
    });
    expect(q2.service.BP1!.quarter).toMatchObject({
      value: 35,
      judgement: { outcome: 'missed', rag: 'amber', target: 40, floor: 25 },
    });
    expect(q2.total.BP1!.quarter.judgement).toMatchObject({ rag: 'amber', target: 40 });
    // A month is judged against its own (its quarter's) target.
    expect(q1.service.BP1!.months.map((m) => m.judgement?.target)).toEqual([30, 30, 30]);
    expect(q2.service.BP1!.months.map((m) => m.judgement?.target)).toEqual([40, 40, 40]);
  });

  it('rolls a breakdown up part by part, and never judges a data-only indicator', async () => {
    const { body, service, total } = await quarterOf('2026-27 Q1');
    expect(body.indicators).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'ADMIT', kind: 'data-only', breakdown: ['MH', 'LD'] }),
      ]),
    );
    expect(service.ADMIT!.months.map((m) => m.value)).toEqual([
      { parts: { MH: 1, LD: 2 }, total: 3 },
      { parts: { MH: 0, LD: 1 }, total: 1 },
      { parts: { MH: 2, LD: 0 }, total: 2 },
    ]);
    expect(service.ADMIT!.quarter).toMatchObject({
      value: { parts: { MH: 3, LD: 3 }, total: 6 },
      judgedValue: 6,
      judgement: null,
    });
    expect(total.ADMIT!.quarter.value).toEqual({ parts: { MH: 3, LD: 3 }, total: 6 });
    expect(service.ADMIT!.months.every((m) => m.judgement === null)).toBe(true);
    expect(service.DONE!.quarter).toMatchObject({ value: 12, judgement: null });
  });

  it("shows a breakdown's parts in the CSV, one row each after its total", async () => {
    const response = await api
      .http()
      .get('/reports/quarterly.csv')
      .query({ quarter: '2026-27 Q1' })
      .set('Authorization', `Bearer ${api.tokenFor({ tenantId: tenant, roles: ['regulator'] })}`);
    expect(response.status).toBe(200);
    const lines = response.text.replace(/^\uFEFF/, '').split('\r\n');
    const service = 'carers,Carers service,north-wales';
    expect(lines).toEqual(
      expect.arrayContaining([
        `${service},BP1,Carers assessed,count,sum,10,12,13,35,35,met,green,30`,
        `${service},ADMIT,Admissions by lead need,count,sum,3,1,2,6,6,,,`,
        `${service},ADMIT.MH,Admissions by lead need — MH,count,sum,1,0,2,3,3,,,`,
        `${service},ADMIT.LD,Admissions by lead need — LD,count,sum,2,1,0,3,3,,,`,
        ',All services,,ADMIT.MH,Admissions by lead need — MH,count,sum,1,0,2,3,3,,,',
      ]),
    );
  });

  it("rolls a derived percentage up as the ratio of its operands' sums", async () => {
    const q1 = await quarterOf('2026-27 Q1');
    const q2 = await quarterOf('2026-27 Q2');
    expect(q1.service.PCT!.quarter).toMatchObject({
      value: 80,
      judgement: { outcome: 'met', target: 80 },
    });
    // 10 of 20, not the average of 100 %, 90 % and 0 %.
    expect(q2.service.PCT!.months.map((m) => m.value)).toEqual([100, 90, 0]);
    expect(q2.service.PCT!.quarter).toMatchObject({
      value: 50,
      judgement: { outcome: 'missed', rag: 'red' },
    });
    expect(q2.total.PCT!.quarter.value).toBe(50);
  });

  it('gives the direction of travel against the previous quarter and the previous outturn', async () => {
    const q2 = await quarterOf('2026-27 Q2');
    expect(q2.service.BP1!.quarter.travel).toEqual({
      previousQuarter: '2026-27 Q1',
      previousQuarterValue: 35,
      againstPreviousQuarter: 'same',
      previousOutturn: { value: 30, period: '2025/26' },
      againstOutturn: 'better',
    });
    // Admissions, lower is better: 12 after 6 is worse; under last year's 20, better.
    expect(q2.service.ADMIT!.quarter.travel).toMatchObject({
      previousQuarterValue: 6,
      againstPreviousQuarter: 'worse',
      againstOutturn: 'better',
    });
    expect(q2.service.PCT!.quarter.travel).toMatchObject({
      previousQuarterValue: 80,
      againstPreviousQuarter: 'worse',
      previousOutturn: null,
      againstOutturn: null,
    });
    expect(q2.total.ADMIT!.quarter.travel.againstPreviousQuarter).toBe('worse');
    // Q1 has no quarter before it with returns.
    const q1 = await quarterOf('2026-27 Q1');
    expect(q1.service.BP1!.quarter.travel).toMatchObject({
      previousQuarter: '2025-26 Q4',
      previousQuarterValue: null,
      againstPreviousQuarter: null,
      againstOutturn: 'better',
    });
  });
});
