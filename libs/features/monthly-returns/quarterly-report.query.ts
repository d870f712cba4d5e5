import { loadState, requireKnownIds } from '@kpi/command-handling';
import {
  addMonths,
  deriveValue,
  directionOfTravel,
  financialQuarterOf,
  isJudgedAgainstTarget,
  judgeIndicator,
  kindOf,
  kpiFrameworkDecider,
  monthRollUp,
  parseFinancialQuarter,
  periodsBetween,
  rolledUpValue,
  rollUpAll,
  streamIds,
  targetFor,
  totalOfServices,
  type JudgementContext,
  type Travel,
  isNotApplicable,
  numericValue,
  type AggregationRule,
  type Direction,
  type IndicatorDefinition,
  type IndicatorKind,
  type IndicatorUnit,
  type IndicatorValue,
  type Judgement,
  type Period,
  type RollUp,
} from '@kpi/domain';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import { kpiGridProjection, type KpiGridRow } from './kpi-grid.projection';

/** A UK financial-year quarter (`2026-27 Q1`), optionally one region's or one service's only. */
export interface QuarterlyReportParams {
  quarter: string;
  regionId?: string;
  serviceId?: string;
}

/** How a rolled-up value was judged against the indicator's target (or expected range). */
export type QuarterJudgement = Pick<
  Judgement,
  'outcome' | 'rag' | 'target' | 'floor' | 'tolerance' | 'expectedRange'
>;

/** A value of the report: one month's, or the quarter's rolled up. */
export interface QuarterlyFigure {
  /** As a month's value is given: a number, true/false, { numerator, denominator }, { parts, total } or not applicable; null without a return. */
  value: IndicatorValue | null;
  /** The number judged (a ratio as a percentage, yes/no as 1/0, a breakdown's total); null when not applicable or absent. */
  judgedValue: number | null;
  /**
   * Null for an indicator not judged (data-only, derived without a target, no target or range)
   * and for a figure without a value. A month is judged against its own target, the quarter
   * against the quarter's (targetsByPeriod: the quarter's, else the year's, else `target`).
   */
  judgement: QuarterJudgement | null;
}

/** How the quarter compares with the one before and with the indicator's previous outturn. */
export interface QuarterTravel {
  previousQuarter: string;
  /** The previous quarter's number judged, rolled up the same way; null without a value. */
  previousQuarterValue: number | null;
  againstPreviousQuarter: Travel | null;
  /** The indicator's `previousOutturn`, where it has one. */
  previousOutturn: { value: number; period: string } | null;
  againstOutturn: Travel | null;
}

/** One indicator of a service (or of all services): its three months, then its quarter. */
export interface QuarterlyLine {
  frameworkId: string;
  code: string;
  months: (QuarterlyFigure & { period: Period })[];
  quarter: QuarterlyFigure & {
    /** Months (service-months in the total) with a value, and not applicable. */
    monthsWithValue: number;
    monthsNotApplicable: number;
    travel: QuarterTravel;
  };
}

