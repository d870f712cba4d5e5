import type { FieldProblem } from '../shared/domain-errors';
import { yearMonth, type Period } from '../shared/period';
import {
  isNumber,
  isRecord,
  rangeProblems,
  targetProblems,
  yearBasisOf,
  YEAR_BASES,
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

const hasTarget = (indicator: IndicatorDefinition) =>
  indicator.target !== undefined ||
  indicator.targetsByPeriod !== undefined ||
  indicator.targetsByContractYear !== undefined ||
  indicator.direction === 'within-range';

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

const CODE = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
const CATEGORY = /^[A-Za-z0-9][A-Za-z0-9 _-]{0,39}$/;
const SUMMABLE_UNITS: readonly IndicatorUnit[] = ['count', 'hours', 'days'];
const isText = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.trim() !== '' && v.length <= max;

/** Everything wrong with an indicator definition, each naming its field under `at`. */
export function indicatorProblems(indicator: IndicatorDefinition, at: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const problem = (field: string, reason: string) =>
    problems.push({ field: `${at}.${field}`, reason });
  const { unit, direction } = indicator;

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
  if (indicator.group !== undefined && !isText(indicator.group, 100))
    problem('group', 'must be 1 to 100 characters (the heading it is listed under), or left out');
  if (
    indicator.kind !== undefined &&
    !(INDICATOR_KINDS as readonly string[]).includes(indicator.kind)
  )
    problem('kind', `must be one of ${INDICATOR_KINDS.join(', ')}`);
  if (!(INDICATOR_UNITS as readonly string[]).includes(unit))
    problem('unit', `must be one of ${INDICATOR_UNITS.join(', ')}`);
  if (!(DIRECTIONS as readonly string[]).includes(direction))
    problem('direction', `must be one of ${DIRECTIONS.join(', ')}`);
  if (!(PERIODICITIES as readonly string[]).includes(indicator.periodicity)) {
    problem('periodicity', `must be one of ${PERIODICITIES.join(', ')}`);
  } else yearBasisProblems(indicator, problem);
  if (!(AGGREGATION_RULES as readonly string[]).includes(indicator.aggregation)) {
    problem('aggregation', `must be one of ${AGGREGATION_RULES.join(', ')}`);
  } else if (indicator.aggregation === 'ratio-of-sums' && unit !== 'ratio') {
    problem(
      'aggregation',
      'ratio-of-sums needs the ratio unit (numerator and denominator are added up)',
    );
  } else if (indicator.aggregation === 'sum' && !SUMMABLE_UNITS.includes(unit)) {
    problem('aggregation', 'sum only suits counts, hours and days');
  }
  if (problems.length > 0) return problems;

  const kind = kindOf(indicator);
  contextProblems(indicator, problem);
  breakdownProblems(indicator, problem);
  formulaShapeProblems(indicator, problem);
  if (kind === 'data-only' || (kind === 'derived' && !hasTarget(indicator))) {
    const why =
      kind === 'data-only'
        ? 'a data-only indicator is collected, not judged'
        : 'a derived indicator without a target is not judged';
    if (direction === 'within-range') {
      problem('direction', `${why}: higher-is-better or lower-is-better (its direction of travel)`);
    }
    for (const field of [
      'floor',
      'tolerance',
      'expectedRange',
      'expectedRangesByQuarter',
    ] as const) {
      if (indicator[field] !== undefined) problem(field, `${why}: no ${field}`);
    }
    if (kind === 'data-only') {
      for (const field of ['target', 'targetsByPeriod', 'targetsByContractYear'] as const) {
        if (indicator[field] !== undefined) problem(field, `${why}: no ${field}`);
      }
    }
  } else if (kind === 'activity') {
    const why = 'an activity indicator is flagged outside its expected range, never missed';
    if (direction !== 'within-range') problem('direction', `must be within-range (${why})`);
    rangeProblems(
      indicator,
      problem,
      'is required for an activity indicator: { lower, upper } with lower ≤ upper (or one for each quarter in expectedRangesByQuarter)',
    );
    for (const field of [
      'target',
      'targetsByPeriod',
      'targetsByContractYear',
      'floor',
      'tolerance',
    ] as const) {
      if (indicator[field] !== undefined) problem(field, `${why}: no ${field}`);
    }
  } else if (direction === 'within-range') {
    rangeProblems(
      indicator,
      problem,
      'is required for within-range: { lower, upper } with lower ≤ upper (or one for each quarter in expectedRangesByQuarter)',
    );
    const { target, targetsByContractYear, targetsByPeriod, floor } = indicator;
    if (
      target !== undefined ||
      targetsByContractYear !== undefined ||
      targetsByPeriod !== undefined ||
      floor !== undefined
    ) {
      problem(
        'target',
        'a within-range indicator is judged by its expected range only (use tolerance for an amber band)',
      );
    }
  } else {
    targetProblems(indicator, problem);
  }
  if (indicator.contractStart !== undefined && indicator.targetsByContractYear === undefined)
    problem(
      'contractStart',
      'only targets by contract year count from a contract start: give targetsByContractYear, or leave it out',
    );
  if (unit === 'yes-no' && (indicator.floor !== undefined || indicator.tolerance !== undefined)) {
    problem(
      indicator.floor !== undefined ? 'floor' : 'tolerance',
      'a yes-no indicator is met or not: no amber band',
    );
  }
  if (indicator.floor !== undefined && indicator.tolerance !== undefined)
    problem('tolerance', 'give a floor standard or a tolerance, not both');
  if (
    indicator.tolerance !== undefined &&
    (!isNumber(indicator.tolerance) || indicator.tolerance < 0)
  )
    problem('tolerance', 'must be a number from 0');
  return problems;
}

type Problem = (field: string, reason: string) => void;

/**
 * `yearBasis`: financial or academic. Termly indicators are on the academic year and quarterly
 * ones on the financial year, so only monthly and annual ones may choose.
 */
function yearBasisProblems(indicator: IndicatorDefinition, problem: Problem): void {
  const { yearBasis, periodicity } = indicator;
  if (yearBasis === undefined) return;
  if (!(YEAR_BASES as readonly string[]).includes(yearBasis))
    problem('yearBasis', `must be one of ${YEAR_BASES.join(', ')}`);
  else if (periodicity === 'termly' && yearBasis !== 'academic')
    problem('yearBasis', 'a termly indicator is on the academic year (terms are of it)');
  else if (periodicity === 'quarterly' && yearBasis !== 'financial')
    problem('yearBasis', 'a quarterly indicator is on the financial year (quarters are of it)');
}

/** Previous outturn and comparative benchmark: shown beside the figures, never judged. */
function contextProblems(indicator: IndicatorDefinition, problem: Problem): void {
  const { previousOutturn, comparativeBenchmark } = indicator;
  if (
    previousOutturn !== undefined &&
    !(
      isRecord(previousOutturn) &&
      isNumber(previousOutturn.value) &&
      isText(previousOutturn.period, 40)
    )
  ) {
    problem(
      'previousOutturn',
      'must be { value, period } (a number, and the period it is of: "2012/13")',
    );
  }
  if (
    comparativeBenchmark !== undefined &&
    !(
      isRecord(comparativeBenchmark) &&
      isNumber(comparativeBenchmark.value) &&
      isText(comparativeBenchmark.source, 200)
    )
  ) {
    problem(
      'comparativeBenchmark',
      'must be { value, source } (a number, and where it comes from: "England average 2012/13", up to 200 characters)',
    );
  }
}

function breakdownProblems(indicator: IndicatorDefinition, problem: Problem): void {
  const { breakdown } = indicator;
  if (breakdown === undefined) return;
  if (kindOf(indicator) === 'derived') {
    problem(
      'breakdown',
      'a derived indicator is computed, not split: break down what it is computed from',
    );
  } else if (!SUMMABLE_UNITS.includes(indicator.unit)) {
    problem(
      'breakdown',
      'only counts, hours and days add up: a breakdown needs one of those units',
    );
  } else if (!isRecord(breakdown) || !Array.isArray(breakdown.categories)) {
    problem('breakdown', 'must be { name, categories: [ … ] }');
  } else {
    if (!isText(breakdown.name, 100)) problem('breakdown.name', 'is required: 1 to 100 characters');
    const { categories } = breakdown;
    if (categories.length < 2 || categories.length > 50)
      problem('breakdown.categories', 'must list 2 to 50 categories');
    const seen = new Set<unknown>();
    categories.forEach((category: unknown, i) => {
      if (typeof category !== 'string' || !CATEGORY.test(category))
        problem(`breakdown.categories[${i}]`, 'must be 1 to 40 letters, digits, spaces, _ or -');
      else if (seen.has(category))
        problem(`breakdown.categories[${i}]`, `"${category}" is listed twice`);
      seen.add(category);
    });
  }
}

/** A derived indicator's formula on its own (what it refers to is checked by formulaProblems). */
function formulaShapeProblems(indicator: IndicatorDefinition, problem: Problem): void {
  const { formula } = indicator;
  if (kindOf(indicator) !== 'derived') {
    if (formula !== undefined) problem('formula', 'only derived indicators have a formula');
    return;
  }
  if (!isRecord(formula)) {
    problem('formula', 'is required for a derived indicator: { operation, of: [codes] }');
    return;
  }
  const { operation, of } = formula as Record<string, unknown>;
  if (!(FORMULA_OPERATIONS as readonly string[]).includes(operation as string)) {
    problem('formula.operation', `must be one of ${FORMULA_OPERATIONS.join(', ')}`);
    return;
  }
  const two = operation === 'difference' || operation === 'percentage';
  if (
    !Array.isArray(of) ||
    of.some((code) => typeof code !== 'string') ||
    (two ? of.length !== 2 : of.length < 2 || of.length > 50)
  ) {
    problem(
      'formula.of',
      two
        ? `must be two indicator codes [a, b] (${operation === 'difference' ? 'a − b' : '100 × a / b'})`
        : 'must be 2 to 50 indicator codes',
    );
  } else if (of.includes(indicator.code)) {
    problem('formula.of', 'must not include the indicator itself');
  }
  if (operation === 'percentage' && indicator.unit !== 'percentage')
    problem('unit', 'a percentage formula gives a percentage: unit must be percentage');
  if (operation !== 'percentage' && !SUMMABLE_UNITS.includes(indicator.unit))
    problem('unit', `a ${operation as string} of counts, hours or days is one of those units`);
}

/**
 * What the derived indicators of a version refer to: other indicators of the same version,
 * typed (not derived themselves), reported as often, and numbers (not yes-no or ratios).
 */
export function formulaProblems(indicators: readonly IndicatorDefinition[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  indicators.forEach((indicator, i) => {
    if (kindOf(indicator) !== 'derived' || !Array.isArray(indicator.formula?.of)) return;
    indicator.formula.of.forEach((code, j) => {
      const field = `indicators[${i}].formula.of[${j}]`;
      const operand = indicators.find((other) => other.code === code);
      if (!operand)
        problems.push({ field, reason: `"${code}" is not an indicator of this version` });
      else if (kindOf(operand) === 'derived')
        problems.push({
          field,
          reason: `"${code}" is derived itself: compute from typed indicators`,
        });
      else if (operand.periodicity !== indicator.periodicity)
        problems.push({
          field,
          reason: `"${code}" is reported ${operand.periodicity}, this one ${indicator.periodicity}`,
        });
      else if (yearBasisOf(operand) !== yearBasisOf(indicator))
        problems.push({
          field,
          reason: `"${code}" is on the ${yearBasisOf(operand)} year, this one on the ${yearBasisOf(indicator)} year`,
        });
      else if (operand.unit === 'yes-no' || operand.unit === 'ratio')
        problems.push({
          field,
          reason: `"${code}" is a ${operand.unit}: a formula takes counts, hours, days or percentages`,
        });
    });
  });
  return problems;
}

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
