import type { FieldProblem } from '../shared/domain-errors';
import {
  AGGREGATION_RULES,
  DIRECTIONS,
  FORMULA_OPERATIONS,
  hasTarget,
  INDICATOR_KINDS,
  INDICATOR_UNITS,
  kindOf,
  PERIODICITIES,
  type IndicatorDefinition,
  type IndicatorUnit,
} from './indicator';
import {
  isNumber,
  isRecord,
  rangeProblems,
  targetProblems,
  yearBasisOf,
  YEAR_BASES,
} from './indicator-targets';

/*
 * Everything that can be wrong with an indicator definition, each problem naming its field:
 * the checks a framework version passes before it is stored. The definitions: indicator.ts.
 */
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
