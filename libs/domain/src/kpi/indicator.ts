import type { FieldProblem } from '../shared/domain-errors';
import { yearMonth, type Period } from '../shared/period';

export const INDICATOR_UNITS = ['count', 'percentage', 'ratio', 'hours', 'days', 'yes-no'] as const;
export const DIRECTIONS = ['higher-is-better', 'lower-is-better', 'within-range'] as const;
export const PERIODICITIES = ['monthly', 'quarterly', 'annual'] as const;
export const AGGREGATION_RULES = ['sum', 'average', 'last', 'ratio-of-sums'] as const;

export type IndicatorUnit = (typeof INDICATOR_UNITS)[number];
export type Direction = (typeof DIRECTIONS)[number];
export type Periodicity = (typeof PERIODICITIES)[number];
/** How months roll up into quarters and years (docs/rules/kpi-judgement.md#aggregation). */
export type AggregationRule = (typeof AGGREGATION_RULES)[number];

/**
 * One KPI of a framework.
 * - `target`: the benchmark; met at or beyond it in the indicator's direction. For `yes-no`,
 *   1 (higher-is-better) means "yes" is met and 0 (lower-is-better) means "no" is met. A
 *   `ratio` is judged as a percentage: 100 × numerator / denominator.
 * - `targetsByContractYear`: targets for contract years 1, 2, … (the last one holds after).
 * - `floor` (floor standard) or `tolerance`: the amber band between met and red. Without
 *   either, a missed indicator is red.
 * - `expectedRange`: for `within-range` activity indicators, met inside [lower, upper].
 */
export interface IndicatorDefinition {
  code: string;
  name: string;
  unit: IndicatorUnit;
  direction: Direction;
  target?: number;
  targetsByContractYear?: number[];
  floor?: number;
  tolerance?: number;
  expectedRange?: { lower: number; upper: number };
  periodicity: Periodicity;
  aggregation: AggregationRule;
}

/** A ratio is reported as its parts, so quarters can add numerators and denominators. */
export interface RatioValue {
  numerator: number;
  denominator: number;
}

export interface NotApplicable {
  notApplicable: true;
  reason: string;
}

/** What a return holds for one indicator. */
export type IndicatorValue = number | boolean | RatioValue | NotApplicable;

export function isNotApplicable(value: IndicatorValue): value is NotApplicable {
  return typeof value === 'object' && 'notApplicable' in value;
}

