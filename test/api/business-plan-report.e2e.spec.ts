import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { Workbook } from 'exceljs';
import type { Response } from 'supertest';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * The business-plan report (decision 0025) over the business-plan preset: a quarterly indicator
 * with a floor, outturn, benchmark and four quarterly targets judged quarter by quarter, a
 * termly one judged term by term, an activity one with a range per quarter, and the two annual
 * ones — as JSON, CSV and Excel.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('business_plan_report_e2e');
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
const reader = (tenantId: string) => api.tokenFor({ tenantId, roles: ['regulator'] });

const post = async (token: string, path: string, body: object) => {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response;
};
const pct = (numerator: number) => ({ numerator, denominator: 100 });

/**
 * Each collected month's return of the business-plan preset (PQ_REVIEWS quarterly: Q1 80, Q2
 * 82, Q3 84, Q4 85, floor 70; PT_ATTENDANCE termly: autumn 93, spring 91, summer 92, floor 85;
 * PA_DIRECT_PAYMENTS annual, target 70, floor 40; PY_TRANSITION annual on the academic year,
 * target 65; AQ_REFERRALS activity, Q1 90–120, Q2 80–110, Q3 90–120, Q4 100–130).
 */
const RETURNS: [string, Record<string, unknown>][] = [
  [
    '2025-03',
    { PQ_REVIEWS: pct(77), AQ_REFERRALS: 100, PT_ATTENDANCE: pct(88), PA_DIRECT_PAYMENTS: pct(50) },
  ],
  ['2025-06', { PQ_REVIEWS: pct(81), AQ_REFERRALS: 100 }],
  ['2025-08', { PT_ATTENDANCE: pct(90), PY_TRANSITION: pct(62) }],
  ['2025-09', { PQ_REVIEWS: pct(81), AQ_REFERRALS: 100 }],
  ['2025-12', { PQ_REVIEWS: pct(60), AQ_REFERRALS: 150, PT_ATTENDANCE: pct(92) }],
  [
    '2026-03',
    { PQ_REVIEWS: pct(90), AQ_REFERRALS: 50, PT_ATTENDANCE: pct(92), PA_DIRECT_PAYMENTS: pct(65) },
  ],
  ['2026-08', { PT_ATTENDANCE: pct(95), PY_TRANSITION: pct(70) }],
];

/** A council with the business-plan preset from April 2024 and one day service's returns. */
async function councilWithPlan(): Promise<string> {
  const tenant = `council-${randomUUID().slice(0, 8)}`;
  await post(admin(tenant), '/regions', {
    regionId: 'east',
    name: 'East',
    regionalManagerId: 'rm-ana',
  });
  await post(admin(tenant), '/frameworks/presets/business-plan', { effectiveFrom: '2024-04' });
  await post(admin(tenant), '/services', {
    serviceId: 'day-01',
    name: 'Day service 1',
    regionId: 'east',
    serviceType: 'day-service',
    frameworkId: 'business-plan',
    openedOn: '2024-04-01',
  });
  for (const [period, values] of RETURNS) {
    await post(officer(tenant), '/services/day-01/returns', { period, values });
  }
  await projections.caughtUp();
  return tenant;
}

let tenant: string;
beforeAll(async () => {
  tenant = await councilWithPlan();
});

const get = (path: string, query: Record<string, string>) =>
  api
    .http()
    .get(path)
    .query(query)
    .set('Authorization', `Bearer ${reader(tenant)}`);

interface Period {
  period: string;
  target: number | null;
  expectedRange: { lower: number; upper: number } | null;
  judgedValue: number | null;
  rag: string | null;
  judgement: { outcome: string } | null;
  travel: {
    previousPeriod: string;
    againstPreviousPeriod: string | null;
    againstOutturn: string | null;
  };
}
interface Line {
  code: string;
  floor: number | null;
  previousOutturn: unknown;
  comparativeBenchmark: unknown;
  periods: Period[];
}

