import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { Workbook, type Worksheet } from 'exceljs';
import type { Response } from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * The quarterly and annual reports as Excel workbooks, read back with exceljs: numbers as
 * numbers, RAG as text, months (or quarters) then the span, per service then all services.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
let tenant: string;
beforeAll(async () => {
  api = await startApiUnderTest('report_workbooks_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
  tenant = await tenantWithQuarter();
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
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
    code: 'REV',
    name: 'Reviews on time',
    unit: 'ratio',
    direction: 'higher-is-better',
    target: 90,
    tolerance: 5,
    periodicity: 'monthly',
    aggregation: 'ratio-of-sums',
  },
  {
    code: 'OPEN',
    name: 'Open all month',
    unit: 'yes-no',
    direction: 'higher-is-better',
    target: 1,
    periodicity: 'monthly',
    aggregation: 'last',
  },
];

const post = async (token: string, path: string, body: object) => {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
};

async function tenantWithQuarter(): Promise<string> {
  const id = `council-${randomUUID().slice(0, 8)}`;
  const admin = api.tokenFor({ tenantId: id, roles: ['provider-admin'] });
  const manager = api.tokenFor({ tenantId: id, roles: ['regional-manager'], userId: 'user:rm' });
  await post(admin, '/regions', { regionId: 'north', name: 'North', regionalManagerId: 'rm' });
  await post(admin, '/frameworks/respite/versions', {
    name: 'Respite',
    effectiveFrom: '2026-01',
    indicators: INDICATORS,
    bonusRule: null,
  });
  for (const [serviceId, name] of [
    ['ty-gwyn', 'Tŷ Gwyn'],
    ['plas', 'Plas Newydd'],
  ]) {
    await post(admin, '/services', {
      serviceId,
      name,
      regionId: 'north',
      serviceType: 'childrens-home',
      frameworkId: 'respite',
      openedOn: '2025-04-01',
    });
  }
  const returns: Record<string, object[]> = {
    'ty-gwyn': [
      { ADM: 3, REV: { numerator: 9, denominator: 10 }, OPEN: true },
      { ADM: 4, REV: { numerator: 8, denominator: 10 }, OPEN: true },
      { ADM: 5, REV: { numerator: 10, denominator: 10 }, OPEN: true },
    ],
    plas: [
      { ADM: 1, REV: { numerator: 1, denominator: 2 }, OPEN: true },
      { ADM: 2, REV: { numerator: 3, denominator: 4 }, OPEN: false },
      { ADM: 3, REV: { numerator: 2, denominator: 2 }, OPEN: false },
    ],
  };
  for (const [serviceId, values] of Object.entries(returns)) {
    for (const [i, period] of ['2026-04', '2026-05', '2026-06'].entries()) {
      await post(manager, `/services/${serviceId}/returns`, { period, values: values[i] });
    }
  }
  await projections.caughtUp();
  return id;
}

/** Reads a response body as raw bytes (supertest buffers only text and JSON by itself). */
function binary(response: Response, done: (error: Error | null, body: Buffer) => void): void {
  const stream = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

async function workbookOf(path: string, query: Record<string, string>) {
  const response = await api
    .http()
    .get(path)
    .query(query)
    .set('Authorization', `Bearer ${api.tokenFor({ tenantId: tenant, roles: ['regulator'] })}`)
    .buffer(true)
    .parse(binary);
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toBe(XLSX);
  const workbook = new Workbook();
  await workbook.xlsx.load(response.body);
  return { workbook, disposition: response.headers['content-disposition'] };
}

/** The sheet's rows as objects keyed by its header row. */
function rowsOf(sheet: Worksheet): Record<string, unknown>[] {
  const headers = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
  const rows: Record<string, unknown>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    rows.push(Object.fromEntries(headers.map((h, i) => [h, row.getCell(i + 1).value ?? null])));
  });
  return rows;
}

describe('the report workbooks', () => {
  it('lays the quarterly report out as months then the quarter, per service then all services', async () => {
    const { workbook, disposition } = await workbookOf('/reports/quarterly.xlsx', {
      quarter: '2026-27 Q1',
    });
    expect(disposition).toBe(`attachment; filename="quarterly-report-${tenant}-2026-27-Q1.xlsx"`);
    const rows = rowsOf(workbook.getWorksheet('Quarterly report')!);
    const row = (service: string, code: string) =>
      rows.find((r) => r.Service === service && r.Indicator === code)!;
    expect(rows.map((r) => `${r.Service} ${r.Indicator}`)).toEqual([
      'Plas Newydd ADM',
      'Plas Newydd REV',
      'Plas Newydd OPEN',
      'Tŷ Gwyn ADM',
      'Tŷ Gwyn REV',
      'Tŷ Gwyn OPEN',
      'All services ADM',
      'All services REV',
      'All services OPEN',
    ]);
    expect(row('Tŷ Gwyn', 'ADM')).toMatchObject({
      Name: 'Admissions',
      Unit: 'count',
      'Rolled up by': 'sum',
      '2026-04': 3,
      '2026-04 RAG': 'red',
      '2026-06': 5,
      '2026-27 Q1': 12,
      '2026-27 Q1 RAG': 'green',
      Target: 10,
      Outcome: 'met',
    });
    // A ratio as its percentage, a number: 27 / 30 = 90 %; all services 33 / 38, amber.
    expect(row('Tŷ Gwyn', 'REV')).toMatchObject({ '2026-04': 90, '2026-27 Q1': 90 });
    expect(row('All services', 'REV')['2026-27 Q1']).toBeCloseTo((100 * 33) / 38, 9);
    expect(row('All services', 'REV')['2026-27 Q1 RAG']).toBe('amber');
    expect(row('All services', 'ADM')).toMatchObject({ '2026-05': 6, '2026-27 Q1': 18 });
    // Yes/no as text, judged: Plas closed in May (last: "no" at the quarter's end).
    expect(row('Plas Newydd', 'OPEN')).toMatchObject({
      '2026-04': 'yes',
      '2026-05': 'no',
      '2026-05 RAG': 'red',
      '2026-27 Q1': 'no',
      '2026-27 Q1 RAG': 'red',
    });
    const notes: unknown[][] = [];
    workbook.getWorksheet('Notes')!.eachRow((r) => notes.push((r.values as unknown[]).slice(1)));
    expect(notes).toContainEqual([
      'REV',
      'Reviews on time',
      '% (a ratio, as a percentage)',
      'higher is better',
      'ratio-of-sums',
      'respite v1',
    ]);
  });

  it('lays the annual report out as quarters then the year', async () => {
    const { workbook, disposition } = await workbookOf('/reports/annual.xlsx', {
      year: '2026/27',
    });
    expect(disposition).toBe(`attachment; filename="annual-report-${tenant}-2026-27.xlsx"`);
    const rows = rowsOf(workbook.getWorksheet('Annual report')!);
    const total = rows.find((r) => r.Service === 'All services' && r.Indicator === 'ADM')!;
    expect(total).toMatchObject({
      '2026-27 Q1': 18,
      '2026-27 Q1 RAG': 'green',
      '2026-27 Q2': null,
      '2026/27': 18,
      '2026/27 RAG': 'green',
      Target: 10,
    });
  });

  it('refuses a bad quarter with 400 naming it, as the JSON does', async () => {
    const response = await api
      .http()
      .get('/reports/quarterly.xlsx')
      .query({ quarter: '2026 Q1' })
      .set('Authorization', `Bearer ${api.tokenFor({ tenantId: tenant, roles: ['regulator'] })}`);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'quarter' })]),
    );
  });
});
