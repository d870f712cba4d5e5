import type {
  AnnualReport,
  QuarterlyFigure as ReportFigure,
  QuarterlyReport,
} from '@kpi/features/monthly-returns';
import type { Direction, IndicatorUnit } from '@kpi/domain';
import { Workbook } from 'exceljs';
import { commentaryText } from './report-commentary';
import {
  DIRECTION_TEXT,
  headerRow,
  heading,
  solidFill,
  RAG_MEANINGS,
  UNIT_TEXT,
  type RagColour,
} from './kpi-grid.xlsx';

/** A line of a report as the workbook lays it out: its columns, then the whole span. */
interface WorkbookLine {
  frameworkId: string;
  code: string;
  columns: ReportFigure[];
  span: ReportFigure & { travel: string | null };
  /** The commentary on the span, as text (docs/decisions/0038). */
  commentary?: string;
}

/** A report in the workbook's terms: months or quarters as columns, then the quarter or year. */
interface WorkbookReport {
  title: string;
  period: string;
  columns: string[];
  indicators: QuarterlyReport['indicators'];
  services: { serviceId: string; name: string; regionId: string; lines: WorkbookLine[] }[];
  total: WorkbookLine[];
  /** Whether lines carry commentary: a Commentary column after the note. */
  commentary?: boolean;
  /** The audited share of the span's returns: a sheet of its own. */
  dataQuality?: QuarterlyReport['dataQuality'];
}

type CellValue = string | number | null;

const FIXED_HEADERS = [
  'Service id',
  'Service',
  'Region',
  'Indicator',
  'Name',
  'Unit',
  'Rolled up by',
];
const FIXED_WIDTHS = [16, 24, 14, 12, 30, 14, 14];

/**
 * A quarterly or annual report as an Excel workbook that reads on its own. Sheet one: a row per
 * service and indicator, then one per indicator for all services (bold): each month (or
 * quarter) as a number with its RAG as text beside it, then the quarter (or year) rolled up,
 * its RAG, target, outcome and direction of travel, and a note (why not applicable, or not
 * rolled up). Value cells are filled by their RAG colour. A breakdown shows its total, then a
 * row per part (not judged). Numbers are numbers: a ratio as its percentage, yes/no as text.
 * Sheet "Notes": each indicator's name, unit, direction and rule, and what the colours mean.
 */
export async function reportWorkbook(report: WorkbookReport, exportedAt: Date): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'kpi-ledger';
  workbook.created = exportedAt;
  addReportSheet(workbook, report);
  addNotesSheet(workbook, report, exportedAt);
  if (report.dataQuality) addDataQualitySheet(workbook, report.period, report.dataQuality);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const travelText = (travel: string | null) => travel && `${travel} than the previous`;

/** The quarterly report as a workbook: months, then the quarter, per service then in total. */
export function quarterlyReportWorkbook(report: QuarterlyReport, exportedAt: Date) {
  const line = (l: QuarterlyReport['total'][number]): WorkbookLine => ({
    frameworkId: l.frameworkId,
    code: l.code,
    columns: l.months ?? [],
    span: { ...l.quarter, travel: travelText(l.quarter.travel.againstPreviousQuarter) },
    commentary: commentaryText(l.commentary),
  });
  return reportWorkbook(
    {
      title: 'Quarterly report',
      period: report.quarter,
      columns: report.months,
      indicators: report.indicators,
      services: report.services.map((s) => ({ ...s, lines: s.lines.map(line) })),
      total: report.total.map(line),
      commentary: true,
      dataQuality: report.dataQuality,
    },
    exportedAt,
  );
}

