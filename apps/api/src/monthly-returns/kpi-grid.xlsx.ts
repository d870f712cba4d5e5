import { nextPeriod, type Direction, type IndicatorUnit, type Period } from '@kpi/domain';
import { Workbook, type Fill, type Worksheet } from 'exceljs';
import type { KpiGridCellDto, KpiGridDto, KpiGridIndicatorDto } from './kpi-grid.dto';
import { indicatorCodesOf } from './kpi-grid.format';
import { gridHasCommentary } from './kpi-grid.csv';
import { commentaryText } from './report-commentary';

export type RagColour = 'green' | 'amber' | 'red' | 'grey';

/** The fill of each RAG colour (ARGB): light enough to read black text on. */
export const RAG_FILLS: Record<RagColour, string> = {
  green: 'FF92D050',
  amber: 'FFFFC000',
  red: 'FFFF7C80',
  grey: 'FFD9D9D9',
};

export const RAG_MEANINGS: [RagColour, string][] = [
  ['green', 'Target met.'],
  ['amber', 'Target missed, but the floor standard met (or within the tolerance).'],
  [
    'red',
    'Below the floor standard (or outside the tolerance). An indicator without a floor or tolerance is green or red.',
  ],
  ['grey', 'Not applicable (the reason is shown), or no return for the month.'],
];

/** The columns of a service-month before its indicators: what each holds is plain data. */
const FIXED_COLUMNS: { header: string; width: number; of: (row: ServiceMonth) => CellValue }[] = [
  { header: 'Service id', width: 16, of: ({ service }) => service.serviceId },
  { header: 'Service', width: 24, of: ({ service }) => service.name },
  { header: 'Region', width: 16, of: ({ service }) => service.regionId },
  { header: 'Month', width: 10, of: ({ month }) => month.period },
  { header: 'Manager', width: 16, of: ({ month }) => month.managerId },
  { header: 'Submitted', width: 10, of: ({ month }) => yesNo(month.submitted) },
  { header: 'Late', width: 8, of: ({ month }) => (month.late === null ? null : yesNo(month.late)) },
  { header: 'Amended', width: 10, of: ({ month }) => yesNo(month.amended) },
  { header: 'Amendments', width: 12, of: ({ month }) => month.amendments },
  {
    header: 'Framework',
    width: 22,
    of: ({ month }) =>
      month.frameworkId === null ? null : `${month.frameworkId} v${month.frameworkVersion}`,
  },
  { header: 'KPIs met', width: 10, of: ({ month }) => month.bonus?.met ?? null },
  { header: 'KPIs judged', width: 12, of: ({ month }) => month.bonus?.of ?? null },
  { header: 'KPIs needed for bonus', width: 12, of: ({ month }) => month.bonus?.required ?? null },
  {
    header: 'Bonus compliant',
    width: 16,
    of: ({ month }) => (month.bonus ? yesNo(month.bonus.compliant) : null),
  },
];

/** Each indicator's three columns: its value, its RAG as text, why it was not applicable. */
const RAG_SUFFIX = ' RAG';
const REASON_SUFFIX = ' n/a reason';

type CellValue = string | number | null;

interface ServiceMonth {
  service: KpiGridDto['services'][number];
  month: KpiGridDto['services'][number]['months'][number];
}

export const UNIT_TEXT: Record<IndicatorUnit, string> = {
  count: 'count',
  percentage: '%',
  ratio: '% (a ratio, as a percentage)',
  hours: 'hours',
  days: 'days',
  'yes-no': 'yes/no',
};

export const DIRECTION_TEXT: Record<Direction, string> = {
  'higher-is-better': 'higher is better',
  'lower-is-better': 'lower is better',
  'within-range': 'best within the expected range',
};

export interface WorkbookContext {
  tenantId: string;
  exportedAt: Date;
}

/**
 * The grid as an Excel workbook that reads on its own: sheet "KPI grid" with a row per
 * service-month (the manager in post, KPIs met as numbers) and three columns per indicator —
 * the value (numbers only; yes/no for yes-no indicators), its RAG as text (the value cell is
 * also filled by its colour: pivots and screen readers lose colour) and the reason when not
 * applicable; each indicator's header carries a note with its name, unit and direction.
 * Sheet "Notes" says what each indicator measures, which framework versions judged which
 * months with their thresholds, and what the colours mean.
 */
export async function kpiGridWorkbook(grid: KpiGridDto, context: WorkbookContext): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'kpi-ledger';
  workbook.created = context.exportedAt;
  const codes = indicatorCodesOf(grid.services);
  addGridSheet(workbook, grid, codes);
  if (gridHasCommentary(grid)) addCommentarySheet(workbook, grid);
  addNotesSheet(workbook, grid, context);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * Sheet "Commentary" (docs/decisions/0038), when a cell has some: a row per service, month and
 * indicator with commentary, what happened and what is being done (or when they were erased).
 */