const CODE = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Everything wrong with an indicator definition, each naming its field under `at`. */
export function indicatorProblems(indicator: IndicatorDefinition, at: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const problem = (field: string, reason: string) =>
    problems.push({ field: `${at}.${field}`, reason });
  const { unit, direction, target, floor, tolerance, expectedRange, targetsByContractYear } =
    indicator;

  if (typeof indicator.code !== 'string' || !CODE.test(indicator.code)) {
    problem('code', 'must start with a letter and use up to 40 letters, digits, _ or -');
  }
  if (
    typeof indicator.name !== 'string' ||
    indicator.name.trim() === '' ||
    indicator.name.length > 200
  ) {
    problem('name', 'is required: 1 to 200 characters');
  }
  if (!(INDICATOR_UNITS as readonly string[]).includes(unit))
    problem('unit', `must be one of ${INDICATOR_UNITS.join(', ')}`);
  if (!(DIRECTIONS as readonly string[]).includes(direction))
    problem('direction', `must be one of ${DIRECTIONS.join(', ')}`);
  if (!(PERIODICITIES as readonly string[]).includes(indicator.periodicity)) {
    problem('periodicity', `must be one of ${PERIODICITIES.join(', ')}`);
  }
  if (!(AGGREGATION_RULES as readonly string[]).includes(indicator.aggregation)) {
    problem('aggregation', `must be one of ${AGGREGATION_RULES.join(', ')}`);
  } else if (indicator.aggregation === 'ratio-of-sums' && unit !== 'ratio') {
    problem(
      'aggregation',
      'ratio-of-sums needs the ratio unit (numerator and denominator are added up)',
    );
  } else if (indicator.aggregation === 'sum' && !['count', 'hours', 'days'].includes(unit)) {
    problem('aggregation', 'sum only suits counts, hours and days');
  }
  if (problems.length > 0) return problems;

  if (direction === 'within-range') {
    if (
      !expectedRange ||
      !isNumber(expectedRange.lower) ||
      !isNumber(expectedRange.upper) ||
      expectedRange.lower > expectedRange.upper
    ) {
      problem('expectedRange', 'is required for within-range: { lower, upper } with lower ≤ upper');
    }
    if (target !== undefined || targetsByContractYear !== undefined || floor !== undefined) {
      problem(
        'target',
        'a within-range indicator is judged by its expected range only (use tolerance for an amber band)',
      );
    }
  } else {
    if (targetsByContractYear !== undefined) {
      // The judgement supports them (targetFor), but nothing records a service's contract
      // start yet, so every month would silently be judged by the year-1 target.
      problem(
        'targetsByContractYear',
        "needs each service's contract start date, which kpi-ledger does not record yet: use target",
      );
    }
    const targets = target !== undefined ? [target] : [];
    if (target === undefined) problem('target', 'is required');
    for (const value of targets) {
      if (!isNumber(value)) problem('target', 'must be a number');
      else if ((unit === 'percentage' || unit === 'ratio') && (value < 0 || value > 100)) {
        problem('target', `a ${unit} target is a percentage from 0 to 100`);
      } else if (
        unit === 'yes-no' &&
        !(
          (value === 1 && direction === 'higher-is-better') ||
          (value === 0 && direction === 'lower-is-better')
        )
      ) {
        problem(
          'target',
          'a yes-no indicator is met by "yes" (higher-is-better, target 1) or by "no" (lower-is-better, target 0)',
        );
      }
    }
    if (expectedRange !== undefined)
      problem('expectedRange', 'only within-range indicators have an expected range');
    if (floor !== undefined) {
      const worstTarget = targets[0] ?? 0;
      if (!isNumber(floor)) problem('floor', 'must be a number');
      else if (direction === 'higher-is-better' ? floor > worstTarget : floor < worstTarget) {
        problem(
          'floor',
          `must be on the far side of the target (${direction === 'higher-is-better' ? 'at or below' : 'at or above'} it)`,
        );
      }
    }
  }
  if (unit === 'yes-no' && (floor !== undefined || tolerance !== undefined)) {
    problem(
      floor !== undefined ? 'floor' : 'tolerance',
      'a yes-no indicator is met or not: no amber band',
    );
  }
  if (floor !== undefined && tolerance !== undefined)
    problem('tolerance', 'give a floor standard or a tolerance, not both');
  if (tolerance !== undefined && (!isNumber(tolerance) || tolerance < 0))
    problem('tolerance', 'must be a number from 0');
  return problems;
}

/** Whether an indicator is reported in a month: quarterly ones at quarter ends, annual ones in March. */
export function isReportedIn(indicator: IndicatorDefinition, period: Period): boolean {
  const { month } = yearMonth(period);
  switch (indicator.periodicity) {
    case 'monthly':
      return true;
    case 'quarterly':
      return month % 3 === 0; // Jun, Sep, Dec, Mar close the UK financial-year quarters
    case 'annual':
      return month === 3; // the financial year ends in March
  }
}

/**
 * Reads a submitted value for an indicator: the right shape for its unit, or "not applicable"
 * with a reason. Returns the value or the reason it cannot be accepted.
 */
export function readIndicatorValue(
  indicator: IndicatorDefinition,
  raw: unknown,
): IndicatorValue | { problem: string } {
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
  const kind = raw === null ? 'null' : Array.isArray(raw) ? 'a list' : `a ${typeof raw}`;
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
      if (!isNumber(raw)) return { problem: `must be a number (${indicator.unit}); got ${kind}` };
      if (raw < 0) return { problem: `must not be negative (${indicator.unit})` };
      if (indicator.unit === 'count' && !Number.isInteger(raw))
        return { problem: 'must be a whole number (a count)' };
      if (indicator.unit === 'percentage' && raw > 100)
        return { problem: 'must be from 0 to 100 (a percentage)' };
      return raw;
    }
  }
}