/** The audited share of the span's returns, figure by figure. */
function addDataQualitySheet(
  workbook: Workbook,
  period: string,
  figure: QuarterlyReport['dataQuality'],
): void {
  const sheet = workbook.addWorksheet('Data quality');
  sheet.columns = [
    { header: 'Figure', width: 44 },
    { header: period, width: 14 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.addRows([
    ['Returns submitted', figure.returns],
    ['Returns audited', figure.audited],
    ['Audited share (%)', figure.auditedShare],
    ['Confirmed', figure.confirmed],
    ['Corrected by amendment', figure.corrected],
    ['Queried', figure.queried],
    ['Confirmed share of those audited (%)', figure.confirmedShare],
  ]);
}

/** The annual report as a workbook: quarters, then the year, per service then in total. */
export function annualReportWorkbook(report: AnnualReport, exportedAt: Date) {
  const line = (l: AnnualReport['total'][number]): WorkbookLine => ({
    frameworkId: l.frameworkId,
    code: l.code,
    columns: l.quarters,
    span: { ...l.year, travel: travelText(l.year.travel.againstPreviousYear) },
  });
  return reportWorkbook(
    {
      title: 'Annual report',
      period: report.year,
      columns: report.quarters,
      indicators: report.indicators,
      services: report.services.map((s) => ({ ...s, lines: s.lines.map(line) })),
      total: report.total.map(line),
    },
    exportedAt,
  );
}

function addReportSheet(workbook: Workbook, report: WorkbookReport): void {
  const sheet = workbook.addWorksheet(report.title, {
    views: [{ state: 'frozen', xSplit: 4, ySplit: 1 }],
  });
  const headers = [
    ...FIXED_HEADERS,
    ...report.columns.flatMap((c) => [c, `${c} RAG`]),
    report.period,
    `${report.period} RAG`,
    'Target',
    'Outcome',
    'Travel',
    'Note',
    ...(report.commentary ? ['Commentary'] : []),
  ];
  sheet.columns = headers.map((header, i) => ({
    header,
    width: FIXED_WIDTHS[i] ?? (header.endsWith('RAG') ? 8 : 11),
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  const indicatorOf = new Map(report.indicators.map((i) => [`${i.frameworkId}|${i.code}`, i]));
  const write = (service: CellValue[], line: WorkbookLine, bold: boolean) => {
    const indicator = indicatorOf.get(`${line.frameworkId}|${line.code}`);
    const described = [
      indicator?.name ?? line.code,
      unitText(indicator?.unit),
      indicator?.aggregation ?? null,
    ];
    const figures = [...line.columns, line.span];
    const notes = figures.flatMap((f) => noteOf(f) ?? []);
    const row = sheet.addRow([
      ...service,
      line.code,
      ...described,
      ...line.columns.flatMap((f) => [numberOf(f), ragOf(f)]),
      numberOf(line.span),
      ragOf(line.span),
      line.span.judgement?.target ?? null,
      line.span.judgement?.outcome ?? null,
      line.span.travel,
      notes.length > 0 ? [...new Set(notes)].join('; ') : null,
      ...(report.commentary ? [line.commentary ?? null] : []),
    ]);
    if (bold) row.font = { bold: true };
    figures.forEach((figure, i) => {
      const rag = figure.judgement?.rag as RagColour | undefined;
      if (rag) row.getCell(FIXED_HEADERS.length + 1 + 2 * i).fill = solidFill(rag);
    });
    // A breakdown's parts, each rolled up as the total is; not judged.
    for (const category of indicator?.breakdown ?? []) {
      const part = sheet.addRow([
        ...service,
        `${line.code}.${category}`,
        `${described[0]} — ${category}`,
        ...described.slice(1),
        ...figures.flatMap((f, i) => [
          partOf(f, category),
          ...(i < figures.length - 1 ? [null] : []),
        ]),
      ]);
      if (bold) part.font = { bold: true };
    }
  };
  for (const service of report.services) {
    for (const line of service.lines)
      write([service.serviceId, service.name, service.regionId], line, false);
  }
  for (const line of report.total) write([null, 'All services', null], line, true);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
}

/** A figure as a number: a ratio as its percentage, a breakdown by its total; yes/no as text. */
function numberOf(figure: ReportFigure): CellValue {
  const { value } = figure;
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return value;
  return 'notApplicable' in value ? null : figure.judgedValue;
}

const ragOf = (figure: ReportFigure): CellValue =>
  figure.judgement?.rag ??
  (figure.value !== null && typeof figure.value === 'object' && 'notApplicable' in figure.value
    ? 'grey'
    : null);

function noteOf(figure: ReportFigure): string | null {
  if (figure.notRolledUp !== undefined) return `not rolled up: ${figure.notRolledUp}`;
  const { value } = figure;
  return value !== null && typeof value === 'object' && 'notApplicable' in value
    ? `n/a: ${value.reason}`
    : null;
}

function partOf(figure: ReportFigure, category: string): CellValue {
  const { value } = figure;
  return value !== null && typeof value === 'object' && 'parts' in value
    ? (value.parts[category] ?? null)
    : null;
}

const unitText = (unit: string | undefined) =>
  unit === undefined ? null : (UNIT_TEXT[unit as IndicatorUnit] ?? unit);

function addNotesSheet(workbook: Workbook, report: WorkbookReport, exportedAt: Date): void {
  const sheet = workbook.addWorksheet('Notes');
  sheet.columns = [
    { width: 16 },
    { width: 36 },
    { width: 26 },
    { width: 28 },
    { width: 14 },
    { width: 18 },
  ];
  heading(sheet, `${report.title} ${report.period}, exported ${exportedAt.toISOString()}`);
  sheet.addRow([]);
  heading(sheet, 'Indicators (as the latest framework version used defines them)');
  headerRow(sheet, ['Indicator', 'Name', 'Unit', 'Direction', 'Rolled up by', 'Framework']);
  for (const i of report.indicators) {
    sheet.addRow([
      i.code,
      i.name,
      unitText(i.unit),
      DIRECTION_TEXT[i.direction as Direction] ?? i.direction,
      i.aggregation,
      `${i.frameworkId} v${i.frameworkVersion}`,
    ]);
  }
  sheet.addRow([]);
  heading(sheet, 'Colours (also written as text beside each value)');
  for (const [rag, meaning] of RAG_MEANINGS) {
    const row = sheet.addRow([rag, meaning]);
    row.getCell(1).fill = solidFill(rag);
  }
  sheet.addRow([]);
  sheet.addRow([
    'Rolled up by',
    'sum adds the months; average is the mean of the months with a value; last is the latest month with a value; ratio-of-sums adds numerators and denominators (shown as a percentage). A span whose months were judged under different units or rules is not rolled up (see its note).',
  ]);
}
