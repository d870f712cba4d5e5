import type { Period } from '../shared/period';
import { type AggregationRule, type IndicatorUnit } from './indicator';
import {
  isBreakdownValue,
  isNotApplicable,
  type IndicatorValue,
  type RatioValue,
} from './indicator-value';
import { numericValue } from './judge-indicator.policy';

/**
 * What a span of months carries so that spans can be rolled up again (months → quarters →
 * year) and give what the rule gives over all the months at once (docs/decisions/0021):
 * - `sum`: the total of the months with a value;
 * - `average`: the mean of the months with a value — carried as sum and count, so a year is
 *   the average of its twelve months, never the average of four quarterly averages;
 * - `last`: the value of the latest month with a value (a stock measure: the value at the end
 *   of the span; a month without a value, or not applicable, does not hide an earlier one);
 * - `ratio-of-sums`: numerators added, denominators added (never an average of percentages).
 * A month not applicable, or without a return, adds nothing; when no month of a span has a
 * value, the span's value is not applicable (if any month said so) or absent. A breakdown
 * (`{ parts, total }`) rolls up its total by the rule and each part by the same rule.
 */
export interface RollUp {
  rule: AggregationRule;
  /** Months with a value. */
  count: number;
  /** Months not applicable. */
  notApplicable: number;
  /** The total of the values (`sum`, `average`): a ratio by its percentage, yes/no as 1/0. */
  sum: number;
  /** The added parts (`ratio-of-sums`). */
  numerator: number;
  denominator: number;
  /** The latest month with a value, and its value as given (`last`). */
  last: { period: Period; value: Exclude<IndicatorValue, { notApplicable: true }> } | null;
  /** A breakdown's parts, added (`sum`, `average`), and the months that gave them. */
  parts: Record<string, number>;
  partMonths: number;
}

export function emptyRollUp(rule: AggregationRule): RollUp {
  return {
    rule,
    count: 0,
    notApplicable: 0,
    sum: 0,
    numerator: 0,
    denominator: 0,
    last: null,
    parts: {},
    partMonths: 0,
  };
}

const isRatio = (value: IndicatorValue): value is RatioValue =>
  typeof value === 'object' && 'numerator' in value;

const addParts = (a: Record<string, number>, b: Record<string, number>) => {
  const sum = { ...a };
  for (const [category, n] of Object.entries(b)) sum[category] = (sum[category] ?? 0) + n;
  return sum;
};

/** One month's value as a roll-up: `null` is a month without a value (no return). */
export function monthRollUp(
  rule: AggregationRule,
  period: Period,
  value: IndicatorValue | null,
): RollUp {
  return addMonthTo(emptyRollUp(rule), period, value);
}

/**
 * Adds one month to a roll-up in place and returns it: what `combineRollUps(rollUp,
 * monthRollUp(rule, period, value))` gives, without an object per month (a report adds tens
 * of thousands). Months may come in any order (`last` keeps the later one).
 */
export function addMonthTo(rollUp: RollUp, period: Period, value: IndicatorValue | null): RollUp {
  if (value === null) return rollUp;
  if (isNotApplicable(value)) {
    rollUp.notApplicable += 1;
    return rollUp;
  }
  if (rollUp.rule === 'ratio-of-sums') {
    if (!isRatio(value)) {
      // Refused when the framework is defined: ratio-of-sums needs the ratio unit.
      throw new Error(`ratio-of-sums rolls up ratios only; got ${JSON.stringify(value)}`);
    }
    rollUp.count += 1;
    rollUp.numerator += value.numerator;
    rollUp.denominator += value.denominator;
    return rollUp;
  }
  rollUp.count += 1;
  rollUp.sum += numericValue(value);
  if (rollUp.last === null || period >= rollUp.last.period) rollUp.last = { period, value };
  if (isBreakdownValue(value)) {
    rollUp.parts = addParts(rollUp.parts, value.parts);
    rollUp.partMonths += 1;
  }
  return rollUp;
}

const scaleParts = (parts: Record<string, number>, by: number) =>
  Object.fromEntries(Object.entries(parts).map(([category, n]) => [category, n / by]));

/**
 * Two spans together (associative and commutative: `last` keeps the later month, whichever
 * side it comes from). Both must roll up by the same rule.
 */
