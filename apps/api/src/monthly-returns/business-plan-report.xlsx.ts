import type { BusinessPlanReport } from '@kpi/features/monthly-returns';
import { Workbook, type Worksheet } from 'exceljs';
import { businessPlanRow, hasCommentary } from './business-plan-report.csv';
import { commentaryText } from './report-commentary';
import { RAG_FILLS, type RagColour } from './kpi-grid.xlsx';

/** The sheet's headers, column by column as the CSV's (names a reader understands). */
const HEADERS: { header: string; width: number }[] = [
  { header: 'Framework', width: 16 },
  { header: 'Code', width: 16 },
  { header: 'Indicator', width: 44 },
  { header: 'Table', width: 30 },
  { header: 'Kind', width: 10 },
  { header: 'Unit', width: 12 },
  { header: 'Direction', width: 18 },
  { header: 'Measured', width: 12 },
  { header: 'Year', width: 10 },
  { header: 'Floor standard', width: 10 },
  { header: 'Previous outturn', width: 10 },
  { header: 'Outturn period', width: 10 },
  { header: 'Comparative benchmark', width: 12 },
  { header: 'Benchmark source', width: 26 },
  { header: 'Period', width: 12 },
  { header: 'First month', width: 10 },
  { header: 'Last month', width: 10 },
  { header: 'Target', width: 9 },
  { header: 'Expected lower', width: 9 },
  { header: 'Expected upper', width: 9 },
  { header: 'Actual', width: 9 },
  { header: 'Outcome', width: 14 },
  { header: 'RAG', width: 8 },
  { header: 'Previous period', width: 12 },
  { header: 'Previous actual', width: 9 },
  { header: 'Travel vs previous period', width: 12 },
  { header: 'Travel vs outturn', width: 12 },
];
const RAG_COLUMN = HEADERS.findIndex((h) => h.header === 'RAG') + 1;
const ACTUAL_COLUMN = HEADERS.findIndex((h) => h.header === 'Actual') + 1;

export interface BusinessPlanWorkbookContext {
  tenantId: string;
  exportedAt: Date;
}

/**
 * The business plan as an Excel workbook: sheet "Business plan" with a row per indicator and
 * period (numbers as numbers, RAG as text, the actual and RAG cells filled by the colour), and
 * sheet "Notes" saying what the columns and colours mean.
 */
export async function businessPlanWorkbook(
  report: BusinessPlanReport,
  context: BusinessPlanWorkbookContext,
): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'kpi-ledger';
  workbook.created = context.exportedAt;
  const sheet = workbook.addWorksheet('Business plan', {
    views: [{ state: 'frozen', xSplit: 3, ySplit: 1 }],
  });
  const withCommentary = hasCommentary(report);
  const headers = withCommentary ? [...HEADERS, { header: 'Commentary', width: 60 }] : HEADERS;
  sheet.columns = headers;
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
  for (const line of report.indicators) {
    for (const period of line.periods) {
      const row = sheet.addRow([
        ...businessPlanRow(line, period),
        ...(withCommentary ? [commentaryText(period.commentary) ?? null] : []),
      ]);
      if (period.rag === null) continue;
      for (const column of [ACTUAL_COLUMN, RAG_COLUMN]) {
        row.getCell(column).fill = {
          type: 'pattern',
          pattern: 'solid',
          fgColor: { argb: RAG_FILLS[period.rag as RagColour] },
        };
      }
    }
  }
  addNotes(workbook.addWorksheet('Notes'), report, context);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addNotes(
  sheet: Worksheet,
  report: BusinessPlanReport,
  context: BusinessPlanWorkbookContext,
): void {
  sheet.columns = [{ width: 110 }];
  sheet.addRow([`Business plan ${report.year} of ${context.tenantId}`]).font = {
    bold: true,
    size: 14,
  };
  sheet.addRow([`Exported ${context.exportedAt.toISOString()} by kpi-ledger.`]);
  sheet.addRow([
    `Services: ${report.services.map((s) => `${s.name} (${s.serviceId})`).join(', ') || 'none'}. Their figures are added up by each indicator's aggregation rule.`,
  ]);
  for (const text of [
    `Quarters are of the financial year ${report.financialYear.first} to ${report.financialYear.last}; terms (autumn Sep–Dec, spring Jan–Mar, summer Apr–Aug) of the academic year ${report.academicYear.first} to ${report.academicYear.last}; an annual indicator shows its year.`,
    'Target: the target in force for the period (its quarter’s or term’s, else its year’s, else the indicator’s). Activity indicators have an expected range instead: outside it they are flagged (amber), never missed.',
    'Actual: the number judged, rolled up from the months (a ratio as its percentage). Blank: no return, or not applicable (see Outcome).',
    'RAG: green met (or in range); amber missed but at or above the floor standard (or flagged); red below the floor. Blank: not judged (data-only) or no value.',
    'Travel: better, same or worse than the previous period and than the previous outturn, in the indicator’s direction.',
  ]) {
    sheet.addRow([text]).alignment = { wrapText: true };
  }
}
