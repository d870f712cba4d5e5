import { financialQuarterOf, periodOf, type Period } from '../shared/period';
import {
  isJudgedAgainstTarget,
  isNotApplicable,
  kindOf,
  numberOf,
  type QuarterName,
  type IndicatorDefinition,
  type IndicatorValue,
} from './indicator';

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

export interface JudgementContext {
  /** For targets by contract year: 1 for the first year of the contract. */
  contractYear?: number;
  /** The month judged: picks its quarter's or financial year's target (targetsByPeriod). */
  period?: Period;
  /** A financial quarter judged as a whole (`2026-27 Q1`, a rolled-up value): the same targets. */
  quarter?: string;
  /** A financial year judged as a whole (`2016/17`, a rolled-up value): its year's target. */
  financialYear?: string;
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

/**
 * The target in force: by contract year when the indicator has those; else, for a month, its
 * financial quarter's target, else its financial year's (a quarter judged whole: the same);
 * else the indicator's benchmark.
 */
export function targetFor(
  indicator: IndicatorDefinition,
  context: JudgementContext = {},
): number | null {
  const byYear = indicator.targetsByContractYear;
  if (byYear && byYear.length > 0 && context.contractYear !== undefined) {
    return byYear[Math.min(Math.max(context.contractYear, 1), byYear.length) - 1]!;
  }
  const byPeriod = indicator.targetsByPeriod;
  if (context.financialYear !== undefined && context.period === undefined) {
    const yearly = byPeriod?.years?.[context.financialYear];
    if (yearly !== undefined) return yearly;
    return indicator.target ?? byYear?.[0] ?? null;
  }
  const period =
    context.period ??
    (context.quarter !== undefined ? firstMonthOfQuarter(context.quarter) : undefined);
  if (byPeriod && period !== undefined) {
    // financialQuarterOf says `2016-17 Q3`; targets by year are written `2016/17`.
    const [year, quarter] = financialQuarterOf(period).split(' ') as [string, QuarterName];
    const quarterly = byPeriod.quarters?.[quarter];
    if (quarterly !== undefined) return quarterly;
    const yearly = byPeriod.years?.[year.replace('-', '/')];
    if (yearly !== undefined) return yearly;
  }
  return indicator.target ?? byYear?.[0] ?? null;
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
  const base = {
    target,
    floor: indicator.floor ?? null,
    tolerance: indicator.tolerance ?? null,
    expectedRange: indicator.expectedRange ?? null,
  };
  if (isNotApplicable(value))
    return { outcome: 'not-applicable', rag: 'grey', value: null, ...base };

  const v = numericValue(value);
  if (kindOf(indicator) === 'activity') {
    const { lower, upper } = indicator.expectedRange!;
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
      const { lower, upper } = indicator.expectedRange!;
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
