import { requireKnownIds } from '@kpi/command-handling';
import {
  directionOfTravel,
  isJudgedAgainstTarget,
  isNotApplicable,
  judgeIndicator,
  kindOf,
  numericValue,
  targetFor,
  type AggregationRule,
  type Direction,
  type IndicatorDefinition,
  type IndicatorKind,
  type IndicatorUnit,
  type IndicatorValue,
  type Judgement,
  type JudgementContext,
  type Period,
  type RollUp,
  type Travel,
} from '@kpi/domain';
import type { Queryable, QueryReading } from '@kpi/projections';
import { readReportCells, type UsedDefinition } from './report-cells';
import { cellsVersion, keptOr } from './report-memo';
import { reportSpans, type SpanRollUp } from './report-spans';

/**
 * What the quarterly and annual reports share (docs/decisions/0021): the services asked for,
 * the definitions used, spans of months rolled up per service and for all services together
 * (a derived percentage by its formula over its operands' spans), judgement and travel.
 */

/** How a rolled-up value was judged against the indicator's target (or expected range). */
export type ReportJudgement = Pick<
  Judgement,
  'outcome' | 'rag' | 'target' | 'floor' | 'tolerance' | 'expectedRange'
>;

/** A value of a report: one month's, or a span's rolled up. */
export interface ReportFigure {
  /** As a month's value is given: a number, true/false, { numerator, denominator }, { parts, total } or not applicable; null without a return. */
  value: IndicatorValue | null;
  /** The number judged (a ratio as a percentage, yes/no as 1/0, a breakdown's total); null when not applicable or absent. */
  judgedValue: number | null;
  /** Null for an indicator not judged (data-only, derived without a target, no target or range) and for a figure without a value. */
  judgement: ReportJudgement | null;
  /**
   * Only on a span whose months were judged under different units or aggregation rules, which
   * are not mixed: why it has no value (`the unit changed from count to ratio in 2025-08`).
   */
  notRolledUp?: string;
}

/** What an indicator measures and how it rolls up, as the latest version used defines it. */
export interface ReportIndicator {
  frameworkId: string;
  frameworkVersion: number;
  code: string;
  name: string;
  unit: IndicatorUnit;
  /** Absent for a target indicator (the default). */
  kind?: IndicatorKind;
  direction: Direction;
  aggregation: AggregationRule;
  /** A breakdown's categories, in order (the parts of its values). */
  breakdown?: string[];
}

export interface ReportService {
  service_id: string;
  name: string;
  region_id: string;
}

export { keyOf, type UsedDefinition } from './report-cells';

/** The tenant's services of the region, or the one service (404 naming an unknown id). */
export async function servicesOfReport(
  db: Queryable,
  store: QueryReading['store'],
  tenantId: string,
  { regionId, serviceId }: { regionId?: string; serviceId?: string },
): Promise<ReportService[]> {
  const { rows: services } = await db.query<ReportService>(
    `SELECT service_id, name, region_id
       FROM rm_services
      WHERE tenant_id = $1
        AND ($2::text IS NULL OR region_id = $2)
        AND ($3::text IS NULL OR service_id = $3)
      ORDER BY name, service_id`,
    [tenantId, regionId ?? null, serviceId ?? null],
  );
  if (services.length === 0) await requireKnownIds({ store, tenantId }, { serviceId, regionId });
  return services;
}

/**
 * The months of a report and the span before it, read from the KPI grid, with each indicator's
 * definition (the latest version that judged one of the report's own months) and the roll-ups
 * of any span of them, per service and for all services (docs/decisions/0026: each month by the
 * version that judged it; months under different units or rules not mixed).
 */