/** What an indicator measures and how it rolls up, as the latest version used in the quarter defines it. */
export interface QuarterlyIndicator {
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

export interface QuarterlyReport {
  quarter: string;
  firstDay: string;
  lastDay: string;
  months: Period[];
  indicators: QuarterlyIndicator[];
  services: { serviceId: string; name: string; regionId: string; lines: QuarterlyLine[] }[];
  /** All the services of the report together, indicator by indicator. */
  total: QuarterlyLine[];
}

/** The quarterly report of the asking tenant: months then quarter, per service and in total. */
export class ReadQuarterlyReport extends FeatureQuery<QuarterlyReportParams, QuarterlyReport> {}

interface ReportService {
  service_id: string;
  name: string;
  region_id: string;
}

const keyOf = (frameworkId: string, code: string) => `${frameworkId}|${code}`;

/**
 * The quarterly report (seed `001_…`'s respite table): for each service, each indicator's
 * three months, then the quarter rolled up by the indicator's aggregation rule (a breakdown's
 * parts too); then all the services together (docs/decisions/0021). Values come from the KPI
 * grid's read model; each indicator's definition (aggregation, unit, targets) from the latest
 * framework version that judged a month of the quarter with it, read from the framework's
 * stream. A month is judged against its target, the quarter's rolled-up value against the
 * quarter's; a derived percentage's quarter is its formula over its operands' quarters. Each
 * quarter carries its direction of travel against the previous quarter (read the same way)
 * and against the indicator's previous outturn.
 */
export async function readQuarterlyReport(
  db: Queryable,
  tenantId: string,
  { quarter, regionId, serviceId }: QuarterlyReportParams,
  { store }: Pick<QueryReading, 'store'>,
): Promise<QuarterlyReport> {
  const { firstDay, lastDay } = parseFinancialQuarter(quarter);
  const months = periodsBetween(firstDay.slice(0, 7) as Period, lastDay.slice(0, 7) as Period);
  const previousMonths = months.map((p) => addMonths(p, -3));
  const previousQuarter = financialQuarterOf(previousMonths[0]!);
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
  const allCells = await kpiGridProjection.rows(
    db,
    'tenant_id = $1 AND service_id = ANY ($2::text[]) AND period BETWEEN $3 AND $4',
    [tenantId, services.map((s) => s.service_id), previousMonths[0], months[2]],
    'indicator_code',
  );
  const cells = allCells.filter((c) => c.period >= months[0]!);

  const definitions = await definitionsUsed({ store, tenantId }, cells);
  const indicatorKeys = [...definitions.keys()];
  const cellOf = new Map(
    allCells.map((c) => [`${c.serviceId}|${c.period}|${keyOf(c.frameworkId, c.indicatorCode)}`, c]),
  );
  const valueOf = (service: string, period: Period, key: string) =>
    cellOf.get(`${service}|${period}|${key}`)?.value ?? null;

  // Per service and indicator: each month's roll-up (empty without a value).
  const monthRollUps = (service: string, key: string, periods = months): RollUp[] => {
    const { aggregation } = definitions.get(key)!.definition;
    return periods.map((period) => monthRollUp(aggregation, period, valueOf(service, period, key)));
  };
  const quarterOf = (service: string, key: string, periods = months) =>
    rollUpAll(definitions.get(key)!.definition.aggregation, monthRollUps(service, key, periods));
  const totalOf = (key: string, periods = months) => {
    const { aggregation, unit } = definitions.get(key)!.definition;
    return totalOfServices(
      aggregation,
      unit,
      services.map((s) => quarterOf(s.service_id, key, periods)),
    );
  };

  /**
   * A derived percentage's quarter: its formula over its operands' quarters (a ratio of sums,
   * never the average of the monthly percentages); other values as they roll up.
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

  const reportServices = services.map((service) => ({
    serviceId: service.service_id,
    name: service.name,
    regionId: service.region_id,
    lines: indicatorKeys
      .filter((key) => months.some((p) => cellOf.has(`${service.service_id}|${p}|${key}`)))
      .map((key) => {
        const id = service.service_id;
        const counts = quarterOf(id, key);
        const quarterValue = (periods: Period[]) =>
          derivedOr(key, rolledUpValue(quarterOf(id, key, periods)), (operand) =>
            rolledUpValue(quarterOf(id, operand, periods)),
          );
        return line(
          key,
          // A month's value as given (a reason for not applicable kept).
          months.map((p) => valueOf(id, p, key)),
          counts,
          quarterValue(months),
          quarterValue(previousMonths),
        );
      }),
  }));

  const total = indicatorKeys.map((key) => {
    const { aggregation, unit } = definitions.get(key)!.definition;
    const monthTotals = months.map((period) =>
      totalOfServices(
        aggregation,
        unit,
        services.map((s) => monthRollUp(aggregation, period, valueOf(s.service_id, period, key))),
      ),
    );
    const quarterValue = (periods: Period[]) =>
      derivedOr(key, totalOf(key, periods), (operand) => totalOf(operand, periods));
    return line(
      key,
      monthTotals,
      rollUpAll(
        aggregation,
        services.map((s) => quarterOf(s.service_id, key)),
      ),
      quarterValue(months),
      quarterValue(previousMonths),
    );
  });

  function line(
    key: string,
    monthValues: (IndicatorValue | null)[],
    counts: RollUp,
    value: IndicatorValue | null,
    previousValue: IndicatorValue | null,
  ): QuarterlyLine {
    const { definition, frameworkId } = definitions.get(key)!;
    const quarterFigure = figure(definition, value, { quarter });
    const previousQuarterValue = figure(definition, previousValue, {}).judgedValue;
    const previousOutturn = definition.previousOutturn ?? null;
    return {
      frameworkId,
      code: definition.code,
      months: months.map((period, i) => ({
        period,
        ...figure(definition, monthValues[i]!, { period }),
      })),
      quarter: {
        ...quarterFigure,
        monthsWithValue: counts.count,
        monthsNotApplicable: counts.notApplicable,
        travel: {
          previousQuarter,
          previousQuarterValue,
          againstPreviousQuarter: directionOfTravel(
            definition,
            quarterFigure.judgedValue,
            previousQuarterValue,
          ),
          previousOutturn: previousOutturn && {
            value: previousOutturn.value,
            period: previousOutturn.period,
          },
          againstOutturn: directionOfTravel(
            definition,
            quarterFigure.judgedValue,
            previousOutturn?.value ?? null,
          ),
        },
      },
    };
  }

  return {
    quarter,
    firstDay,
    lastDay,
    months,
    indicators: indicatorKeys.map((key) => {
      const { definition, frameworkId, version } = definitions.get(key)!;
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
    }),
    services: reportServices,
    total,
  };
}

function figure(
  definition: IndicatorDefinition,
  value: IndicatorValue | null,
  context: JudgementContext,
): QuarterlyFigure {
  const judgedValue = value === null || isNotApplicable(value) ? null : numericValue(value);
  return { value, judgedValue, judgement: judge(definition, value, context) };
}

/**
 * Judged as a month is (the judge policy), against the month's or the quarter's target, where
 * the indicator is judged: a target indicator (or a derived one with a target) with a target
 * or an expected range, an activity indicator (in range or flagged). Data-only: never.
 */
function judge(
  definition: IndicatorDefinition,
  value: IndicatorValue | null,
  context: JudgementContext,
): QuarterJudgement | null {
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
 * For each framework and indicator code met in the quarter, its definition in the latest
 * version that judged a month of the quarter with it: one stream read per framework.
 */
async function definitionsUsed(
  context: { store: QueryReading['store']; tenantId: string },
  cells: readonly KpiGridRow[],
): Promise<Map<string, { frameworkId: string; version: number; definition: IndicatorDefinition }>> {
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
  const found = new Map<
    string,
    { frameworkId: string; version: number; definition: IndicatorDefinition }
  >();
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
