import { isNumber, isRecord } from './indicator-targets';
import type { Breakdown, Formula, IndicatorDefinition, IndicatorUnit } from './indicator';

/*
 * What a return holds for an indicator, and how a submitted value is read and a derived one
 * worked out. The definitions themselves are in indicator.ts.
 */
/** A ratio is reported as its parts, so quarters can add numerators and denominators. */
export interface RatioValue {
  numerator: number;
  denominator: number;
}

export interface NotApplicable {
  notApplicable: true;
  reason: string;
}

/** A value split by the categories of its indicator's breakdown, with their sum. */
export interface BreakdownValue {
  parts: Record<string, number>;
  total: number;
}

/** What a return holds for one indicator. */
export type IndicatorValue = number | boolean | RatioValue | BreakdownValue | NotApplicable;

export function isBreakdownValue(value: IndicatorValue): value is BreakdownValue {
  return typeof value === 'object' && 'parts' in value;
}

export function isNotApplicable(value: IndicatorValue): value is NotApplicable {
  return typeof value === 'object' && 'notApplicable' in value;
}

/**
 * Reads a submitted value for an indicator: the right shape for its unit (its parts, for one
 * with a breakdown), or "not applicable" with a reason. Returns the value or the reason it
 * cannot be accepted (with the member it is about, `parts.MH`, when it is one).
 */
export function readIndicatorValue(
  indicator: IndicatorDefinition,
  raw: unknown,
): IndicatorValue | ValueProblem {
  if (typeof raw === 'object' && raw !== null && 'notApplicable' in raw) {
    const { notApplicable, reason, ...rest } = raw as Record<string, unknown>;
    if (notApplicable !== true) return { problem: 'notApplicable must be true' };
    if (typeof reason !== 'string' || reason.trim() === '' || reason.length > 500) {
      return { problem: 'not applicable needs a reason (1 to 500 characters)' };
    }
    if (Object.keys(rest).length > 0)
      return { problem: `unexpected ${Object.keys(rest).join(', ')}` };
    return { notApplicable: true, reason: reason.trim() };
  }
  if (indicator.breakdown) return readBreakdownValue(indicator, indicator.breakdown, raw);
  const kind = describe(raw);
  switch (indicator.unit) {
    case 'yes-no':
      return typeof raw === 'boolean'
        ? raw
        : { problem: `must be true or false (a yes-no indicator); got ${kind}` };
    case 'ratio': {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        return { problem: `must be { numerator, denominator } (a ratio); got ${kind}` };
      }
      const { numerator, denominator, ...rest } = raw as Record<string, unknown>;
      if (Object.keys(rest).length > 0)
        return { problem: `unexpected ${Object.keys(rest).join(', ')}` };
      if (!isNumber(numerator) || numerator < 0)
        return { problem: 'numerator must be a number from 0' };
      if (!isNumber(denominator) || denominator <= 0) {
        return {
          problem:
            'denominator must be a number above 0 (use not applicable when there is nothing to count)',
        };
      }
      return { numerator, denominator };
    }
    default: {
      const problem = numberProblem(indicator.unit, raw);
      return problem ? { problem } : (raw as number);
    }
  }
}

/** Why a value cannot be accepted; `field` is the member it is about, under `values.<code>`. */
export interface ValueProblem {
  problem: string;
  field?: string;
}

const describe = (raw: unknown) =>
  raw === null ? 'null' : Array.isArray(raw) ? 'a list' : `a ${typeof raw}`;

function numberProblem(unit: IndicatorUnit, raw: unknown): string | null {
  if (!isNumber(raw)) return `must be a number (${unit}); got ${describe(raw)}`;
  if (raw < 0) return `must not be negative (${unit})`;
  if (unit === 'count' && !Number.isInteger(raw)) return 'must be a whole number (a count)';
  if (unit === 'percentage' && raw > 100) return 'must be from 0 to 100 (a percentage)';
  return null;
}

/**
 * A value split by category: `{ parts: { MH: 3, LD: 2, … } }` with every category; its total is
 * the sum of the parts, and a `total` given as well must be that sum.
 */
function readBreakdownValue(
  indicator: IndicatorDefinition,
  breakdown: Breakdown,
  raw: unknown,
): BreakdownValue | ValueProblem {
  const shape = `{ "parts": { ${breakdown.categories.map((c) => `"${c}": …`).join(', ')} } } (by ${breakdown.name})`;
  if (!isRecord(raw) || !isRecord(raw.parts))
    return { problem: `must be ${shape}; got ${describe(raw)}` };
  const { parts, total, ...rest } = raw;
  if (Object.keys(rest).length > 0)
    return { problem: `unexpected ${Object.keys(rest).join(', ')}` };
  const read: Record<string, number> = {};
  for (const category of breakdown.categories) {
    if (!Object.hasOwn(parts, category))
      return {
        field: `parts.${category}`,
        problem: `is missing: give every category of ${breakdown.name} (0 for none)`,
      };
    const problem = numberProblem(indicator.unit, parts[category]);
    if (problem) return { field: `parts.${category}`, problem };
    read[category] = parts[category] as number;
  }
  const unknown = Object.keys(parts).find((category) => !breakdown.categories.includes(category));
  if (unknown !== undefined)
    return {
      field: `parts.${unknown}`,
      problem: `is not a category of ${breakdown.name}: ${breakdown.categories.join(', ')}`,
    };
  const sum = Object.values(read).reduce((a, b) => a + b, 0);
  if (total !== undefined && (!isNumber(total) || Math.abs(total - sum) > 1e-9)) {
    return {
      field: 'total',
      problem: `must be the sum of the parts (${sum}), or left out; got ${JSON.stringify(total)}`,
    };
  }
  return { parts: read, total: sum };
}

/** The number a value stands for: a breakdown's total, a ratio as a percentage, 1/0 for yes/no. */
export function numberOf(value: Exclude<IndicatorValue, NotApplicable>): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if ('parts' in value) return value.total;
  return (100 * value.numerator) / value.denominator;
}

/**
 * A derived indicator's value from the others of its return: "not applicable" when an operand
 * is (or is missing), or for a percentage of 0.
 */
export function deriveValue(
  indicator: IndicatorDefinition & { formula: Formula },
  values: Readonly<Record<string, IndicatorValue>>,
): number | NotApplicable {
  const operands: number[] = [];
  for (const code of indicator.formula.of) {
    const value = Object.hasOwn(values, code) ? values[code] : undefined;
    if (value === undefined) return { notApplicable: true, reason: `${code} has no value` };
    if (isNotApplicable(value)) return { notApplicable: true, reason: `${code} is not applicable` };
    operands.push(numberOf(value));
  }
  const [a = 0, b = 0] = operands;
  switch (indicator.formula.operation) {
    case 'difference':
      return a - b;
    case 'sum':
      return operands.reduce((x, y) => x + y, 0);
    case 'percentage':
      return b === 0
        ? {
            notApplicable: true,
            reason: `${indicator.formula.of[1]} is 0: no percentage of nothing`,
          }
        : (100 * a) / b;
  }
}
