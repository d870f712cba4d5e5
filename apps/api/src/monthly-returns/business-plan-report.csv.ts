import type { BusinessPlanReport, PlanLine, PlanPeriod } from '@kpi/features/monthly-returns';
import { csvDocument } from '../http/csv';
import { commentaryText } from './report-commentary';

/** The columns of the business-plan CSV: the indicator and its context, then one period. */
export const BUSINESS_PLAN_CSV_COLUMNS = [
  'framework_id',
  'indicator',
  'name',
  'group',
  'kind',
  'unit',
  'direction',
  'periodicity',
  'year_basis',
  'floor',
  'previous_outturn',
  'previous_outturn_period',
  'comparative_benchmark',
  'comparative_benchmark_source',
  'period',
  'first_month',
  'last_month',
  'target',
  'expected_lower',
  'expected_upper',
  'actual',
  'outcome',
  'rag',
  'previous_period',
  'previous_value',
  'travel_vs_previous',
  'travel_vs_outturn',
] as const;

/** One row's fields, in the order of {@link BUSINESS_PLAN_CSV_COLUMNS}: numbers stay numbers. */
export function businessPlanRow(line: PlanLine, period: PlanPeriod): (string | number | null)[] {
  return [
    line.frameworkId,
    line.code,
    line.name,
    line.group,
    line.kind ?? 'target',
    line.unit,
    line.direction,
    line.periodicity,
    line.yearBasis,
    line.floor,
    line.previousOutturn?.value ?? null,
    line.previousOutturn?.period ?? null,
    line.comparativeBenchmark?.value ?? null,
    line.comparativeBenchmark?.source ?? null,
    period.period,
    period.firstMonth,
    period.lastMonth,
    period.target,
    period.expectedRange?.lower ?? null,
    period.expectedRange?.upper ?? null,
    period.judgedValue,
    outcomeOf(period),
    period.rag,
    period.travel.previousPeriod,
    period.travel.previousValue,
    period.travel.againstPreviousPeriod,
    period.travel.againstOutturn,
  ];
}

/** `not-applicable`, the judgement's outcome, `not-judged`, or `no-return` without a value. */
export function outcomeOf(period: PlanPeriod): string {
  if (period.judgement) return period.judgement.outcome;
  if (period.value === null) return 'no-return';
  return period.judgedValue === null ? 'not-applicable' : 'not-judged';
}

/** Whether any period of the plan has commentary: then the files add a commentary column. */
export const hasCommentary = (report: BusinessPlanReport): boolean =>
  report.indicators.some((line) => line.periods.some((period) => period.commentary));

/**
 * The business plan as CSV (RFC 4180, CRLF, byte-order mark): one row per indicator and
 * period (quarter, term or year); the actual is the number judged (a ratio as its percentage).
 * A `commentary` column comes last when a quarter has commentary (docs/decisions/0038), so a
 * plan without stays as it was.
 */
export function businessPlanCsv(report: BusinessPlanReport): string {
  const withCommentary = hasCommentary(report);
  return csvDocument(
    [...BUSINESS_PLAN_CSV_COLUMNS, ...(withCommentary ? ['commentary'] : [])],
    report.indicators.flatMap((line) =>
      line.periods.map((period) => [
        ...businessPlanRow(line, period),
        ...(withCommentary ? [commentaryText(period.commentary) ?? null] : []),
      ]),
    ),
  );
}
