import {
  academicTermOf,
  academicYearOf,
  financialYearOf,
  parseAcademicTerm,
  parseAcademicYear,
  parseFinancialYear,
} from '../shared/academic-year';
import { financialQuarterOf, periodOf, yearMonth, type Period } from '../shared/period';
import {
  isJudgedAgainstTarget,
  kindOf,
  yearBasisOf,
  type ExpectedRange,
  type QuarterName,
  type IndicatorDefinition,
} from './indicator';
import { isNotApplicable, numberOf, type IndicatorValue } from './indicator-value';

/**
 * `met`/`missed`: judged against a target. `not-judged`: data-only (and derived without a
 * target), grey. `in-range`/`flagged`: an activity indicator inside (green) or outside (amber)
 * its expected range — flagged for a look, never a miss. Only `missed` counts as a miss and only
 * `met` towards a bonus.
 */
export type Outcome = 'met' | 'missed' | 'not-applicable' | 'not-judged' | 'in-range' | 'flagged';
export type Rag = 'green' | 'amber' | 'red' | 'grey';

/** How one indicator of one month was judged, with the thresholds used (kept with the event). */
export interface Judgement {
  outcome: Outcome;
  rag: Rag;
  /** The number judged: the value, a ratio as a percentage, 1/0 for yes/no; null when not applicable. */
  value: number | null;
  target: number | null;
  floor: number | null;
  tolerance: number | null;
  expectedRange: { lower: number; upper: number } | null;
}

/**
 * What is judged: a month, or a span judged whole (its rolled-up value). A span's targets are
 * those of its first month, except a whole year, which takes its year's target.
 */
export interface JudgementContext {
  /** For targets by contract year: 1 for the first year of the contract (else from `contractStart`). */
  contractYear?: number;
  /** The month judged: picks its quarter's (or term's) or year's target (targetsByPeriod). */
  period?: Period;
  /** A financial quarter judged as a whole (`2026-27 Q1`, a rolled-up value): the same targets. */
  quarter?: string;
  /** An academic term judged as a whole (`Aut 13`, a rolled-up value): its term's target. */
  term?: string;
  /** A financial year judged as a whole (`2016/17`, a rolled-up value): its year's target. */
  financialYear?: string;
  /** An academic year judged as a whole (`2013/14`, September–August): its year's target. */
  academicYear?: string;
}

const FINANCIAL_QUARTER = /^(\d{4})-\d{2} Q([1-4])$/;

/** The first month of a financial quarter written `2026-27 Q1` (Q1 = April). */
function firstMonthOfQuarter(quarter: string): Period {
  const match = FINANCIAL_QUARTER.exec(quarter);
  if (!match) throw new Error(`not a financial quarter: ${quarter}`);
  const [year, n] = [Number(match[1]), Number(match[2])];
  return n === 4 ? periodOf(year + 1, 1) : periodOf(year, 1 + 3 * n);
}

/**
 * The target a financial quarter's rolled-up value is judged against: the quarter's
 * (`targetsByPeriod.quarters.Qn`), else its financial year's, else the indicator's `target`.
 */
export function quarterTargetFor(indicator: IndicatorDefinition, quarter: string): number | null {
  return targetFor(indicator, { quarter });
}

/**
 * The target a financial year's rolled-up value is judged against: the year's
 * (`targetsByPeriod.years["2016/17"]`), else the indicator's `target` (never a quarter's).
 */
export function yearTargetFor(
  indicator: IndicatorDefinition,
  financialYear: string,
): number | null {
  return targetFor(indicator, { financialYear });
}

/** The first month of what is judged, when the context names one. */
function firstMonthOf(context: JudgementContext): Period | undefined {
  if (context.period !== undefined) return context.period;
  if (context.quarter !== undefined) return firstMonthOfQuarter(context.quarter);
  if (context.term !== undefined) return parseAcademicTerm(context.term, 'term').first;
  if (context.financialYear !== undefined)
    return parseFinancialYear(context.financialYear, 'financialYear').first;
  if (context.academicYear !== undefined)
    return parseAcademicYear(context.academicYear, 'academicYear').first;
  return undefined;
}

/**
 * The contract year of a month: 1 from `contractStart` for twelve months, then 2, …; a month
 * before the contract starts counts as year 1.
 */
export function contractYearOfMonth(contractStart: Period, month: Period): number {
  const start = yearMonth(contractStart);
  const at = yearMonth(month);
  const months = (at.year - start.year) * 12 + (at.month - start.month);
  return months < 0 ? 1 : Math.floor(months / 12) + 1;
}

/**
 * The target in force (docs/rules/kpi-judgement.md#targets-per-period): by contract year when
 * the indicator has those (the context's contract year, else the one its first month falls in
 * from `contractStart`); a whole year: its year's target; else, for a month or a span, its
 * quarter's (financial year) or term's (academic year) target, else its year's; else the
 * indicator's benchmark.
 */