describe('GET /reports/business-plan', () => {
  let lines: Map<string, Line>;
  beforeAll(async () => {
    const response = await get('/reports/business-plan', { year: '2025/26' });
    expect(response.status).toBe(200);
    lines = new Map((response.body.indicators as Line[]).map((l) => [l.code, l]));
  });
  const column = (code: string, pick: (p: Period) => unknown) => lines.get(code)!.periods.map(pick);

  it('lists each indicator with its floor, previous outturn and comparative benchmark', () => {
    expect([...lines.keys()]).toEqual([
      'PQ_REVIEWS',
      'PT_ATTENDANCE',
      'PA_DIRECT_PAYMENTS',
      'PY_TRANSITION',
      'AQ_REFERRALS',
    ]);
    expect(lines.get('PQ_REVIEWS')).toMatchObject({
      floor: 70,
      previousOutturn: { value: 76, period: '2012/13' },
      comparativeBenchmark: { value: 78, source: 'England average 2012/13' },
    });
  });

  it('judges a quarterly indicator quarter by quarter against each quarter’s target', () => {
    expect(column('PQ_REVIEWS', (p) => p.period)).toEqual([
      '2025-26 Q1',
      '2025-26 Q2',
      '2025-26 Q3',
      '2025-26 Q4',
    ]);
    expect(column('PQ_REVIEWS', (p) => [p.target, p.judgedValue, p.rag])).toEqual([
      [80, 81, 'green'],
      [82, 81, 'amber'], // the same 81 misses Q2's higher target, above the floor of 70
      [84, 60, 'red'],
      [85, 90, 'green'],
    ]);
  });

  it('gives the direction of travel against the previous quarter and the outturn (76)', () => {
    expect(
      column('PQ_REVIEWS', (p) => [
        p.travel.previousPeriod,
        p.travel.againstPreviousPeriod,
        p.travel.againstOutturn,
      ]),
    ).toEqual([
      ['2024-25 Q4', 'better', 'better'], // 81 after 77
      ['2025-26 Q1', 'same', 'better'],
      ['2025-26 Q2', 'worse', 'worse'],
      ['2025-26 Q3', 'better', 'better'],
    ]);
  });

  it('judges a termly indicator term by term against each term’s target', () => {
    expect(column('PT_ATTENDANCE', (p) => [p.period, p.target, p.judgedValue, p.rag])).toEqual([
      ['Aut 25', 93, 92, 'amber'],
      ['Spr 26', 91, 92, 'green'],
      ['Sum 26', 92, 95, 'green'],
    ]);
    expect(lines.get('PT_ATTENDANCE')!.periods[0]!.travel).toMatchObject({
      previousPeriod: 'Sum 25',
      againstPreviousPeriod: 'better', // 92 after 90
    });
  });

  it('judges the annual indicators on their own years: financial and academic', () => {
    expect(column('PA_DIRECT_PAYMENTS', (p) => [p.period, p.target, p.judgedValue, p.rag])).toEqual(
      [['2025/26', 70, 65, 'amber']],
    );
    expect(column('PY_TRANSITION', (p) => [p.period, p.target, p.judgedValue, p.rag])).toEqual([
      ['2025/26', 65, 70, 'green'],
    ]);
    expect(lines.get('PY_TRANSITION')!.periods[0]!.travel).toMatchObject({
      previousPeriod: '2024/25',
      againstPreviousPeriod: 'better', // 70 after 62
    });
  });

  it('flags an activity indicator outside its quarter’s range, never missed', () => {
    expect(
      column('AQ_REFERRALS', (p) => [p.expectedRange, p.judgedValue, p.judgement?.outcome, p.rag]),
    ).toEqual([
      [{ lower: 90, upper: 120 }, 100, 'in-range', 'green'],
      [{ lower: 80, upper: 110 }, 100, 'in-range', 'green'],
      [{ lower: 90, upper: 120 }, 150, 'flagged', 'amber'],
      [{ lower: 100, upper: 130 }, 50, 'flagged', 'amber'],
    ]);
    expect(column('AQ_REFERRALS', (p) => p.target)).toEqual([null, null, null, null]);
  });

  it('is refused naming year when it is not a year, and 404 for a service the tenant lacks', async () => {
    const bad = await get('/reports/business-plan', { year: '2025-26' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['year']);
    const unknown = await get('/reports/business-plan', { year: '2025/26', serviceId: 'day-99' });
    expect(unknown.status).toBe(404);
  });
});

describe('termly collection through HTTP', () => {
  it('refuses a return for a month that closes no term nor quarter, naming period; nothing is stored', async () => {
    const events = async () =>
      Number((await api.pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
    const before = await events();
    const response = await api
      .http()
      .post('/services/day-01/returns')
      .set('Authorization', `Bearer ${officer(tenant)}`)
      .send({ period: '2025-10', values: { PT_ATTENDANCE: pct(90) } });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      {
        field: 'period',
        reason:
          'business-plan version 1 does not collect 2025-10: it collects Jun, Aug, Sep, Dec and Mar, so no return is owed for it',
      },
    ]);
    expect(await events()).toBe(before);
  });
});

/** The rows of an RFC 4180 document: quoted fields may hold commas, quotes ("") and line breaks. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted || (c !== ',' && c !== '\r')) {
      field += c;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else {
      rows.push([...row, field]);
      row = [];
      field = '';
      i++; // the \n of CRLF
    }
  }
  return rows;
}

/** Reads a response body as raw bytes (supertest buffers only text and JSON by itself). */
function binary(response: Response, done: (error: Error | null, body: Buffer) => void): void {
  const stream = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('the business-plan report as CSV and Excel', () => {
  it('CSV: one row per indicator and period, parsed back with numbers and RAG as text', async () => {
    const response = await get('/reports/business-plan.csv', {
      year: '2025/26',
      serviceId: 'day-01',
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toContain(
      `business-plan-${tenant}-2025-26.csv`,
    );
    const [header, ...rows] = csvRows(response.text.replace(/^\uFEFF/, ''));
    expect(rows).toHaveLength(4 + 3 + 1 + 1 + 4);
    const cell = (row: string[], name: string) => row[header!.indexOf(name)];
    const q2 = rows.find(
      (r) => cell(r, 'indicator') === 'PQ_REVIEWS' && cell(r, 'period') === '2025-26 Q2',
    )!;
    expect(
      [
        'floor',
        'previous_outturn',
        'comparative_benchmark',
        'target',
        'actual',
        'rag',
        'travel_vs_outturn',
      ].map((c) => cell(q2, c)),
    ).toEqual(['70', '76', '78', '82', '81', 'amber', 'better']);
    expect(Number(cell(q2, 'actual'))).toBe(81);
    const transition = rows.find((r) => cell(r, 'indicator') === 'PY_TRANSITION')!;
    expect([
      cell(transition, 'name'),
      cell(transition, 'year_basis'),
      cell(transition, 'rag'),
    ]).toEqual([
      'Young people with a learning disability in education, training or employment at 19 (%)',
      'academic',
      'green',
    ]);
    const autumn = rows.find(
      (r) => cell(r, 'indicator') === 'PT_ATTENDANCE' && cell(r, 'period') === 'Aut 25',
    )!;
    expect([cell(autumn, 'target'), cell(autumn, 'rag')]).toEqual(['93', 'amber']);
  });

  it('Excel: numbers as numbers, RAG as text, names and units in the sheet', async () => {
    const response = await get('/reports/business-plan.xlsx', { year: '2025/26' })
      .buffer(true)
      .parse(binary);
    expect(response.status).toBe(200);
    const workbook = new Workbook();
    await workbook.xlsx.load(response.body);
    const sheet = workbook.getWorksheet('Business plan')!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const rows: Record<string, unknown>[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1)
        rows.push(
          Object.fromEntries(headers.map((h, i) => [h as string, row.getCell(i + 1).value])),
        );
    });
    expect(rows).toHaveLength(13);
    const q3 = rows.find((r) => r.Code === 'PQ_REVIEWS' && r.Period === '2025-26 Q3')!;
    expect(q3).toMatchObject({
      Indicator: 'Reviews completed within timescale (%)',
      Unit: 'ratio',
      'Floor standard': 70,
      'Previous outturn': 76,
      'Comparative benchmark': 78,
      'Benchmark source': 'England average 2012/13',
      Target: 84,
      Actual: 60,
      RAG: 'red',
      'Travel vs previous period': 'worse',
    });
    const summer = rows.find((r) => r.Code === 'PT_ATTENDANCE' && r.Period === 'Sum 26')!;
    expect([summer.Target, summer.Actual, summer.RAG]).toEqual([92, 95, 'green']);
    expect(workbook.getWorksheet('Notes')!.getRow(1).getCell(1).value).toBe(
      `Business plan 2025/26 of ${tenant}`,
    );
  });
});

describe('commentary beside the plan’s figures (decision 0038)', () => {
  it('shows the organisation’s on the whole plan, a service’s on its own, none on a region’s; in JSON, CSV, Excel and the page', async () => {
    const council = await councilWithPlan();
    const write = (body: object) =>
      post(admin(council), '/commentary', {
        indicatorCode: 'PQ_REVIEWS',
        period: '2025-26 Q3',
        ...body,
      });
    await write({
      whatHappened: 'Two reviewers were off sick in December',
      whatIsBeingDone: 'Agency reviewers booked for January',
    });
    await write({
      serviceId: 'day-01',
      whatHappened: 'Day service 1 lost its reviewer',
      whatIsBeingDone: 'A new reviewer starts in February',
    });
    await projections.caughtUp();
    const as = (path: string, query: Record<string, string>) =>
      api
        .http()
        .get(path)
        .query(query)
        .set('Authorization', `Bearer ${reader(council)}`);
    const commentaryOf = async (query: Record<string, string>) => {
      const response = await as('/reports/business-plan', { year: '2025/26', ...query });
      expect(response.status).toBe(200);
      const line = (response.body.indicators as (Line & { periods: object[] })[]).find(
        (l) => l.code === 'PQ_REVIEWS',
      )!;
      return line.periods.map((p) => [
        (p as Period).period,
        (p as { commentary?: { whatHappened: string } }).commentary?.whatHappened ?? null,
      ]);
    };

    expect(await commentaryOf({})).toEqual([
      ['2025-26 Q1', null],
      ['2025-26 Q2', null],
      ['2025-26 Q3', 'Two reviewers were off sick in December'],
      ['2025-26 Q4', null],
    ]);
    expect((await commentaryOf({ serviceId: 'day-01' }))[2]).toEqual([
      '2025-26 Q3',
      'Day service 1 lost its reviewer',
    ]);
    expect((await commentaryOf({ regionId: 'east' })).every(([, text]) => text === null)).toBe(
      true,
    );

    const csv = await as('/reports/business-plan.csv', { year: '2025/26' });
    const [header, ...rows] = csvRows(csv.text.replace(/^\uFEFF/, ''));
    expect(header!.at(-1)).toBe('commentary');
    const q3 = rows.find((r) => r[1] === 'PQ_REVIEWS' && r.includes('2025-26 Q3'))!;
    expect(q3.at(-1)).toBe(
      'What happened: Two reviewers were off sick in December — What is being done: Agency reviewers booked for January',
    );
    expect(rows.filter((r) => r.at(-1) !== '')).toHaveLength(1);

    const excel = await as('/reports/business-plan.xlsx', { year: '2025/26' })
      .buffer(true)
      .parse(binary);
    const workbook = new Workbook();
    await workbook.xlsx.load(excel.body);
    const sheet = workbook.getWorksheet('Business plan')!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers.at(-1)).toBe('Commentary');
    const texts: unknown[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1 && row.getCell(headers.length).value) texts.push(row.getCell(headers.length).value);
    });
    expect(texts).toEqual([expect.stringContaining('Agency reviewers booked for January')]);

    const page = await as('/app/reports/business-plan', { year: '2025/26' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-commentary="2025-26 Q3"');
    expect(page.text).toContain('Two reviewers were off sick in December');
  });

  it('leaves the files as they were when the plan has no commentary', async () => {
    const csv = await get('/reports/business-plan.csv', { year: '2025/26' });
    const [header] = csvRows(csv.text.replace(/^\uFEFF/, ''));
    expect(header).not.toContain('commentary');
  });
});
