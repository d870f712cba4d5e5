import { randomUUID } from 'node:crypto';
import { DIRECT_SERVICES_INDICATORS } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * Seed `001_…`'s "Respite Service" table, end to end: a council's respite unit on the
 * `direct-services-respite` preset (effective 2016-11), its monthly returns Nov 2016 – Dec 2017
 * each submitted just after its month ends (the app's clock), then the quarterly report of each
 * quarter Q3 2016-17 … Q3 2017-18: the table's months and its quarter totals, beds unoccupied
 * derived (available − delivered).
 *
 * The seed's table is a template: every month's cell is blank and every total (and every beds
 * unoccupied cell) is 0. The first tenant reproduces it exactly (all respite figures 0); the
 * second fills the same table with plausible figures (two beds a night), so that the
 * derivation and the totals are checked by numbers that could come out wrong.
 *
 * The seed gives no figures for the rest of the direct-services dataset the preset requires in
 * a return: those are fixed values (FILLER below), the same every month.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('respite_table_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  api?.setNow(null);
  await projections?.stop();
  await api?.close();
});

const admin = (tenantId: string) => api.tokenFor({ tenantId, roles: ['provider-admin'] });
const manager = (tenantId: string) =>
  api.tokenFor({ tenantId, roles: ['regional-manager'], userId: 'user:rm-lee' });
const post = async (token: string, path: string, body: object) => {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response;
};

/** The table's months, Nov-16 … Dec-17. */
const MONTHS = [
  '2016-11',
  '2016-12',
  '2017-01',
  '2017-02',
  '2017-03',
  '2017-04',
  '2017-05',
  '2017-06',
  '2017-07',
  '2017-08',
  '2017-09',
  '2017-10',
  '2017-11',
  '2017-12',
];

/** The table's quarter columns: the financial quarter and its months in the table. */
const QUARTERS: { quarter: string; months: string[]; tableMonths: string[] }[] = [
  {
    quarter: '2016-17 Q3',
    months: ['2016-10', '2016-11', '2016-12'],
    tableMonths: MONTHS.slice(0, 2),
  },
  { quarter: '2016-17 Q4', months: MONTHS.slice(2, 5), tableMonths: MONTHS.slice(2, 5) },
  { quarter: '2017-18 Q1', months: MONTHS.slice(5, 8), tableMonths: MONTHS.slice(5, 8) },
  { quarter: '2017-18 Q2', months: MONTHS.slice(8, 11), tableMonths: MONTHS.slice(8, 11) },
  { quarter: '2017-18 Q3', months: MONTHS.slice(11, 14), tableMonths: MONTHS.slice(11, 14) },
];

/** The table's rows, top to bottom, as the preset's codes. */
const GIVEN_ROWS = [
  'BEDS_AVAILABLE',
  'BEDS_DELIVERED',
  'BEDS_CANCELLED',
  'EIA_BEDS',
  'EIA_DISCHARGES',
  'BANDING_ALLOCATED',
  'MOVE_ON_PLANS',
] as const;
type Given = (typeof GIVEN_ROWS)[number];
type Table = Record<Given, number[]>;

/** The seed's table: blank months, totals 0. */
const SEED_TABLE: Table = Object.fromEntries(
  GIVEN_ROWS.map((code) => [code, MONTHS.map(() => 0)]),
) as Table;

/** The same table filled in: two beds a night, so available = 2 × the month's nights. */
const FILLED_TABLE: Table = {
  BEDS_AVAILABLE: [60, 62, 62, 56, 62, 60, 62, 60, 62, 62, 60, 62, 60, 62],
  BEDS_DELIVERED: [48, 40, 51, 50, 55, 52, 58, 49, 60, 61, 47, 53, 50, 41],
  BEDS_CANCELLED: [2, 3, 1, 0, 2, 1, 0, 2, 1, 0, 3, 1, 2, 4],
  EIA_BEDS: [1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0],
  EIA_DISCHARGES: [0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0],
  BANDING_ALLOCATED: [5, 4, 6, 3, 4, 5, 6, 4, 3, 5, 4, 6, 5, 4],
  MOVE_ON_PLANS: [1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1],
};

/** Fixed values for the direct-services items the seed's table does not give. */
const FILLER: Record<string, unknown> = Object.fromEntries(
  DIRECT_SERVICES_INDICATORS.filter((i) => i.kind !== 'derived').map((i) => [
    i.code,
    i.breakdown
      ? { parts: Object.fromEntries(i.breakdown.categories.map((c) => [c, 1])) }
      : i.unit === 'hours'
        ? 150
        : 4,
  ]),
);

/** The 5th of the month after `period`: the month has ended and the return is on time. */
const justAfter = (period: string) => {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 5, 9));
};