export async function reportRollUp(
  db: Queryable,
  store: QueryReading['store'],
  tenantId: string,
  services: readonly ReportService[],
  range: { from: Period; first: Period; last: Period },
) {
  const serviceIds = services.map((s) => s.service_id);
  const { from, first, last } = range;
  const { cells, spans, made } = await keptOr(
    [tenantId, from, first, last, ...serviceIds].join('\u0000'),
    await cellsVersion(db, tenantId, from, last),
    async () => {
      const read = await readReportCells(db, store, tenantId, serviceIds, range);
      return {
        cells: read,
        spans: reportSpans(read, serviceIds),
        made: new Map<string, unknown>(),
      };
    },
    (kept) => [...kept.cells.series.values()].reduce((n, byKey) => n + byKey.size, 0),
  );
  const { serviceSpan, totalSpan } = spans;
  return {
    /**
     * What `make` gives, made once for as long as the roll-up is kept (the same cells): a
     * report's lines are asked for again and again. What it gives must not be changed.
     */
    keep: <T>(name: string, make: () => T): T => {
      if (!made.has(name)) made.set(name, make());
      return made.get(name) as T;
    },
    definitions: cells.latest as ReadonlyMap<string, UsedDefinition>,
    indicatorKeys: [...cells.latest.keys()],
    has: spans.has,
    valueOf: spans.valueOf,
    monthDefinition: spans.monthDefinition,
    /** A service's span (a derived percentage by its formula over its operands' spans). */
    serviceSpan,
    /** All the services' span (a derived percentage by its formula over its operands'). */
    totalSpan,
    /** A service's span rolled up by the rule (its counts when not rolled up). */
    spanOf: (service: string, key: string, periods: readonly Period[]): RollUp =>
      serviceSpan(service, key, periods).rollUp,
    /** All the services' spans rolled up together (their counts when not rolled up). */
    allSpans: (key: string, periods: readonly Period[]): RollUp => totalSpan(key, periods).rollUp,
    /** All the services' values over a span rolled up by the rule (null when not rolled up). */
    totalOf: (key: string, periods: readonly Period[]) => totalSpan(key, periods).value,
    /** A service's value over a span (a derived percentage by its formula). */
    serviceValue: (service: string, key: string, periods: readonly Period[]) =>
      serviceSpan(service, key, periods).value,
    /** All the services' value over a span (a derived percentage by its formula). */
    totalValue: (key: string, periods: readonly Period[]) => totalSpan(key, periods).value,
  };
}

export type ReportRollUp = Awaited<ReturnType<typeof reportRollUp>>;

/** The indicators of a report, as their latest versions used define them. */
export function reportIndicators(
  definitions: ReadonlyMap<string, UsedDefinition>,
): ReportIndicator[] {
  return [...definitions.values()].map(({ definition, frameworkId, version }) => {
    const { code, name, unit, direction, aggregation } = definition;
    return {
      frameworkId,
      frameworkVersion: version,
      code,
      name,
      // As the definition says it: absent for a target indicator (the default).
      ...(definition.kind !== undefined ? { kind: definition.kind } : {}),
      unit,
      direction,
      aggregation,
      ...(definition.breakdown ? { breakdown: [...definition.breakdown.categories] } : {}),
    };
  });
}

/** A span's direction of travel against the span before and the indicator's previous outturn. */
export function travelOf(
  definition: IndicatorDefinition,
  judgedValue: number | null,
  previousValue: IndicatorValue | null,
) {
  const previous = judgedValueOf(previousValue);
  const previousOutturn = definition.previousOutturn ?? null;
  return {
    previous,
    againstPrevious: directionOfTravel(definition, judgedValue, previous),
    previousOutturn: previousOutturn && {
      value: previousOutturn.value,
      period: previousOutturn.period,
    },
    againstOutturn: directionOfTravel(definition, judgedValue, previousOutturn?.value ?? null),
  } satisfies {
    previous: number | null;
    againstPrevious: Travel | null;
    previousOutturn: { value: number; period: string } | null;
    againstOutturn: Travel | null;
  };
}

const judgedValueOf = (value: IndicatorValue | null) =>
  value === null || isNotApplicable(value) ? null : numericValue(value);

export function reportFigure(
  definition: IndicatorDefinition,
  value: IndicatorValue | null,
  context: JudgementContext,
): ReportFigure {
  return { value, judgedValue: judgedValueOf(value), judgement: judge(definition, value, context) };
}

/** A span's figure: its value judged by its definition, or why it was not rolled up. */
export function spanFigure(span: SpanRollUp, context: JudgementContext): ReportFigure {
  return span.notRolledUp === null
    ? reportFigure(span.definition, span.value, context)
    : { value: null, judgedValue: null, judgement: null, notRolledUp: span.notRolledUp };
}

/**
 * The span before, as travel compares it: its value when it rolled up under the same unit and
 * rule as the span compared (else there is nothing to compare: null).
 */
export const previousValueFor = (span: SpanRollUp, previous: SpanRollUp) =>
  previous.notRolledUp === null &&
  previous.definition.unit === span.definition.unit &&
  previous.definition.aggregation === span.definition.aggregation
    ? previous.value
    : null;

/**
 * Judged as a month is (the judge policy), against the month's, the quarter's or the year's
 * target, where the indicator is judged: a target indicator (or a derived one with a target)
 * with a target or an expected range, an activity indicator (in range or flagged). Data-only:
 * never.
 */
function judge(
  definition: IndicatorDefinition,
  value: IndicatorValue | null,
  context: JudgementContext,
): ReportJudgement | null {
  if (value === null) return null;
  const judged =
    kindOf(definition) === 'activity' ||
    (isJudgedAgainstTarget(definition) &&
      (definition.direction === 'within-range' || targetFor(definition, context) !== null));
  if (!judged) return null;
  const { outcome, rag, target, floor, tolerance, expectedRange } = judgeIndicator(
    definition,
    value,
    context,
  );
  return { outcome, rag, target, floor, tolerance, expectedRange };
}
