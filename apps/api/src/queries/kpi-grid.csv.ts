import type { KpiGridDto } from './kpi-grid.dto';
import { displayValue } from './kpi-grid.format';

export const KPI_GRID_CSV_COLUMNS = [
  'service_id',
  'service_name',
  'region_id',
  'period',
  'indicator',
  'value',
  'outcome',
  'rag',
  'target',
  'floor',
  'tolerance',
  'expected_lower',
  'expected_upper',
  'framework_version',
  'late',
  'amended',
] as const;

/** Excel reads a CSV as UTF-8 (Tŷ Gwyn, not TÅ· Gwyn) only when it starts with a byte-order mark. */
const BYTE_ORDER_MARK = '\uFEFF';

/**
 * The grid as CSV (RFC 4180, CRLF): one row per service, month and indicator. A month without
 * a return is one row with no indicator and the outcome `not-submitted`, so gaps stay visible.
 */
export function kpiGridCsv(grid: KpiGridDto): string {
  const lines = [KPI_GRID_CSV_COLUMNS.join(',')];
  for (const service of grid.services) {
    const serviceColumns = [service.serviceId, service.name, service.regionId];
    for (const month of service.months) {
      const monthColumns = [month.period];
      const returnColumns = [month.frameworkVersion, month.late, month.amended];
      const codes = Object.keys(month.cells);
      if (codes.length === 0) {
        lines.push(
          csvLine([
            ...serviceColumns,
            ...monthColumns,
            '',
            '',
            'not-submitted',
            'grey',
            '',
            '',
            '',
            '',
            '',
            '',
            '',
            '',
          ]),
        );
      }
      for (const code of codes) {
        const cell = month.cells[code]!;
        lines.push(
          csvLine([
            ...serviceColumns,
            ...monthColumns,
            code,
            displayValue(cell),
            cell.outcome,
            cell.rag,
            cell.target,
            cell.floor,
            cell.tolerance,
            cell.expectedRange?.lower,
            cell.expectedRange?.upper,
            ...returnColumns,
          ]),
        );
      }
    }
  }
  return `${BYTE_ORDER_MARK}${lines.join('\r\n')}\r\n`;
}

function csvLine(fields: readonly unknown[]): string {
  return fields.map(csvField).join(',');
}

/**
 * One field: quoted when it holds a comma, quote or line break. Text a spreadsheet would take
 * for a formula (=, +, -, @, tab, CR at the start) is prefixed with ' so that a service name or
 * a reason typed by someone cannot run as one when the file is opened (OWASP CSV injection).
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
