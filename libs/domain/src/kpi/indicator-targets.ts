import { ACADEMIC_TERMS, type AcademicTerm } from '../shared/academic-year';
import { isPeriod, type Period } from '../shared/period';

/**
 * What an indicator is judged against, period by period: targets by quarter, term, year or
 * contract year, and expected ranges by quarter (docs/rules/kpi-judgement.md#targets-per-period).
 * The checks here name each field under the indicator; `indicator.ts` runs them.
 */
export const QUARTER_NAMES = ['Q1', 'Q2', 'Q3', 'Q4'] as const;
/** The year an indicator's periods belong to: financial (April–March) or academic (September–August). */
export const YEAR_BASES = ['financial', 'academic'] as const;

export type QuarterName = (typeof QUARTER_NAMES)[number];
export type YearBasis = (typeof YEAR_BASES)[number];

export interface ExpectedRange {
  lower: number;
  upper: number;
}

/**
 * Targets that differ by period: by quarter of the financial year (Q1 = Apr–Jun … Q4 =
 * Jan–Mar) for indicators on the financial year, by academic term (autumn, spring, summer) for
 * those on the academic year, and by year (`2025/26`, of the indicator's year basis). A period
 * takes its quarter's (or term's) target, else its year's, else the indicator's `target`.
 */
export interface TargetsByPeriod {
  quarters?: Partial<Record<QuarterName, number>>;
  terms?: Partial<Record<AcademicTerm, number>>;
  years?: Record<string, number>;
}

/** The fields of an indicator this file reads (an `IndicatorDefinition` has them all). */
export interface TargetFields {
  unit: string;
  direction: string;
  periodicity: string;
  yearBasis?: YearBasis;
  target?: number;
  targetsByPeriod?: TargetsByPeriod;
  targetsByContractYear?: number[];
  contractStart?: Period;
  floor?: number;
  expectedRange?: ExpectedRange;
  expectedRangesByQuarter?: Partial<Record<QuarterName, ExpectedRange>>;
}

/** Termly indicators are on the academic year; the others on the financial year unless they say. */
export const yearBasisOf = (
  indicator: Pick<TargetFields, 'periodicity' | 'yearBasis'>,
): YearBasis =>
  indicator.yearBasis ?? (indicator.periodicity === 'termly' ? 'academic' : 'financial');

export type Problem = (field: string, reason: string) => void;

export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const isRange = (range: unknown): range is ExpectedRange =>
  isRecord(range) && isNumber(range.lower) && isNumber(range.upper) && range.lower <= range.upper;

const YEAR = /^(\d{4})\/(\d{2})$/;
/** The most contract years a target list may give (the last holds for every year after). */
export const MAX_CONTRACT_YEARS = 10;

/**
 * The expected range(s) of a within-range or activity indicator: `expectedRange`, and/or one per
 * financial quarter (`expectedRangesByQuarter`); together they must cover every quarter.
 */
export function rangeProblems(indicator: TargetFields, problem: Problem, required: string): void {
  const { expectedRange, expectedRangesByQuarter } = indicator;
  let everyQuarter = false;
  if (expectedRangesByQuarter !== undefined) {
    if (!isRecord(expectedRangesByQuarter)) {
      problem('expectedRangesByQuarter', 'must be { Q1: { lower, upper }, … } (any of Q1–Q4)');
    } else if (yearBasisOf(indicator) === 'academic') {
      problem(
        'expectedRangesByQuarter',
        'quarters are of the financial year: an indicator on the academic year has one expectedRange',
      );
    } else {
      for (const [quarter, range] of Object.entries(expectedRangesByQuarter)) {
        if (!(QUARTER_NAMES as readonly string[]).includes(quarter))
          problem(
            `expectedRangesByQuarter.${quarter}`,
            'must be Q1, Q2, Q3 or Q4 (of the financial year: Q1 is Apr–Jun)',
          );
        else if (!isRange(range))
          problem(
            `expectedRangesByQuarter.${quarter}`,
            'must be { lower, upper } with lower ≤ upper',
          );
      }
      everyQuarter = QUARTER_NAMES.every((q) => Object.hasOwn(expectedRangesByQuarter, q));
    }
  }
  // Without a range of its own, every quarter needs one.
  if (expectedRange !== undefined ? !isRange(expectedRange) : !everyQuarter)
    problem('expectedRange', required);
}

