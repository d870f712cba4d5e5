import { commandSpecification, id, month } from '@kpi/testing';
import { publishFrameworkVersion } from '@kpi/features/kpi-frameworks';
import { registerRegion, registerService } from '@kpi/features/organisation';
import { readReturnsCsv } from './returns-import.file';
import { planReturnsImport } from './returns-import.use-cases';
import { submitMonthlyReturn } from './monthly-returns.use-cases';

/**
 * Checking a returns file (in memory): every rule of a typed submission applies, each problem
 * is named by row (header = 1), column and reason, and a month already stored is skipped when
 * the file says the same and refused when it says otherwise.
 */
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
    periodicity: 'monthly',
    aggregation: 'ratio-of-sums',
  },
  {
    code: 'SAFE',
    name: 'Safeguarding audit passed',
    unit: 'yes-no',
    direction: 'higher-is-better',
    target: 1,
    periodicity: 'monthly',
    aggregation: 'last',
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
    name: 'Beds available',
    kind: 'data-only',
    unit: 'count',
    direction: 'higher-is-better',
    periodicity: 'monthly',
    aggregation: 'sum',
  },
  {
    code: 'FREE',
    name: 'Beds unoccupied',
    kind: 'derived',
    formula: { operation: 'difference', of: ['BEDS', 'ADM'] },
    unit: 'count',
    direction: 'lower-is-better',
    periodicity: 'monthly',
    aggregation: 'sum',
  },
];

async function council() {
  const spec = commandSpecification({ now: new Date('2026-10-12T09:00:00Z') });
  await registerRegion(spec.context({ actor: 'user:admin' }), {
    regionId: id('north'),
    name: 'North',
    regionalManagerId: id('rm-1'),
  });
  await publishFrameworkVersion(spec.context(), {
    frameworkId: id('respite'),
    name: 'Respite',
    effectiveFrom: month('2026-01'),
    indicators: INDICATORS,
  });
  await registerService(spec.context(), {
    serviceId: id('ty-gwyn'),
    name: 'Tŷ Gwyn',
    regionId: id('north'),
    serviceType: 'childrens-home',
    frameworkId: id('respite'),
    openedOn: '2026-03-01',
  });
  return spec;
}

const HEADER = 'service_id,service_name,region_id,period,indicator,value,outcome,rag,target';
/** A CSV in the export's layout: one row per [service, period, indicator, value]. */
const csv = (...rows: [string, string, string, string][]) =>
  readReturnsCsv(
    [
      HEADER,
      ...rows.map(
        ([service, period, code, value]) => `${service},,north,${period},${code},${value},,,`,
      ),
    ].join('\r\n'),
  );
const april = (service = 'ty-gwyn', period = '2026-04'): [string, string, string, string][] => [
  [service, period, 'ADM', '4'],
  [service, period, 'REV', '9/10'],
  [service, period, 'SAFE', 'yes'],
  [service, period, 'NEED', '"MH: 3; LD: 2"'],
  [service, period, 'BEDS', 'n/a (Closed for refurbishment)'],
];