export function targetFor(
  indicator: IndicatorDefinition,
  context: JudgementContext = {},
): number | null {
  const month = firstMonthOf(context);
  const byYear = indicator.targetsByContractYear;
  if (byYear && byYear.length > 0) {
    const contractYear =
      context.contractYear ??
      (indicator.contractStart !== undefined && month !== undefined
        ? contractYearOfMonth(indicator.contractStart, month)
        : undefined);
    if (contractYear !== undefined)
      return byYear[Math.min(Math.max(contractYear, 1), byYear.length) - 1]!;
  }
  const byPeriod = indicator.targetsByPeriod;
  const wholeYear =
    context.period === undefined && context.quarter === undefined && context.term === undefined
      ? (context.financialYear ?? context.academicYear)
      : undefined;
  if (wholeYear !== undefined) {
    const yearly = byPeriod?.years?.[wholeYear];
    if (yearly !== undefined) return yearly;
    return indicator.target ?? byYear?.[0] ?? null;
  }
  if (byPeriod && month !== undefined) {
    let withinYear: number | undefined;
    let year: string;
    if (yearBasisOf(indicator) === 'academic') {
      withinYear = byPeriod.terms?.[academicTermOf(month)];
      year = academicYearOf(month).name;
    } else {
      // financialQuarterOf says `2016-17 Q3`; targets by year are written `2016/17`.
      withinYear = byPeriod.quarters?.[financialQuarterOf(month).split(' ')[1] as QuarterName];
      year = financialYearOf(month).name;
    }
    if (withinYear !== undefined) return withinYear;
    const yearly = byPeriod.years?.[year];
    if (yearly !== undefined) return yearly;
  }
  return indicator.target ?? byYear?.[0] ?? null;
}

/**
 * The expected range in force: the financial quarter's (`expectedRangesByQuarter`) for a month
 * or a span within a quarter, else `expectedRange`; null when neither applies (a whole year of
 * an indicator with ranges by quarter only).
 */
export function expectedRangeFor(
  indicator: IndicatorDefinition,
  context: JudgementContext = {},
): ExpectedRange | null {
  const month = firstMonthOf(context);
  const wholeYear =
    context.period === undefined &&
    context.quarter === undefined &&
    context.term === undefined &&
    month !== undefined;
  if (indicator.expectedRangesByQuarter && month !== undefined && !wholeYear) {
    const quarter = financialQuarterOf(month).split(' ')[1] as QuarterName;
    const range = indicator.expectedRangesByQuarter[quarter];
    if (range !== undefined) return range;
  }
  return indicator.expectedRange ?? null;
}

export const numericValue = numberOf;

/**
 * Comparisons forgive the last bits of binary floating point, so 0.7 + 0.1 counts as 0.8:
 * a value on a threshold is on it, whatever arithmetic produced the threshold.
 */
const EPSILON = 1e-9;
const atLeast = (value: number, threshold: number) => value >= threshold - EPSILON;
const atMost = (value: number, threshold: number) => value <= threshold + EPSILON;

/**
 * Judges one indicator's value: green when the target is met; amber when it
 * is missed but the floor standard is met or the value is within tolerance; red otherwise;
 * grey when not applicable. Without a floor or tolerance a missed indicator is red.
 */
export function judgeIndicator(
  indicator: IndicatorDefinition,
  value: IndicatorValue,
  context: JudgementContext = {},
): Judgement {
  const target = indicator.direction === 'within-range' ? null : targetFor(indicator, context);
  const range = expectedRangeFor(indicator, context);
  const base = {
    target,
    floor: indicator.floor ?? null,
    tolerance: indicator.tolerance ?? null,
    expectedRange: range,
  };
  if (isNotApplicable(value))
    return { outcome: 'not-applicable', rag: 'grey', value: null, ...base };

  const v = numericValue(value);
  // No range for this span (ranges by quarter, a whole year judged): nothing to judge against.
  if (indicator.direction === 'within-range' && range === null)
    return { outcome: 'not-judged', rag: 'grey', value: v, ...base };
  if (kindOf(indicator) === 'activity') {
    const { lower, upper } = range!;
    return atLeast(v, lower) && atMost(v, upper)
      ? { outcome: 'in-range', rag: 'green', value: v, ...base }
      : { outcome: 'flagged', rag: 'amber', value: v, ...base };
  }
  if (!isJudgedAgainstTarget(indicator))
    return { outcome: 'not-judged', rag: 'grey', value: v, ...base };
  const tolerance = indicator.tolerance ?? 0;
  let met: boolean;
  let amber: boolean;
  switch (indicator.direction) {
    case 'higher-is-better':
      met = atLeast(v, target!);
      amber =
        indicator.floor !== undefined
          ? atLeast(v, indicator.floor)
          : indicator.tolerance !== undefined && atLeast(v, target! - tolerance);
      break;
    case 'lower-is-better':
      met = atMost(v, target!);
      amber =
        indicator.floor !== undefined
          ? atMost(v, indicator.floor)
          : indicator.tolerance !== undefined && atMost(v, target! + tolerance);
      break;
    case 'within-range': {
      const { lower, upper } = range!;
      met = atLeast(v, lower) && atMost(v, upper);
      amber =
        indicator.tolerance !== undefined &&
        atLeast(v, lower - tolerance) &&
        atMost(v, upper + tolerance);
      break;
    }
  }
  if (met) return { outcome: 'met', rag: 'green', value: v, ...base };
  return { outcome: 'missed', rag: amber ? 'amber' : 'red', value: v, ...base };
}

export interface BonusRule {
  /** k: how many indicators must be met… */
  required: number;
  /** …of n, the indicators of the framework. */
  of: number;
}

export interface BonusCompliance {
  met: number;
  required: number;
  of: number;
  compliant: boolean;
}

/**
 * A month is bonus-compliant when at least k indicators are met (children's homes: 8 of 9). An
 * indicator that is not applicable is not met: it neither counts towards k nor lowers it.
 */
export function bonusCompliance(
  judgements: readonly Judgement[],
  rule: BonusRule,
): BonusCompliance {
  const met = judgements.filter((j) => j.outcome === 'met').length;
  return { met, required: rule.required, of: rule.of, compliant: met >= rule.required };
}
