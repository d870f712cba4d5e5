import type { KpiGridDto } from './kpi-grid.dto';
import { BYTE_ORDER_MARK, csvLine } from '../http/csv';
import { displayValue } from './kpi-grid.format';
import { commentaryText } from './report-commentary';

export { csvField } from '../http/csv';

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

/** Whether any cell of the grid has commentary: then the files add it. */
export const gridHasCommentary = (grid: KpiGridDto): boolean =>
  grid.services.some((service) =>
    service.months.some((month) => Object.values(month.cells).some((cell) => cell.commentary)),
  );

/**
 * The grid as CSV (RFC 4180, CRLF): one row per service, month and indicator. A month without
 * a return is one row with no indicator and the outcome `not-submitted`, so gaps stay visible.
 * A `commentary` column comes last when a cell has commentary (docs/decisions/0038), so a grid
 * without stays as it was.
 */
export function kpiGridCsv(grid: KpiGridDto): string {
  const withCommentary = gridHasCommentary(grid);
  const lines = [[...KPI_GRID_CSV_COLUMNS, ...(withCommentary ? ['commentary'] : [])].join(',')];
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
            ...(withCommentary ? [''] : []),
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
            ...(withCommentary ? [commentaryText(cell.commentary) ?? ''] : []),
          ]),
        );
      }
    }
  }
  return `${BYTE_ORDER_MARK}${lines.join('\r\n')}\r\n`;
}
