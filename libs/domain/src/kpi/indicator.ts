import { yearMonth, type Period } from '../shared/period';
import {
  yearBasisOf,
  type ExpectedRange,
  type QuarterName,
  type TargetsByPeriod,
  type YearBasis,
} from './indicator-targets';

export {
  QUARTER_NAMES,
  YEAR_BASES,
  yearBasisOf,
  type ExpectedRange,
  type QuarterName,
  type TargetsByPeriod,
  type YearBasis,
} from './indicator-targets';

export const INDICATOR_UNITS = ['count', 'percentage', 'ratio', 'hours', 'days', 'yes-no'] as const;
export const DIRECTIONS = ['higher-is-better', 'lower-is-better', 'within-range'] as const;
/** How often an indicator is reported: termly ones each academic term (autumn, spring, summer). */
export const PERIODICITIES = ['monthly', 'quarterly', 'termly', 'annual'] as const;
export const AGGREGATION_RULES = ['sum', 'average', 'last', 'ratio-of-sums'] as const;
/** What an indicator is for (docs/rules/kpi-judgement.md#kinds); `target` when absent. */
export const INDICATOR_KINDS = ['target', 'data-only', 'derived', 'activity'] as const;
/** How a derived indicator is computed from others of the same return. */
export const FORMULA_OPERATIONS = ['difference', 'sum', 'percentage'] as const;

export type IndicatorUnit = (typeof INDICATOR_UNITS)[number];
export type Direction = (typeof DIRECTIONS)[number];
export type Periodicity = (typeof PERIODICITIES)[number];
/** How months roll up into quarters and years (docs/rules/kpi-judgement.md#aggregation). */
export type AggregationRule = (typeof AGGREGATION_RULES)[number];
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];
export type FormulaOperation = (typeof FORMULA_OPERATIONS)[number];

/**
 * A derived indicator's formula over other indicators of the same return (their totals):
 * `difference` a − b (two codes), `sum` of the codes, `percentage` 100 × a / b (two codes).
 */
export interface Formula {
  operation: FormulaOperation;
  of: string[];
}

/** The categories a value is split by (lead need: MH, LD, PSD, OP); its total is their sum. */
export interface Breakdown {
  name: string;
  categories: string[];
}

/**
 * One KPI of a framework.
 * - `target`: the benchmark; met at or beyond it in the indicator's direction. For `yes-no`,
 *   1 (higher-is-better) means "yes" is met and 0 (lower-is-better) means "no" is met. A
 *   `ratio` is judged as a percentage: 100 × numerator / denominator.
 * - `targetsByPeriod`: by quarter or term, and by year (indicator-targets.ts).
 * - `targetsByContractYear`: targets for contract years 1, 2, … (the last one holds after),
 *   counted from `contractStart`, the month contract year 1 begins.
 * - `floor` (floor standard) or `tolerance`: the amber band between met and red. Without
 *   either, a missed indicator is red.
 * - `expectedRange`: for `within-range` indicators, met inside [lower, upper]; for `activity`
 *   ones, flagged outside it. `expectedRangesByQuarter` gives a financial quarter its own.
 * - `yearBasis`: whether its years (and periods) are financial (April–March, the default) or
 *   academic (September–August, always for termly indicators).
 * - `kind`: `target` (judged: RAG; the default), `data-only` (collected, never judged),
 *   `derived` (computed by `formula`, never typed; judged when it has a target), `activity`
 *   (flagged outside its expected range, never missed).
 * - `breakdown`: the value is given as its parts by category; its total is their sum.
 * - `previousOutturn`, `comparativeBenchmark`: context figures, stored and shown, not judged.
 */
export interface IndicatorDefinition {
  code: string;
  name: string;
  /** The heading it is listed under (a seed's "Staffing", "Respite only"); not judged. */
  group?: string;
  kind?: IndicatorKind;
  unit: IndicatorUnit;
  direction: Direction;
  formula?: Formula;
  breakdown?: Breakdown;
  target?: number;
  targetsByPeriod?: TargetsByPeriod;
  targetsByContractYear?: number[];
  contractStart?: Period;
  floor?: number;
  tolerance?: number;
  expectedRange?: ExpectedRange;
  expectedRangesByQuarter?: Partial<Record<QuarterName, ExpectedRange>>;
  previousOutturn?: { value: number; period: string };
  comparativeBenchmark?: { value: number; source: string };
  periodicity: Periodicity;
  yearBasis?: YearBasis;
  aggregation: AggregationRule;
}

