import { loadState, requireKnownIds } from '@kpi/command-handling';
import {
  deriveValue,
  directionOfTravel,
  isJudgedAgainstTarget,
  isNotApplicable,
  judgeIndicator,
  kindOf,
  kpiFrameworkDecider,
  monthRollUp,
  numericValue,
  rolledUpValue,
  rollUpAll,
  streamIds,
  targetFor,
  totalOfServices,
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
import { kpiGridProjection, type KpiGridRow } from './kpi-grid.projection';

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

export interface UsedDefinition {
  frameworkId: string;
  version: number;
  definition: IndicatorDefinition;
}

export const keyOf = (frameworkId: string, code: string) => `${frameworkId}|${code}`;

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
 * definition (from the months of the report only) and the roll-ups of any span of them.
 */
export async function reportRollUp(
  db: Queryable,
  store: QueryReading['store'],
  tenantId: string,
  services: readonly ReportService[],
  { from, first, last }: { from: Period; first: Period; last: Period },
) {
  const allCells = await kpiGridProjection.rows(
    db,
    'tenant_id = $1 AND service_id = ANY ($2::text[]) AND period BETWEEN $3 AND $4',
    [tenantId, services.map((s) => s.service_id), from, last],
    'indicator_code',
  );
  const cells = allCells.filter((c) => c.period >= first);
  const definitions = await definitionsUsed({ store, tenantId }, cells);
  // Cells by service, then indicator, then month: a report asks for tens of thousands of them.
  const cellsBy = new Map<string, Map<string, Map<string, (typeof allCells)[number]>>>();
  for (const cell of allCells) {
    const key = keyOf(cell.frameworkId, cell.indicatorCode);
    let byKey = cellsBy.get(cell.serviceId);
    if (!byKey) cellsBy.set(cell.serviceId, (byKey = new Map()));
    let byPeriod = byKey.get(key);
    if (!byPeriod) byKey.set(key, (byPeriod = new Map()));
    byPeriod.set(cell.period, cell);
  }
  const cellAt = (service: string, period: Period, key: string) =>
    cellsBy.get(service)?.get(key)?.get(period);
  const has = (service: string, period: Period, key: string) =>
    cellAt(service, period, key) !== undefined;
  const valueOf = (service: string, period: Period, key: string) =>
    cellAt(service, period, key)?.value ?? null;
  const ruleOf = (key: string) => definitions.get(key)!.definition.aggregation;

  /**
   * A service's span of months rolled up by the indicator's rule (counts included). Each span
   * is rolled up once: the line, the totals and the derived figures all ask for it again.
   */
  const spans = new Map<string, RollUp>();
  const spanOf = (service: string, key: string, periods: readonly Period[]): RollUp => {
    const asked = `${service}\u0000${key}\u0000${periods.join(',')}`;
    let span = spans.get(asked);
    if (span === undefined) {
      span = rollUpAll(
        ruleOf(key),
        periods.map((period) => monthRollUp(ruleOf(key), period, valueOf(service, period, key))),
      );
      spans.set(asked, span);
    }
    return span;
  };
  /** All the services' spans rolled up together (for the counts of the total). */
  const allSpans = (key: string, periods: readonly Period[]): RollUp =>
    rollUpAll(
      ruleOf(key),
      services.map((s) => spanOf(s.service_id, key, periods)),
    );
  const totalOf = (key: string, periods: readonly Period[]) => {
    const { aggregation, unit } = definitions.get(key)!.definition;
    return totalOfServices(
      aggregation,
      unit,
      services.map((s) => spanOf(s.service_id, key, periods)),
    );
  };

  /**
   * A derived percentage's span: its formula over its operands' spans (a ratio of sums, never
   * the average of the monthly percentages); other values as they roll up.
   */
  const derivedOr = (
    key: string,
    rolledUp: IndicatorValue | null,
    operandValue: (operandKey: string) => IndicatorValue | null,
  ): IndicatorValue | null => {
    const { definition, frameworkId } = definitions.get(key)!;
    const { formula } = definition;
    if (
      rolledUp === null ||
      kindOf(definition) !== 'derived' ||
      formula?.operation !== 'percentage'
    )
      return rolledUp;
    const operands: Record<string, IndicatorValue> = {};
    for (const code of formula.of) {
      const operandKey = keyOf(frameworkId, code);
      const value = definitions.has(operandKey) ? operandValue(operandKey) : null;
      if (value !== null) operands[code] = value;
    }
    return deriveValue({ ...definition, formula }, operands);
  };

  return {
    definitions,
    indicatorKeys: [...definitions.keys()],
    has,
    valueOf,
    spanOf,
    allSpans,
    /** All the services' values over a span rolled up by the rule (a derived one as given). */
    totalOf,
    /** A service's value over a span (a derived percentage by its formula). */
    serviceValue: (service: string, key: string, periods: readonly Period[]) =>
      derivedOr(key, rolledUpValue(spanOf(service, key, periods)), (operand) =>
        rolledUpValue(spanOf(service, operand, periods)),
      ),
    /** All the services' value over a span (a derived percentage by its formula). */
    totalValue: (key: string, periods: readonly Period[]) =>
      derivedOr(key, totalOf(key, periods), (operand) => totalOf(operand, periods)),
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
  const previous = reportFigure(definition, previousValue, {}).judgedValue;
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

export function reportFigure(
  definition: IndicatorDefinition,
  value: IndicatorValue | null,
  context: JudgementContext,
): ReportFigure {
  const judgedValue = value === null || isNotApplicable(value) ? null : numericValue(value);
  return { value, judgedValue, judgement: judge(definition, value, context) };
}

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

/**
 * For each framework and indicator code met in the months, its definition in the latest
 * version that judged one of them with it: one stream read per framework.
 */
async function definitionsUsed(
  context: { store: QueryReading['store']; tenantId: string },
  cells: readonly KpiGridRow[],
): Promise<Map<string, UsedDefinition>> {
  const latest = new Map<string, number>();
  for (const cell of cells) {
    const key = keyOf(cell.frameworkId, cell.indicatorCode);
    latest.set(key, Math.max(latest.get(key) ?? 0, cell.frameworkVersion));
  }
  const frameworkIds = [...new Set(cells.map((c) => c.frameworkId))].sort();
  const states = await Promise.all(
    frameworkIds.map((frameworkId) =>
      loadState(
        context,
        streamIds.kpiFramework(context.tenantId, frameworkId),
        kpiFrameworkDecider,
      ),
    ),
  );
  const found = new Map<string, UsedDefinition>();
  frameworkIds.forEach((frameworkId, i) => {
    for (const version of states[i]!.versions) {
      version.indicators.forEach((definition) => {
        const key = keyOf(frameworkId, definition.code);
        if (latest.get(key) === version.version) {
          found.set(key, { frameworkId, version: version.version, definition });
        }
      });
    }
  });
  // Framework by framework, in the order its versions list the indicators.
  return found;
}
