import { randomUUID } from 'node:crypto';
import { periodsBetween, type Period } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { Workbook } from 'exceljs';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * Importing monthly returns (docs/decisions/0024): two years of ten services' returns from a
 * CSV in the KPI grid's layout, with a bad cell (nothing stored, the cell named), then fixed
 * (everything stored, and the quarterly reports the same as those of typed entry).
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('returns_import_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const admin = (tenantId: string) => api.tokenFor({ tenantId, roles: ['provider-admin'] });
const manager = (tenantId: string) =>
  api.tokenFor({ tenantId, roles: ['regional-manager'], userId: 'user:rm-gwen' });

const post = async (token: string, path: string, body: object) => {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response;
};
const importFile = (tenant: string, body: string | Buffer, type = 'text/csv', dryRun = false) =>
  api
    .http()
    .post('/returns/import')
    .query(dryRun ? { dryRun: 'true' } : {})
    .set('Authorization', `Bearer ${manager(tenant)}`)
    .set('Content-Type', type)
    .send(body);

const INDICATORS = [
  {
    code: 'ADM',
    name: 'Admissions',
    unit: 'count',
    direction: 'higher-is-better',
    target: 3,
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
    code: 'NEED',
    name: 'People supported by lead need',
    kind: 'data-only',
    unit: 'count',
    direction: 'higher-is-better',
    breakdown: { name: 'lead need', categories: ['MH', 'LD'] },
    periodicity: 'monthly',
    aggregation: 'sum',
  },
  {
    code: 'BEDS',
    name: 'Bed nights available',
    kind: 'data-only',
    unit: 'count',
    direction: 'higher-is-better',
    periodicity: 'monthly',
    aggregation: 'sum',
  },
  {
    code: 'FREE',
    name: 'Bed nights unoccupied',
    kind: 'derived',
    formula: { operation: 'difference', of: ['BEDS', 'ADM'] },
    unit: 'count',
    direction: 'lower-is-better',
    periodicity: 'monthly',
    aggregation: 'sum',
  },
];
const TYPED_CODES = ['ADM', 'OCC', 'REV', 'NEED', 'BEDS'];

const SERVICES = Array.from({ length: 10 }, (_, i) => `service-${i + 1}`);
const MONTHS = periodsBetween('2024-04' as Period, '2026-03' as Period);
const QUARTERS = ['2024-25', '2025-26'].flatMap((year) =>
  ['Q1', 'Q2', 'Q3', 'Q4'].map((q) => `${year} ${q}`),
);

/** The values typed, as JSON, for a service (0-based) and month (0-based). */
function typedValues(s: number, m: number): Record<string, unknown> {
  return {
    ADM: (s + m) % 7,
    OCC:
      s === 0 && m === 5
        ? { notApplicable: true, reason: 'Closed, flooded' }
        : 60 + ((s * 3 + m) % 40),
    REV: { numerator: ((s + m) % 5) + 5, denominator: 10 },
    NEED: { parts: { MH: s % 3, LD: m % 4 } },
    BEDS: 30,
  };
}

/** The same values as the export writes them. */
function shown(value: unknown): string {
  if (typeof value === 'number') return String(value);
  const v = value as Record<string, unknown>;
  if (v.notApplicable) return `n/a (${String(v.reason)})`;
  if (v.parts) {
    const parts = v.parts as Record<string, number>;
    return Object.entries(parts)
      .map(([category, part]) => `${category}: ${part}`)
      .join('; ');
  }
  return `${String(v.numerator)}/${String(v.denominator)}`;
}

const quote = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** The grid's CSV layout: a row per service, month and indicator (thresholds left blank). */
function returnsCsv(bad?: { s: number; m: number; code: string; value: string }): string {
  const lines = [
    'service_id,service_name,region_id,period,indicator,value,outcome,rag,target,floor,tolerance,expected_lower,expected_upper,framework_version,late,amended',
  ];
  SERVICES.forEach((serviceId, s) =>
    MONTHS.forEach((period, m) => {
      for (const [code, value] of Object.entries(typedValues(s, m))) {
        const cell =
          bad && bad.s === s && bad.m === m && bad.code === code ? bad.value : shown(value);
        lines.push(
          [
            serviceId,
            'Service',
            'north',
            period,
            code,
            quote(cell),
            '',
            '',
            '',
            '',
            '',
            '',
            '',
            '',
            '',
            '',
          ].join(','),
        );
      }
    }),
  );
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The grid's workbook layout: a row per service-month, value / RAG / n/a reason per indicator. */
async function returnsWorkbook(): Promise<Buffer> {
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet('KPI grid');
  sheet.addRow([
    'Service id',
    'Service',
    'Region',
    'Month',
    ...TYPED_CODES.flatMap((code) => [code, `${code} RAG`, `${code} n/a reason`]),
  ]);
  SERVICES.forEach((serviceId, s) =>
    MONTHS.forEach((period, m) => {
      const values = typedValues(s, m);
      sheet.addRow([
        serviceId,
        'Service',
        'north',
        period,
        ...TYPED_CODES.flatMap((code) => {
          const value = values[code] as Record<string, unknown> | number;
          if (typeof value === 'number') return [value, null, null];
          if (value.notApplicable) return [null, 'grey', value.reason];
          return [shown(value), null, null];
        }),
      ]);
    }),
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A council with the framework from April 2024 and the ten services. */
async function council(): Promise<string> {
  const tenant = `council-${randomUUID().slice(0, 8)}`;
  await post(admin(tenant), '/regions', {
    regionId: 'north',
    name: 'North',
    regionalManagerId: 'rm-gwen',
  });
  await post(admin(tenant), '/frameworks/respite/versions', {
    name: 'Respite services',
    effectiveFrom: '2024-04',
    indicators: INDICATORS,
    bonusRule: null,
  });
  for (const serviceId of SERVICES) {
    await post(admin(tenant), '/services', {
      serviceId,
      name: serviceId,
      regionId: 'north',
      serviceType: 'childrens-home',
      frameworkId: 'respite',
      openedOn: '2024-04-01',
    });
  }
  return tenant;
}

const returnsStored = async (tenant: string) =>
  Number(
    (
      await api.pool.query<{ count: string }>(
        `SELECT count(*) FROM events WHERE type = 'MonthlyReturnSubmitted' AND tenant_id = $1`,
        [tenant],
      )
    ).rows[0]!.count,
  );

async function quarterlyReports(tenant: string): Promise<unknown[]> {
  await projections.caughtUp();
  const reports = [];
  for (const quarter of QUARTERS) {
    const response = await api
      .http()
      .get('/reports/quarterly')
      .query({ quarter })
      .set('Authorization', `Bearer ${api.tokenFor({ tenantId: tenant, roles: ['regulator'] })}`);
    expect(response.status).toBe(200);
    reports.push(response.body);
  }
  return reports;
}

let typedReports: unknown[];
beforeAll(async () => {
  const typed = await council();
  for (const [s, serviceId] of SERVICES.entries())
    for (const [m, period] of MONTHS.entries())
      await post(manager(typed), `/services/${serviceId}/returns`, {
        period,
        values: typedValues(s, m),
      });
  typedReports = await quarterlyReports(typed);
}, 120_000);

describe('importing monthly returns', () => {
  it('stores nothing from a file with a bad cell, naming it; stores it all once fixed, reported as typed entry', async () => {
    const tenant = await council();
    // Service 4 (rows of 24 months × 5 indicators each), month 8, REV: the 4th indicator row.
    const refused = await importFile(tenant, returnsCsv({ s: 3, m: 7, code: 'REV', value: '7/0' }));
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toMatch(PROBLEM_JSON);
    const row = 1 + (3 * MONTHS.length + 7) * TYPED_CODES.length + 3;
    expect(refused.body).toMatchObject({
      type: 'urn:kpi-ledger:problem:import-refused',
      status: 422,
      problems: [
        {
          row,
          column: 'value',
          reason:
            'REV denominator must be a number above 0 (use not applicable when there is nothing to count)',
        },
      ],
      report: { rows: 1200, returns: 240, toStore: 239, stored: 0 },
    });
    expect(await returnsStored(tenant)).toBe(0);

    const dryRun = await importFile(tenant, returnsCsv(), 'text/csv', true);
    expect(dryRun.status).toBe(200);
    expect(dryRun.body).toMatchObject({ dryRun: true, toStore: 240, stored: 0, problems: [] });
    expect(await returnsStored(tenant)).toBe(0);

    const stored = await importFile(tenant, returnsCsv());
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({
      dryRun: false,
      rows: 1200,
      returns: 240,
      toStore: 240,
      unchanged: 0,
      stored: 240,
      events: 240,
      problems: [],
    });
    expect(await returnsStored(tenant)).toBe(240);
    expect(await quarterlyReports(tenant)).toEqual(typedReports);

    const again = await importFile(tenant, returnsCsv());
    expect(again.body).toMatchObject({ toStore: 0, unchanged: 240, stored: 0, events: 0 });
    expect(await returnsStored(tenant)).toBe(240);
  }, 120_000);

  it('imports the Excel layout the same way', async () => {
    const tenant = await council();
    const response = await importFile(tenant, await returnsWorkbook(), XLSX);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ format: 'xlsx', rows: 240, stored: 240, problems: [] });
    expect(await quarterlyReports(tenant)).toEqual(typedReports);
  }, 120_000);

  it("re-imports the council's own export, filled in, storing only the months filled in", async () => {
    const tenant = await council();
    await importFile(tenant, returnsCsv()).expect(200);
    await projections.caughtUp();
    const exported = await api
      .http()
      .get('/kpi-grid.csv')
      .query({ from: '2024-04', to: '2026-04' })
      .set('Authorization', `Bearer ${manager(tenant)}`);
    expect(exported.status).toBe(200);
    // April 2026 has no return: the export lists it as a gap; fill it in for one service.
    const filledIn = `${exported.text}${TYPED_CODES.map(
      (code) => `service-1,,north,2026-04,${code},${quote(shown(typedValues(0, 1)[code]))}`,
    ).join('\r\n')}\r\n`;
    const response = await importFile(tenant, filledIn);
    expect(response.body).toMatchObject({ unchanged: 240, stored: 1, problems: [] });
  }, 120_000);

  it('refuses what is not a returns file, and callers who may not submit returns', async () => {
    const tenant = `council-${randomUUID().slice(0, 8)}`;
    const json = await api
      .http()
      .post('/returns/import')
      .set('Authorization', `Bearer ${manager(tenant)}`)
      .send({ rows: [] });
    expect(json.status).toBe(400);
    expect(json.body.errors).toEqual([
      { field: 'Content-Type', reason: expect.stringMatching(/^must be text\/csv or/) },
    ]);
    const header = await importFile(tenant, 'a,b\r\n1,2\r\n');
    expect(header.status).toBe(422);
    expect(header.body.problems[0]).toMatchObject({ row: 1, column: 'service_id' });
    const reader = await api
      .http()
      .post('/returns/import')
      .set('Authorization', `Bearer ${api.tokenFor({ tenantId: tenant, roles: ['regulator'] })}`)
      .set('Content-Type', 'text/csv')
      .send(returnsCsv());
    expect(reader.status).toBe(403);
  });
});