/** A target, floor or range field beside an expected range: refused with the reason given. */
export function noRangeFields(indicator: TargetFields, problem: Problem, why: string): void {
  for (const field of ['expectedRange', 'expectedRangesByQuarter'] as const) {
    if (indicator[field] !== undefined) problem(field, why);
  }
}

/**
 * A judged indicator's targets: `target`, by period and by contract year (with its start), each
 * a number its unit allows, and a floor on the far side of every one. `target` may be left out
 * when every quarter (or every term) has one, or when targets are by contract year.
 */
export function targetProblems(indicator: TargetFields, problem: Problem): void {
  const { unit, direction, target, floor, targetsByContractYear, targetsByPeriod } = indicator;
  const basis = yearBasisOf(indicator);
  const targets: { field: string; value: unknown }[] = [];
  if (target !== undefined) targets.push({ field: 'target', value: target });
  const everyPeriod =
    targetsByPeriod !== undefined && periodTargets(targetsByPeriod, basis, targets, problem);
  const byContract =
    targetsByContractYear !== undefined && contractYearTargets(indicator, targets, problem);
  if (targetsByContractYear !== undefined && targetsByPeriod !== undefined)
    problem('targetsByContractYear', 'give targets by period or by contract year, not both');
  if (target === undefined && !everyPeriod && !byContract) {
    problem(
      'target',
      basis === 'academic'
        ? 'is required (unless targetsByPeriod gives all three terms)'
        : 'is required (unless targetsByPeriod gives all four quarters)',
    );
  }
  const numbers: number[] = [];
  for (const { field, value } of targets) {
    if (!isNumber(value)) problem(field, 'must be a number');
    else if ((unit === 'percentage' || unit === 'ratio') && (value < 0 || value > 100)) {
      problem(field, `a ${unit} target is a percentage from 0 to 100`);
    } else if (
      unit === 'yes-no' &&
      !(
        (value === 1 && direction === 'higher-is-better') ||
        (value === 0 && direction === 'lower-is-better')
      )
    ) {
      problem(
        field,
        'a yes-no indicator is met by "yes" (higher-is-better, target 1) or by "no" (lower-is-better, target 0)',
      );
    } else numbers.push(value);
  }
  noRangeFields(
    indicator,
    problem,
    'only within-range and activity indicators have an expected range',
  );
  if (floor !== undefined) {
    // The floor is below every target (higher is better) or above every one (lower is better).
    const worstTarget =
      direction === 'higher-is-better'
        ? Math.min(...numbers, Infinity)
        : Math.max(...numbers, -Infinity);
    if (!isNumber(floor)) problem('floor', 'must be a number');
    else if (direction === 'higher-is-better' ? floor > worstTarget : floor < worstTarget) {
      problem(
        'floor',
        `must be on the far side of the target (${direction === 'higher-is-better' ? 'at or below' : 'at or above'} it)`,
      );
    }
  }
}

/**
 * `targetsByPeriod`: quarters (financial year) or terms (academic year) and years, each pushed
 * to `targets`. True when every quarter (or term) has a target.
 */