describe('checking a returns file', () => {
  it('reads each value as the export shows it and decides the return as a typed one', async () => {
    const spec = await council();
    const { report, returns } = await planReturnsImport(spec.context(), csv(...april()));
    expect(report).toMatchObject({ rows: 5, returns: 1, toStore: 1, unchanged: 0, problems: [] });
    expect(returns[0]!.event.data).toMatchObject({
      serviceId: 'ty-gwyn',
      period: '2026-04',
      values: {
        ADM: 4,
        REV: { numerator: 9, denominator: 10 },
        SAFE: true,
        NEED: { parts: { MH: 3, LD: 2 }, total: 5 },
        BEDS: { notApplicable: true, reason: 'Closed for refurbishment' },
        FREE: { notApplicable: true, reason: 'BEDS is not applicable' },
      },
      late: true,
    });
  });

  it('names the row, column and reason of every bad cell, as a typed submission would refuse it', async () => {
    const spec = await council();
    const rows = april();
    rows[0] = ['ty-gwyn', '2026-04', 'ADM', '4.5'];
    rows[1] = ['ty-gwyn', '2026-04', 'REV', '90'];
    rows[2] = ['ty-gwyn', '2026-04', 'SAFE', 'maybe'];
    rows[3] = ['ty-gwyn', '2026-04', 'NEED', '"MH: 3"'];
    const { report } = await planReturnsImport(
      spec.context(),
      csv(...rows, ['ty-gwyn', '2026-04', 'FREE', '2'], ['ty-gwyn', '2026-04', 'XYZ', '1']),
    );
    expect(report.problems).toEqual([
      { row: 2, column: 'value', reason: 'ADM must be a whole number (a count)' },
      {
        row: 3,
        column: 'value',
        reason: expect.stringMatching(/^REV a ratio is given as numerator\/denominator/),
      },
      {
        row: 4,
        column: 'value',
        reason: 'SAFE must be yes or no (a yes-no indicator); got "maybe"',
      },
      {
        row: 5,
        column: 'value',
        reason: 'NEED LD is missing: give every category of lead need (0 for none)',
      },
      {
        row: 7,
        column: 'value',
        reason: 'FREE is derived (BEDS − ADM): it is computed, not given',
      },
      { row: 8, column: 'value', reason: 'XYZ is not an indicator of respite version 1' },
    ]);
  });

  it('refuses a missing indicator, a month before the service opened and an unknown service', async () => {
    const spec = await council();
    const { report } = await planReturnsImport(
      spec.context(),
      csv(
        ...april().slice(0, 4),
        ...april('ty-gwyn', '2026-02').slice(0, 1),
        ...april('plas-newydd').slice(0, 1),
        ['Bad Id', '2026-04', 'ADM', '1'],
        ['ty-gwyn', '04/2026', 'ADM', '1'],
        ['ty-gwyn', '2026-11', 'ADM', '1'],
      ),
    );
    expect(report.problems).toEqual([
      {
        row: 2,
        column: 'indicator',
        reason:
          'BEDS is missing: give a value, or n/a (reason) when it does not apply (Beds available)',
      },
      {
        row: 6,
        column: 'period',
        reason: 'ty-gwyn opened in 2026-03: there is no return for 2026-02',
      },
      {
        row: 7,
        column: 'service_id',
        reason: 'no service "plas-newydd" is registered in your organisation',
      },
      { row: 8, column: 'service_id', reason: expect.stringMatching(/^must be a service id/) },
      { row: 9, column: 'period', reason: 'must be a month written YYYY-MM; got "04/2026"' },
      {
        row: 10,
        column: 'period',
        reason: '2026-11 has not ended yet: a return covers a whole month',
      },
    ]);
  });

  it("does not read another tenant's services: they are unknown", async () => {
    const spec = await council();
    const { report } = await planReturnsImport(
      spec.context({ tenantId: 'other-council' }),
      csv(...april()),
    );
    expect(report.problems).toHaveLength(5);
    expect(report.problems[0]).toMatchObject({ column: 'service_id', row: 2 });
  });

  it('skips a month already stored with the same values, and refuses one stored with others', async () => {
    const spec = await council();
    await submitMonthlyReturn(spec.context(), {
      serviceId: id('ty-gwyn'),
      period: month('2026-04'),
      values: {
        ADM: 4,
        REV: { numerator: 9, denominator: 10 },
        SAFE: true,
        NEED: { parts: { MH: 3, LD: 2 } },
        BEDS: { notApplicable: true, reason: 'Closed for refurbishment' },
      },
    });
    const same = await planReturnsImport(spec.context(), csv(...april()));
    expect(same.report).toMatchObject({ returns: 1, toStore: 0, unchanged: 1, problems: [] });

    const rows = april();
    rows[0] = ['ty-gwyn', '2026-04', 'ADM', '5'];
    const other = await planReturnsImport(spec.context(), csv(...rows));
    expect(other.report.problems).toEqual([
      {
        row: 2,
        column: 'value',
        reason:
          'ADM differs from the return already submitted for ty-gwyn 2026-04 (4, submitted 2026-10-12T09:00:00.000Z): amend that return to change it',
      },
    ]);

    // A value that cannot be read is named as such, not as a difference.
    rows[0] = ['ty-gwyn', '2026-04', 'ADM', 'four'];
    const unreadable = await planReturnsImport(spec.context(), csv(...rows));
    expect(unreadable.report.problems).toHaveLength(1);
    expect(unreadable.report.problems[0]!.reason).not.toMatch(/differs/);
    expect(unreadable.report.problems[0]!.reason).toMatch(/number/);
  });

  it('names a value given twice for a month, and ignores months without a return', async () => {
    const spec = await council();
    const file = csv(
      ...april(),
      ['ty-gwyn', '2026-04', 'ADM', '4'],
      ['ty-gwyn', '2026-05', '', ''],
    );
    const { report } = await planReturnsImport(spec.context(), file);
    expect(report.problems).toEqual([
      {
        row: 7,
        column: 'value',
        reason: 'ADM of ty-gwyn 2026-04 is given again (first in row 2)',
      },
    ]);
    expect(report.returns).toBe(1);
  });
});
