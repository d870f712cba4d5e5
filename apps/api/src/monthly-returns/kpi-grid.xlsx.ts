import { nextPeriod, type Period } from '@kpi/domain';
import { Workbook, type Fill, type Worksheet } from 'exceljs';
import type { KpiGridCellDto, KpiGridDto } from './kpi-grid.dto';
import { displayValue, indicatorCodesOf } from './kpi-grid.format';

export type RagColour = 'green' | 'amber' | 'red' | 'grey';

/** The fill of each RAG colour (ARGB): light enough to read black text on. */
export const RAG_FILLS: Record<RagColour, string> = {
  green: 'FF92D050',
  amber: 'FFFFC000',
  red: 'FFFF7C80',
  grey: 'FFD9D9D9',
};

const RAG_MEANINGS: [RagColour, string][] = [
  ['green', 'Target met.'],
  ['amber', 'Target missed, but the floor standard met (or within the tolerance).'],
  [
    'red',
    'Below the floor standard (or outside the tolerance). An indicator without a floor or tolerance is green or red.',
  ],
  ['grey', 'Not applicable (the reason is shown), or no return for the month.'],
];

const FIXED_COLUMNS = [
  { header: 'Service id', width: 16 },
  { header: 'Service', width: 24 },
  { header: 'Region', width: 16 },
  { header: 'Month', width: 10 },
  { header: 'Submitted', width: 10 },
  { header: 'Late', width: 8 },
  { header: 'Amended', width: 10 },
  { header: 'Framework', width: 22 },
  { header: 'KPIs met', width: 10 },
  { header: 'Bonus compliant', width: 16 },
];

export interface WorkbookContext {
  tenantId: string;
  exportedAt: Date;
}

/**
 * The grid as an Excel workbook: sheet "KPI grid" with a row per service-month and a column
 * per indicator, each indicator cell filled by its RAG colour; sheet "Notes" says which
 * framework versions judged which months, with their thresholds, and what the colours mean.
 */
export async function kpiGridWorkbook(grid: KpiGridDto, context: WorkbookContext): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'kpi-ledger';
  workbook.created = context.exportedAt;
  const codes = indicatorCodesOf(grid.services);
  addGridSheet(workbook, grid, codes);
  addNotesSheet(workbook, grid, context);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addGridSheet(workbook: Workbook, grid: KpiGridDto, codes: string[]): void {
  const sheet = workbook.addWorksheet('KPI grid', {
    views: [{ state: 'frozen', xSplit: 4, ySplit: 1 }],
  });
  sheet.columns = [
    ...FIXED_COLUMNS,
    ...codes.map((code) => ({ header: code, width: Math.max(8, code.length + 2) })),
  ];
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center' };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columnCount } };

  for (const service of grid.services) {
    for (const month of service.months) {
      const row = sheet.addRow([
        service.serviceId,
        service.name,
        service.regionId,
        month.period,
        month.submitted ? 'yes' : 'no',
        month.late === null ? null : month.late ? 'yes' : 'no',
        month.amended ? `yes (${month.amendments})` : 'no',
        month.frameworkId === null ? null : `${month.frameworkId} v${month.frameworkVersion}`,
        month.bonus ? `${month.bonus.met} of ${month.bonus.of}` : null,
        month.bonus ? (month.bonus.compliant ? 'yes' : 'no') : null,
        ...codes.map((code) => displayValue(month.cells[code])),
      ]);
      codes.forEach((code, i) => {
        const cell = row.getCell(FIXED_COLUMNS.length + i + 1);
        cell.fill = solidFill(ragOf(month.cells[code]));
        cell.alignment = { horizontal: 'center' };
      });
    }
  }
}

function addNotesSheet(workbook: Workbook, grid: KpiGridDto, context: WorkbookContext): void {
  const sheet = workbook.addWorksheet('Notes');
  sheet.columns = [
    { width: 22 },
    { width: 12 },
    { width: 30 },
    { width: 12 },
    { width: 12 },
    { width: 12 },
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
    'Late: submitted after the 20th of the following month. Amended: changed after submission (the number of amendments in brackets); the history of each return is kept.',
  ]);
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

function solidFill(rag: RagColour): Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb: RAG_FILLS[rag] } };
}

function heading(sheet: Worksheet, text: string): void {
  sheet.addRow([text]).font = { bold: true, size: 12 };
}

function headerRow(sheet: Worksheet, headers: string[]): void {
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