function addCommentarySheet(workbook: Workbook, grid: KpiGridDto): void {
  const sheet = workbook.addWorksheet('Commentary', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = [
    { header: 'Service id', width: 16 },
    { header: 'Service', width: 24 },
    { header: 'Month', width: 10 },
    { header: 'Indicator', width: 12 },
    { header: 'Commentary', width: 90 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const service of grid.services) {
    for (const month of service.months) {
      for (const [code, cell] of Object.entries(month.cells)) {
        const text = commentaryText(cell.commentary);
        if (text === undefined) continue;
        sheet.addRow([service.serviceId, service.name, month.period, code, text]).alignment = {
          wrapText: true,
          vertical: 'top',
        };
      }
    }
  }
}

function addGridSheet(workbook: Workbook, grid: KpiGridDto, codes: string[]): void {
  const sheet = workbook.addWorksheet('KPI grid', {
    views: [{ state: 'frozen', xSplit: 4, ySplit: 1 }],
  });
  sheet.columns = [
    ...FIXED_COLUMNS.map(({ header, width }) => ({ header, width })),
    ...codes.flatMap((code) => [
      { header: code, width: Math.max(8, code.length + 2) },
      { header: `${code}${RAG_SUFFIX}`, width: Math.max(8, code.length + 5) },
      { header: `${code}${REASON_SUFFIX}`, width: 20 },
    ]),
  ];
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  const indicators = latestDefinitions(grid);
  codes.forEach((code, i) => {
    const definition = indicators.get(code);
    if (definition) header.getCell(valueColumn(i)).note = indicatorNote(definition);
  });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columnCount } };

  for (const service of grid.services) {
    for (const month of service.months) {
      const row = sheet.addRow([
        ...FIXED_COLUMNS.map((column) => column.of({ service, month })),
        ...codes.flatMap((code) => indicatorCells(month.cells[code])),
      ]);
      codes.forEach((code, i) => {
        const fill = solidFill(ragOf(month.cells[code]));
        for (const column of [valueColumn(i), valueColumn(i) + 1]) {
          const cell = row.getCell(column);
          cell.fill = fill;
          cell.alignment = { horizontal: 'center' };
        }
      });
    }
  }
}

/** The sheet column (1-based) of the i-th indicator's value; its RAG and reason follow. */
const valueColumn = (i: number) => FIXED_COLUMNS.length + 3 * i + 1;

/**
 * An indicator's value, RAG and not-applicable reason in a month. The value is a number (a
 * ratio as the percentage judged), yes/no for a yes-no indicator, blank when not applicable
 * or without a return.
 */
function indicatorCells(cell: KpiGridCellDto | undefined): CellValue[] {
  if (!cell) return [null, null, null];
  const { value } = cell;
  const notApplicable = isNotApplicable(value);
  const shown =
    typeof value === 'number'
      ? value
      : typeof value === 'boolean'
        ? yesNo(value)
        : notApplicable
          ? null
          : cell.judgedValue;
  return [shown, cell.rag, notApplicable ? value.reason : null];
}