export const kindOf = (indicator: IndicatorDefinition): IndicatorKind => indicator.kind ?? 'target';

/**
 * Whether the indicator is judged met or missed against a target (and so may count towards a
 * bonus or a capability miss): `target` ones, and `derived` ones that have a target.
 */
export function isJudgedAgainstTarget(indicator: IndicatorDefinition): boolean {
  const kind = kindOf(indicator);
  return kind === 'target' || (kind === 'derived' && hasTarget(indicator));
}

/** Whether the indicator has a target to judge against (a range counts as one). */
export const hasTarget = (indicator: IndicatorDefinition) =>
  indicator.target !== undefined ||
  indicator.targetsByPeriod !== undefined ||
  indicator.targetsByContractYear !== undefined ||
  indicator.direction === 'within-range';

/** Only the fields an indicator has, so nothing else is stored with the framework. */
export function indicatorFieldsOf(indicator: IndicatorDefinition): IndicatorDefinition {
  const { code, name, kind, unit, direction, formula, breakdown, target, targetsByPeriod } =
    indicator;
  const { targetsByContractYear, floor, tolerance, expectedRange, periodicity, aggregation } =
    indicator;
  const { previousOutturn, comparativeBenchmark, contractStart, expectedRangesByQuarter } =
    indicator;
  return {
    code,
    name: name.trim(),
    ...(indicator.group !== undefined ? { group: indicator.group.trim() } : {}),
    ...(kind !== undefined ? { kind } : {}),
    unit,
    direction,
    ...(formula !== undefined
      ? { formula: { operation: formula.operation, of: [...formula.of] } }
      : {}),
    ...(breakdown !== undefined
      ? { breakdown: { name: breakdown.name.trim(), categories: [...breakdown.categories] } }
      : {}),
    ...(target !== undefined ? { target } : {}),
    ...(targetsByPeriod !== undefined
      ? {
          targetsByPeriod: {
            ...(targetsByPeriod.quarters ? { quarters: { ...targetsByPeriod.quarters } } : {}),
            ...(targetsByPeriod.terms ? { terms: { ...targetsByPeriod.terms } } : {}),
            ...(targetsByPeriod.years ? { years: { ...targetsByPeriod.years } } : {}),
          },
        }
      : {}),
    ...(targetsByContractYear !== undefined
      ? { targetsByContractYear: [...targetsByContractYear] }
      : {}),
    ...(contractStart !== undefined ? { contractStart } : {}),
    ...(floor !== undefined ? { floor } : {}),
    ...(tolerance !== undefined ? { tolerance } : {}),
    ...(expectedRange !== undefined
      ? { expectedRange: { lower: expectedRange.lower, upper: expectedRange.upper } }
      : {}),
    ...(expectedRangesByQuarter !== undefined
      ? {
          expectedRangesByQuarter: Object.fromEntries(
            Object.entries(expectedRangesByQuarter).map(([quarter, range]) => [
              quarter,
              { lower: range.lower, upper: range.upper },
            ]),
          ),
        }
      : {}),
    ...(previousOutturn !== undefined
      ? { previousOutturn: { value: previousOutturn.value, period: previousOutturn.period.trim() } }
      : {}),
    ...(comparativeBenchmark !== undefined
      ? {
          comparativeBenchmark: {
            value: comparativeBenchmark.value,
            source: comparativeBenchmark.source.trim(),
          },
        }
      : {}),
    periodicity,
    ...(indicator.yearBasis !== undefined ? { yearBasis: indicator.yearBasis } : {}),
    aggregation,
  };
}

/**
 * Whether an indicator is reported in a month: a period's figure is given in its last month —
 * quarterly ones at the financial quarters' ends (Jun, Sep, Dec, Mar), termly ones at the
 * terms' ends (Dec, Mar, Aug), annual ones at the end of their year (March, or August for an
 * academic year).
 */
export function isReportedIn(indicator: IndicatorDefinition, period: Period): boolean {
  const { month } = yearMonth(period);
  switch (indicator.periodicity) {
    case 'monthly':
      return true;
    case 'quarterly':
      return month % 3 === 0;
    case 'termly':
      return month === 12 || month === 3 || month === 8;
    case 'annual':
      return month === (yearBasisOf(indicator) === 'academic' ? 8 : 3);
  }
}