/** A council tenant with the respite unit, the preset from 2016-11 and the table's returns. */
async function respiteUnitWith(table: Table): Promise<string> {
  const tenant = `council-${randomUUID().slice(0, 8)}`;
  api.setNow(new Date(Date.UTC(2016, 9, 20))); // October 2016: the framework starts next month.
  await post(admin(tenant), '/regions', {
    regionId: 'neath-port-talbot',
    name: 'Neath Port Talbot',
    regionalManagerId: 'rm-lee',
  });
  await post(admin(tenant), '/frameworks/presets/direct-services-respite', {
    effectiveFrom: '2016-11',
  });
  await post(admin(tenant), '/services', {
    serviceId: 'trem-y-mor-respite',
    name: 'Trem-Y-Mor Respite service',
    regionId: 'neath-port-talbot',
    serviceType: 'respite',
    frameworkId: 'direct-services-respite',
    openedOn: '2010-04-01',
  });
  for (const [i, period] of MONTHS.entries()) {
    api.setNow(justAfter(period));
    const respite = Object.fromEntries(GIVEN_ROWS.map((code) => [code, table[code][i]]));
    await post(manager(tenant), '/services/trem-y-mor-respite/returns', {
      period,
      values: { ...FILLER, ...respite },
    });
  }
  api.setNow(new Date(Date.UTC(2018, 0, 15)));
  await projections.caughtUp();
  return tenant;
}

type Figure = { value: unknown; judgedValue: number | null; judgement: unknown };
type Line = {
  code: string;
  months: (Figure & { period: string })[];
  quarter: Figure & { monthsWithValue: number };
};

async function quarterlyReport(tenant: string, quarter: string) {
  const response = await api
    .http()
    .get('/reports/quarterly')
    .query({ quarter, detail: 'months' })
    .set('Authorization', `Bearer ${api.tokenFor({ tenantId: tenant, roles: ['regulator'] })}`);
  expect({ quarter, status: response.status, body: response.body }).toMatchObject({
    status: 200,
  });
  return response.body as {
    months: string[];
    indicators: { code: string; kind?: string; aggregation: string }[];
    services: { serviceId: string; lines: Line[] }[];
    total: Line[];
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The table's row for `code` in one quarter column: its months, then its total. */
function expectedRow(table: Table, code: Given | 'BEDS_UNOCCUPIED', tableMonths: string[]) {
  const values = tableMonths.map((period) => {
    const i = MONTHS.indexOf(period);
    return code === 'BEDS_UNOCCUPIED'
      ? table.BEDS_AVAILABLE[i]! - table.BEDS_DELIVERED[i]!
      : table[code][i]!;
  });
  // Move-on plans in place is a position (`last`): the quarter's is its last month's.
  const total = code === 'MOVE_ON_PLANS' ? values[values.length - 1]! : sum(values);
  return { values, total };
}

const ROWS = [
  'BEDS_AVAILABLE',
  'BEDS_DELIVERED',
  'BEDS_UNOCCUPIED',
  'BEDS_CANCELLED',
  'EIA_BEDS',
  'EIA_DISCHARGES',
  'BANDING_ALLOCATED',
  'MOVE_ON_PLANS',
] as const;

async function expectTable(tenant: string, table: Table) {
  for (const { quarter, months, tableMonths } of QUARTERS) {
    const report = await quarterlyReport(tenant, quarter);
    expect(report.months).toEqual(months);
    expect(report.services.map((s) => s.serviceId)).toEqual(['trem-y-mor-respite']);
    const service = Object.fromEntries(report.services[0]!.lines.map((l) => [l.code, l]));
    const total = Object.fromEntries(report.total.map((l) => [l.code, l]));
    for (const code of ROWS) {
      const { values, total: quarterTotal } = expectedRow(table, code, tableMonths);
      for (const line of [service[code], total[code]]) {
        const context = { quarter, code };
        expect({ ...context, months: line!.months.map((m) => [m.period, m.value]) }).toEqual({
          ...context,
          // October 2016 is before the framework: the report shows it without a value.
          months: months.map((period) =>
            tableMonths.includes(period)
              ? [period, values[tableMonths.indexOf(period)]]
              : [period, null],
          ),
        });
        expect({ ...context, quarter: line!.quarter.value }).toEqual({
          ...context,
          quarter: quarterTotal,
        });
        expect(line!.quarter.monthsWithValue).toBe(tableMonths.length);
        // Every row of the table is data-only or derived without a target: never judged.
        expect(line!.quarter.judgement).toBeNull();
      }
    }
    expect(report.indicators).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'BEDS_UNOCCUPIED', kind: 'derived', aggregation: 'sum' }),
      ]),
    );
  }
}

describe("seed 001's respite table from the monthly returns", () => {
  it('reproduces the seed: blank months and totals of 0, beds unoccupied 0', async () => {
    const tenant = await respiteUnitWith(SEED_TABLE);
    await expectTable(tenant, SEED_TABLE);
  });

  it('fills the same table from real figures, beds unoccupied derived as available − delivered', async () => {
    const tenant = await respiteUnitWith(FILLED_TABLE);
    await expectTable(tenant, FILLED_TABLE);
    // Spot checks against hand-worked figures of the table.
    const q3 = await quarterlyReport(tenant, '2016-17 Q3');
    const unoccupied = q3.total.find((l) => l.code === 'BEDS_UNOCCUPIED')!;
    expect(unoccupied.months.map((m) => m.value)).toEqual([null, 12, 22]);
    expect(unoccupied.quarter.value).toBe(34);
    const q4 = await quarterlyReport(tenant, '2016-17 Q4');
    expect(q4.total.find((l) => l.code === 'BEDS_AVAILABLE')!.quarter.value).toBe(180);
    expect(q4.total.find((l) => l.code === 'BEDS_UNOCCUPIED')!.quarter.value).toBe(24);
  });
});
