import { breakdownText } from '@kpi/features/monthly-returns';
import type { KpiGridCellDto } from './kpi-grid.dto';

/**
 * How a cell's value reads in a spreadsheet: the number, yes/no, `3/4` for a ratio, its parts
 * `MH: 3; LD: 2` for a value broken down by category, and `n/a (reason)` for not applicable.
 * Null for a month without a return. The returns import reads each form back.
 */
export function displayValue(cell: KpiGridCellDto | undefined): string | number | null {
  if (!cell) return null;
  const { value } = cell;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object' && value !== null) {
    const v = value as {
      notApplicable?: true;
      reason?: string;
      numerator?: number;
      denominator?: number;
      parts?: Record<string, number>;
    };
    if (v.notApplicable) return `n/a (${v.reason ?? ''})`;
    if (v.parts !== undefined) return breakdownText(v.parts);
    if (v.numerator !== undefined && v.denominator !== undefined)
      return `${v.numerator}/${v.denominator}`;
  }
  return cell.judgedValue;
}

/** The indicator codes of a grid, in order: the columns of the workbook. */
export function indicatorCodesOf(
  services: readonly { months: readonly { cells: Record<string, unknown> }[] }[],
): string[] {
  const codes = new Set<string>();
  for (const service of services)
    for (const month of service.months)
      for (const code of Object.keys(month.cells)) codes.add(code);
  return [...codes].sort();
}

/** A file name safe in a Content-Disposition header: `kpi-grid-acme-2026-04-to-2026-09.csv`. */
export function gridFileName(
  tenantId: string,
  from: string,
  to: string,
  extension: string,
): string {
  const tenant = tenantId
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 40);
  return `kpi-grid-${tenant}-${from}-to-${to}.${extension}`;
}
