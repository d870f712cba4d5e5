import type { IndicatorDefinition, IndicatorValue } from '@kpi/domain';
import {
  cellInput,
  cellMatches,
  readReturnsCsv,
  readReturnsFile,
  type ImportedRow,
  type ReturnsFile,
} from '@kpi/features/monthly-returns';
import type { KpiGridCellDto, KpiGridDto } from './kpi-grid.dto';
import { kpiGridCsv } from './kpi-grid.csv';
import { kpiGridWorkbook } from './kpi-grid.xlsx';

/**
 * Export, then import: every kind of value the KPI grid writes reads back as the value it was
 * (the import is the inverse of kpi-grid.format.ts), in both layouts.
 */
const indicator = (code: string, unit: IndicatorDefinition['unit'], extra = {}) =>
  ({
    code,
    name: code,
    unit,
    direction: 'higher-is-better',
    periodicity: 'monthly',
    aggregation: 'last',
    ...extra,
  }) as IndicatorDefinition;

const INDICATORS = [
  indicator('EDU', 'percentage'),
  indicator('ADM', 'count'),
  indicator('HRS', 'hours'),
  indicator('R44', 'yes-no'),
  indicator('REV', 'ratio'),
  indicator('NEED', 'count', { breakdown: { name: 'lead need', categories: ['MH', 'LD', 'OP'] } }),
  indicator('RTI', 'percentage'),
];

const VALUES: Record<string, IndicatorValue> = {
  EDU: 85.5,
  ADM: 1250,
  HRS: 0,
  R44: false,
  REV: { numerator: 2, denominator: 3 },
  NEED: { parts: { MH: 3, LD: 0, OP: 7 }, total: 10 },
  RTI: { notApplicable: true, reason: 'No missing episodes, so nothing (to count), "really"' },
};

const cell = (value: IndicatorValue, judgedValue: number | null): KpiGridCellDto => ({
  value,
  judgedValue,
  outcome: 'not-judged',
  rag: 'grey',
  target: null,
  floor: null,
  tolerance: null,
  expectedRange: null,
  frameworkId: 'respite',
  frameworkVersion: 1,
  lastChangedAt: '2026-05-10T10:00:00.000Z',
});

const grid: KpiGridDto = {
  from: '2026-04',
  to: '2026-05',
  frameworks: [
    {
      frameworkId: 'respite',
      version: 1,
      name: 'Respite',
      indicators: INDICATORS.map(({ code, name, unit, direction }) => ({
        code,
        name,
        unit,
        direction,
      })),
    },
  ],
  services: [
    {
      serviceId: 'ty-gwyn',
      name: '=Tŷ Gwyn, "the house"',
      regionId: 'north-wales',
      openedOn: '2024-04-01',
      months: [
        {
          period: '2026-04',
          dueDate: '2026-05-20',
          submitted: true,
          submittedAt: '2026-05-10T10:00:00.000Z',
          late: false,
          amended: false,
          amendments: 0,
          frameworkId: 'respite',
          frameworkVersion: 1,
          managerId: null,
          bonus: null,
          cells: {
            EDU: cell(VALUES.EDU!, 85.5),
            ADM: cell(VALUES.ADM!, 1250),
            HRS: cell(VALUES.HRS!, 0),
            R44: cell(VALUES.R44!, 0),
            REV: cell(VALUES.REV!, 200 / 3),
            NEED: cell(VALUES.NEED!, 10),
            RTI: cell(VALUES.RTI!, null),
          },
        },
        {
          period: '2026-05',
          dueDate: '2026-06-20',
          submitted: false,
          submittedAt: null,
          late: null,
          amended: false,
          amendments: 0,
          frameworkId: null,
          frameworkVersion: null,
          managerId: null,
          bonus: null,
          cells: {},
        },
      ],
    },
  ],
};

const definitionOf = (code: string) => INDICATORS.find((i) => i.code === code)!;
const april = (file: ReturnsFile): ImportedRow[] =>
  file.rows.filter((row) => row.period === '2026-04');

describe('export → import', () => {
  it('reads every value of the CSV back as it was, and a month without a return as none', () => {
    const file = readReturnsCsv(kpiGridCsv(grid));
    expect(file.problems).toEqual([]);
    expect(file.rows.map((row) => row.serviceId)).toEqual(Array(8).fill('ty-gwyn'));
    expect(file.rows.find((row) => row.period === '2026-05')!.cells).toEqual([]);
    const read = Object.fromEntries(
      april(file).flatMap((row) =>
        row.cells.map((c) => [c.code, cellInput(definitionOf(c.code), c)]),
      ),
    );
    expect(read).toEqual({
      EDU: { input: 85.5 },
      ADM: { input: 1250 },
      HRS: { input: 0 },
      R44: { input: false },
      REV: { input: { numerator: 2, denominator: 3 } },
      NEED: { input: { parts: { MH: 3, LD: 0, OP: 7 } } },
      RTI: { input: VALUES.RTI },
    });
    expect(april(file).map((row) => row.cells[0]!.row)).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('reads the workbook back: numbers, yes/no and n/a as they were; ratios and breakdowns match', async () => {
    const file = await readReturnsFile(
      await kpiGridWorkbook(grid, { tenantId: 'acme', exportedAt: new Date('2026-06-01') }),
    );
    expect(file.format).toBe('xlsx');
    expect(file.problems).toEqual([]);
    expect(file.rows.map((row) => [row.row, row.serviceId, row.period])).toEqual([
      [2, 'ty-gwyn', '2026-04'],
      [3, 'ty-gwyn', '2026-05'],
    ]);
    expect(file.rows[1]!.cells).toEqual([]);
    const [row] = file.rows;
    for (const imported of row!.cells) {
      const definition = definitionOf(imported.code);
      expect({
        code: imported.code,
        matches: cellMatches(definition, imported, VALUES[imported.code]!),
      }).toEqual({
        code: imported.code,
        matches: true,
      });
      if (definition.unit !== 'ratio' && !definition.breakdown)
        expect(cellInput(definition, imported)).toEqual({ input: VALUES[imported.code] });
    }
    expect(row!.cells.map((c) => c.column)).toEqual([
      'ADM',
      'EDU',
      'HRS',
      'NEED',
      'R44',
      'REV',
      'RTI',
    ]);
  });
});