export function combineRollUps(a: RollUp, b: RollUp): RollUp {
  if (a.rule !== b.rule) throw new Error(`cannot combine ${a.rule} with ${b.rule}`);
  return {
    rule: a.rule,
    count: a.count + b.count,
    notApplicable: a.notApplicable + b.notApplicable,
    sum: a.sum + b.sum,
    numerator: a.numerator + b.numerator,
    denominator: a.denominator + b.denominator,
    last:
      a.last === null ? b.last : b.last === null || a.last.period > b.last.period ? a.last : b.last,
    parts: addParts(a.parts, b.parts),
    partMonths: a.partMonths + b.partMonths,
  };
}

/** Months (or spans already rolled up) rolled up by one rule. */
export function rollUpAll(rule: AggregationRule, parts: readonly RollUp[]): RollUp {
  const all = emptyRollUp(rule);
  for (const part of parts) {
    if (part.rule !== rule) throw new Error(`cannot combine ${rule} with ${part.rule}`);
    all.count += part.count;
    all.notApplicable += part.notApplicable;
    all.sum += part.sum;
    all.numerator += part.numerator;
    all.denominator += part.denominator;
    if (part.last !== null && (all.last === null || part.last.period >= all.last.period))
      all.last = part.last;
    if (part.partMonths > 0) {
      all.parts = addParts(all.parts, part.parts);
      all.partMonths += part.partMonths;
    }
  }
  return all;
}

/** Months with their values rolled up by one rule. */
export function rollUpMonths(
  rule: AggregationRule,
  months: readonly { period: Period; value: IndicatorValue | null }[],
): RollUp {
  const all = emptyRollUp(rule);
  for (const m of months) addMonthTo(all, m.period, m.value);
  return all;
}

const NOT_APPLICABLE: IndicatorValue = {
  notApplicable: true,
  reason: 'not applicable in every month with a return',
};

/**
 * The value of a span, in the shape a month's value has, so it is judged as a month is: a
 * number (`sum`, `average`), the last month's value as given (`last`), a ratio's parts
 * (`ratio-of-sums`); not applicable when every month with a return said so; null when no
 * month has a return. A breakdown stays one when every month with a value gave its parts:
 * `{ parts, total }`, each part summed (or averaged) as the total is.
 */
export function rolledUpValue(rollUp: RollUp): IndicatorValue | null {
  if (rollUp.count === 0) return rollUp.notApplicable > 0 ? NOT_APPLICABLE : null;
  const breakdown = rollUp.partMonths === rollUp.count;
  switch (rollUp.rule) {
    case 'sum':
      return breakdown ? { parts: rollUp.parts, total: rollUp.sum } : rollUp.sum;
    case 'average':
      return breakdown
        ? { parts: scaleParts(rollUp.parts, rollUp.count), total: rollUp.sum / rollUp.count }
        : rollUp.sum / rollUp.count;
    case 'last':
      return rollUp.last!.value;
    case 'ratio-of-sums':
      return { numerator: rollUp.numerator, denominator: rollUp.denominator };
  }
}

const STOCK_UNITS: readonly IndicatorUnit[] = ['count', 'hours', 'days'];

/**
 * The total of several services over the same span. `sum`, `average` and `ratio-of-sums`
 * roll the services' months up together (the average is over every service-month with a
 * value). `last` adds each service's last value for counts, hours and days (beds available at
 * the end of the quarter, all services together) and averages them for other units
 * (percentages, yes/no as 1/0, ratios by their percentage); breakdowns' parts go the same way.
 */
export function totalOfServices(
  rule: AggregationRule,
  unit: IndicatorUnit,
  services: readonly RollUp[],
): IndicatorValue | null {
  if (rule !== 'last') return rolledUpValue(rollUpAll(rule, services));
  const values = services.map(rolledUpValue).filter((v) => v !== null);
  const numbers = values.flatMap((v) => (isNotApplicable(v) ? [] : [numericValue(v)]));
  if (numbers.length === 0) return values.length > 0 ? NOT_APPLICABLE : null;
  const total = numbers.reduce((a, b) => a + b, 0);
  const stock = STOCK_UNITS.includes(unit);
  const breakdowns = values.filter((v) => isBreakdownValue(v));
  if (breakdowns.length === numbers.length) {
    const parts = breakdowns.map((b) => b.parts).reduce(addParts, {});
    return stock
      ? { parts, total }
      : { parts: scaleParts(parts, numbers.length), total: total / numbers.length };
  }
  return stock ? total : total / numbers.length;
}
