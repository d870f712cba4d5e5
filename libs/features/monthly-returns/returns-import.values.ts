import {
  isBreakdownValue,
  isNotApplicable,
  numberOf,
  type IndicatorDefinition,
  type IndicatorValue,
} from '@kpi/domain';
import type { ImportedCell } from './returns-import.file';

/**
 * A cell of a returns file read back into what a typed submission gives for the indicator:
 * the inverse of how the KPI grid export shows a value —
 * - a number (a count, percentage, hours, days);
 * - `yes` / `no` for a yes-no indicator;
 * - `3/4` for a ratio (numerator/denominator);
 * - `MH: 3; LD: 2; PSD: 1; OP: 0` for a value broken down by category;
 * - `n/a (reason)`, or in Excel a blank value with the reason in `<code> n/a reason`.
 * Only the shape is read here: whether the value fits its indicator (a whole count, a
 * percentage up to 100, every category given) is the monthly return's own check.
 */
export function cellInput(
  indicator: IndicatorDefinition,
  cell: ImportedCell,
): { input: unknown } | { problem: string } {
  const { value, reason } = cell;
  if (value === null) {
    return reason !== null
      ? { input: { notApplicable: true, reason } }
      : { problem: 'is blank: give a value, or n/a (reason) when it does not apply' };
  }
  const number = typeof value === 'number' ? value : numeric(value);
  if (number !== null) {
    if (indicator.unit === 'ratio')
      return {
        problem:
          'a ratio is given as numerator/denominator (e.g. 9/10), so that quarters add up its parts',
      };
    if (indicator.breakdown) return { problem: `give its parts: ${breakdownExample(indicator)}` };
    return { input: number };
  }
  if (typeof value === 'number') return { input: value };
  const notApplicable = /^n\/a\s*(?:\((.*)\))?$/is.exec(value);
  if (notApplicable) {
    const why = (notApplicable[1] ?? '').trim();
    return why === ''
      ? { problem: 'not applicable needs a reason: n/a (reason)' }
      : { input: { notApplicable: true, reason: why } };
  }
  if (indicator.unit === 'yes-no') {
    const answer = value.toLowerCase();
    if (answer === 'yes') return { input: true };
    if (answer === 'no') return { input: false };
    return { problem: `must be yes or no (a yes-no indicator); got "${value}"` };
  }
  if (indicator.unit === 'ratio') {
    const ratio = /^(\S+)\s*\/\s*(\S+)$/.exec(value);
    const [numerator, denominator] = [numeric(ratio?.[1]), numeric(ratio?.[2])];
    if (numerator === null || denominator === null)
      return { problem: `must be numerator/denominator (a ratio, e.g. 9/10); got "${value}"` };
    return { input: { numerator, denominator } };
  }
  if (indicator.breakdown) {
    const parts = breakdownParts(value);
    return parts === null
      ? { problem: `must be its parts, ${breakdownExample(indicator)}; got "${value}"` }
      : { input: { parts } };
  }
  return { problem: `must be a number (${indicator.unit}); got "${value}"` };
}

/** How the export writes a value in CSV: the form {@link cellInput} reads back. */
export function displayedValue(value: IndicatorValue): string | number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (isNotApplicable(value)) return `n/a (${value.reason})`;
  if (isBreakdownValue(value)) return breakdownText(value.parts);
  return `${value.numerator}/${value.denominator}`;
}

/** A breakdown written as its parts in the categories' order: `MH: 3; LD: 2`. */
export function breakdownText(parts: Readonly<Record<string, number>>): string {
  return Object.entries(parts)
    .map(([category, part]) => `${category}: ${part}`)
    .join('; ');
}

/**
 * Whether a cell says the same as a stored value. The workbook shows a ratio as its percentage
 * and a breakdown as its total: those count as the same when the number is.
 */
export function cellMatches(
  indicator: IndicatorDefinition,
  cell: ImportedCell,
  stored: IndicatorValue,
): boolean {
  if (typeof cell.value === 'number' && !isNotApplicable(stored) && typeof stored !== 'boolean')
    return Math.abs(numberOf(stored) - cell.value) < 1e-6;
  const read = cellInput(indicator, cell);
  if ('problem' in read) return false;
  const given = read.input;
  if (isNotApplicable(stored))
    return isRecord(given) && given.notApplicable === true && given.reason === stored.reason;
  if (isBreakdownValue(stored)) {
    const parts = isRecord(given) && isRecord(given.parts) ? given.parts : null;
    return (
      parts !== null &&
      Object.keys(parts).length === Object.keys(stored.parts).length &&
      Object.entries(stored.parts).every(([category, part]) => parts[category] === part)
    );
  }
  if (typeof stored === 'object')
    return (
      isRecord(given) &&
      given.numerator === stored.numerator &&
      given.denominator === stored.denominator
    );
  return given === stored;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** A number as a spreadsheet user writes one: `12`, `-3`, `85.5`, `1,250`. */
function numeric(text: string | undefined): number | null {
  if (text === undefined) return null;
  const plain = text
    .trim()
    .replace(/^(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?)$/, (n) => n.replace(/,/g, ''));
  return /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i.test(plain) ? Number(plain) : null;
}

function breakdownParts(text: string): Record<string, number> | null {
  const parts: Record<string, number> = {};
  for (const item of text.split(';')) {
    if (item.trim() === '') continue;
    const match = /^\s*([^:]+?)\s*:\s*(\S+)\s*$/.exec(item);
    const part = numeric(match?.[2]);
    if (!match || part === null || Object.hasOwn(parts, match[1]!)) return null;
    parts[match[1]!] = part;
  }
  return Object.keys(parts).length > 0 ? parts : null;
}

const breakdownExample = (indicator: IndicatorDefinition) =>
  `${indicator.breakdown!.categories.map((category) => `${category}: …`).join('; ')} (by ${indicator.breakdown!.name})`;