function periodTargets(
  targetsByPeriod: unknown,
  basis: YearBasis,
  targets: { field: string; value: unknown }[],
  problem: Problem,
): boolean {
  if (!isRecord(targetsByPeriod)) {
    problem(
      'targetsByPeriod',
      'must be { quarters: { Q1…Q4 } or terms: { autumn, spring, summer }, years: { "2025/26": … } }',
    );
    return false;
  }
  const before = targets.length;
  const { quarters, terms, years, ...rest } = targetsByPeriod;
  for (const other of Object.keys(rest))
    problem(
      `targetsByPeriod.${other}`,
      'is not a known field here: give quarters, terms and years only',
    );
  let everyPeriod = false;
  if (quarters !== undefined) {
    if (!isRecord(quarters))
      problem('targetsByPeriod.quarters', 'must be { Q1, Q2, Q3, Q4 } (any of them)');
    else if (basis === 'academic')
      problem(
        'targetsByPeriod.quarters',
        'quarters are of the financial year: an indicator on the academic year takes terms',
      );
    else {
      for (const [quarter, value] of Object.entries(quarters)) {
        if (!(QUARTER_NAMES as readonly string[]).includes(quarter))
          problem(
            `targetsByPeriod.quarters.${quarter}`,
            'must be Q1, Q2, Q3 or Q4 (of the financial year: Q1 is Apr–Jun)',
          );
        else targets.push({ field: `targetsByPeriod.quarters.${quarter}`, value });
      }
      everyPeriod = QUARTER_NAMES.every((q) => Object.hasOwn(quarters, q));
    }
  }
  if (terms !== undefined) {
    if (!isRecord(terms))
      problem('targetsByPeriod.terms', 'must be { autumn, spring, summer } (any of them)');
    else if (basis === 'financial')
      problem(
        'targetsByPeriod.terms',
        'terms are of the academic year: give them to a termly indicator, or one with yearBasis academic',
      );
    else {
      for (const [term, value] of Object.entries(terms)) {
        if (!(ACADEMIC_TERMS as readonly string[]).includes(term))
          problem(
            `targetsByPeriod.terms.${term}`,
            'must be autumn (Sep–Dec), spring (Jan–Mar) or summer (Apr–Aug)',
          );
        else targets.push({ field: `targetsByPeriod.terms.${term}`, value });
      }
      everyPeriod = ACADEMIC_TERMS.every((t) => Object.hasOwn(terms, t));
    }
  }
  if (years !== undefined) {
    if (!isRecord(years)) problem('targetsByPeriod.years', 'must be { "2025/26": target, … }');
    else {
      for (const [year, value] of Object.entries(years)) {
        const match = YEAR.exec(year);
        if (!match || (Number(match[1]) + 1) % 100 !== Number(match[2]))
          problem(
            `targetsByPeriod.years.${year}`,
            `must be ${basis === 'academic' ? 'an academic' : 'a financial'} year written 2025/26`,
          );
        else targets.push({ field: `targetsByPeriod.years.${year}`, value });
      }
    }
  }
  if (targets.length === before)
    problem('targetsByPeriod', 'gives no target: leave it out or give quarters, terms or years');
  return everyPeriod;
}

/**
 * `targetsByContractYear` (year 1, 2, …; the last holds after) with `contractStart`, the month
 * contract year 1 begins. True when the list is well formed (then `target` is not needed).
 */
function contractYearTargets(
  indicator: TargetFields,
  targets: { field: string; value: unknown }[],
  problem: Problem,
): boolean {
  const { targetsByContractYear, contractStart } = indicator;
  if (
    !Array.isArray(targetsByContractYear) ||
    targetsByContractYear.length === 0 ||
    targetsByContractYear.length > MAX_CONTRACT_YEARS
  ) {
    problem(
      'targetsByContractYear',
      `must list the targets of contract years 1, 2, … (1 to ${MAX_CONTRACT_YEARS}; the last holds for later years)`,
    );
    return false;
  }
  targetsByContractYear.forEach((value, i) =>
    targets.push({ field: `targetsByContractYear[${i}]`, value }),
  );
  if (!isPeriod(contractStart)) {
    problem(
      'contractStart',
      'is required with targetsByContractYear: the month contract year 1 begins, written YYYY-MM',
    );
  }
  return true;
}