function isNotApplicable(value: unknown): value is { notApplicable: true; reason: string } {
  return typeof value === 'object' && value !== null && 'notApplicable' in value;
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/** Each indicator code as the latest framework version of the grid defines it. */
function latestDefinitions(grid: KpiGridDto): Map<string, KpiGridIndicatorDto> {
  const definitions = new Map<string, KpiGridIndicatorDto>();
  for (const framework of [...grid.frameworks].sort((a, b) => a.version - b.version)) {
    for (const indicator of framework.indicators) definitions.set(indicator.code, indicator);
  }
  return definitions;
}

function indicatorNote(indicator: KpiGridIndicatorDto): string {
  return `${indicator.name}. Unit: ${unitText(indicator.unit)}; ${directionText(indicator.direction)}.`;
}

const unitText = (unit: string) => UNIT_TEXT[unit as IndicatorUnit] ?? unit;
const directionText = (direction: string) => DIRECTION_TEXT[direction as Direction] ?? direction;

function addNotesSheet(workbook: Workbook, grid: KpiGridDto, context: WorkbookContext): void {
  const sheet = workbook.addWorksheet('Notes');
  sheet.columns = [
    { width: 22 },
    { width: 12 },
    { width: 30 },
    { width: 36 },
    { width: 16 },
    { width: 28 },
    { width: 16 },
  ];
  sheet.addRow([`KPI grid of ${context.tenantId}, ${grid.from} to ${grid.to}`]).font = {
    bold: true,
    size: 14,
  };
  sheet.addRow([`Exported ${context.exportedAt.toISOString()} by kpi-ledger.`]);
  sheet.addRow([
    'Each month is judged by the framework version in force for that month, with the thresholds of that version: a later version never changes the colour of an earlier month.',
  ]);
  sheet.addRow([
    'Late: submitted after the 20th of the following month. Amended: changed after submission (Amendments: how many times); the history of each return is kept. Manager: the manager in post on the last day of the month.',
  ]);
  sheet.addRow([
    'Each indicator has three columns: its value (numbers only; yes/no for a yes-no indicator; blank when not applicable or without a return), its RAG as text, and the reason when it was not applicable. The value and RAG cells are also filled with the RAG colour. KPIs met, judged and needed for bonus are numbers.',
  ]);
  sheet.addRow([]);

  heading(sheet, 'Indicators, by framework version');
  const frameworks = [...grid.frameworks].sort(
    (a, b) => a.frameworkId.localeCompare(b.frameworkId) || a.version - b.version,
  );
  if (frameworks.length === 0) sheet.addRow(['No returns in this span.']);
  else headerRow(sheet, ['Framework', 'Version', 'Indicator', 'Name', 'Unit', 'Direction']);
  for (const framework of frameworks) {
    for (const indicator of framework.indicators) {
      sheet.addRow([
        framework.frameworkId,
        framework.version,
        indicator.code,
        indicator.name,
        unitText(indicator.unit),
        directionText(indicator.direction),
      ]);
    }
  }
  sheet.addRow([]);

  heading(sheet, 'What the colours mean');
  for (const [rag, meaning] of RAG_MEANINGS) {
    const row = sheet.addRow([rag, meaning]);
    row.getCell(1).fill = solidFill(rag);
  }
  sheet.addRow([]);

  heading(sheet, 'Framework versions used');
  const versions = frameworkVersionsOf(grid);
  if (versions.length === 0) sheet.addRow(['No returns in this span.']);
  else headerRow(sheet, ['Framework', 'Version', 'Months judged']);
  for (const version of versions) {
    sheet.addRow([version.frameworkId, version.version, monthsText(version.periods)]);
  }
  sheet.addRow([]);

  heading(sheet, 'Thresholds used, by framework version');
  if (versions.length > 0) {
    headerRow(sheet, [
      'Framework',
      'Version',
      'Indicator',
      'Target',
      'Floor',
      'Tolerance',
      'Expected range',
    ]);
  }
  for (const version of versions) {
    for (const [code, thresholds] of [...version.thresholds].sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      sheet.addRow([version.frameworkId, version.version, code, ...thresholds.map(thresholdCell)]);
    }
  }
}

interface FrameworkVersionUsed {
  frameworkId: string;
  version: number;
  periods: Set<string>;
  /** Indicator code → the distinct target, floor, tolerance and expected range seen. */
  thresholds: Map<string, [Set<string>, Set<string>, Set<string>, Set<string>]>;
}

function frameworkVersionsOf(grid: KpiGridDto): FrameworkVersionUsed[] {
  const versions = new Map<string, FrameworkVersionUsed>();
  for (const service of grid.services) {
    for (const month of service.months) {
      for (const [code, cell] of Object.entries(month.cells)) {
        const key = `${cell.frameworkId}|${cell.frameworkVersion}`;
        let used = versions.get(key);
        if (!used) {
          used = {
            frameworkId: cell.frameworkId,
            version: cell.frameworkVersion,
            periods: new Set(),
            thresholds: new Map(),
          };
          versions.set(key, used);
        }
        used.periods.add(month.period);
        let seen = used.thresholds.get(code);
        if (!seen) {
          seen = [new Set(), new Set(), new Set(), new Set()];
          used.thresholds.set(code, seen);
        }
        const range = cell.expectedRange;
        [cell.target, cell.floor, cell.tolerance, range && `${range.lower}–${range.upper}`].forEach(
          (value, i) => {
            if (value !== null) seen[i]!.add(String(value));
          },
        );
      }
    }
  }
  return [...versions.values()].sort(
    (a, b) => a.frameworkId.localeCompare(b.frameworkId) || a.version - b.version,
  );
}

function ragOf(cell: KpiGridCellDto | undefined): RagColour {
  const rag = cell?.rag;
  return rag === 'green' || rag === 'amber' || rag === 'red' ? rag : 'grey';
}

export function solidFill(rag: RagColour): Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb: RAG_FILLS[rag] } };
}

export function heading(sheet: Worksheet, text: string): void {
  sheet.addRow([text]).font = { bold: true, size: 12 };
}

export function headerRow(sheet: Worksheet, headers: string[]): void {
  sheet.addRow(headers).font = { bold: true };
}

/** The months a version judged, consecutive ones as a run: `2026-01 to 2026-05, 2026-08`. */
function monthsText(periods: Set<string>): string {
  const runs: [Period, Period][] = [];
  for (const period of [...periods].sort() as Period[]) {
    const last = runs[runs.length - 1];
    if (last && nextPeriod(last[1]) === period) last[1] = period;
    else runs.push([period, period]);
  }
  return runs.map(([first, end]) => (first === end ? first : `${first} to ${end}`)).join(', ');
}

/**
 * A threshold in the notes: the number when one was used, blank when none, and every value
 * when several were (targets by contract year).
 */
function thresholdCell(values: Set<string>): string | number | null {
  const all = [...values];
  if (all.length === 0) return null;
  if (all.length === 1 && Number.isFinite(Number(all[0]))) return Number(all[0]);
  return all.join('; ');
}
