import { loadState, requireKnownIds } from '@kpi/command-handling';
import {
  judgeIndicator,
  kpiFrameworkDecider,
  monthRollUp,
  parseFinancialQuarter,
  periodsBetween,
  rolledUpValue,
  rollUpAll,
  streamIds,
  targetFor,
  totalOfServices,
  isNotApplicable,
  numericValue,
  type AggregationRule,
  type Direction,
  type IndicatorDefinition,
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
  /** As a month's value is given: a number, true/false, { numerator, denominator } or not applicable; null without a return. */
  value: IndicatorValue | null;
  /** The number judged (a ratio as a percentage, yes/no as 1/0); null when not applicable or absent. */
  judgedValue: number | null;
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
    /** Null for an indicator without a target or range, and for a quarter without a value. */
    judgement: QuarterJudgement | null;
  };
}

/** What an indicator measures and how it rolls up, as the latest version used in the quarter defines it. */
export interface QuarterlyIndicator {
  frameworkId: string;
  frameworkVersion: number;
  code: string;
  name: string;
  unit: IndicatorUnit;
  direction: Direction;
  aggregation: AggregationRule;
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
 * three months, then the quarter rolled up by the indicator's aggregation rule; then all the
 * services together (docs/decisions/0021). Values come from the KPI grid's read model; each
 * indicator's definition (aggregation, unit, target) from the latest framework version that
 * judged a month of the quarter with it, read from the framework's stream. A rolled-up value
 * is judged by that definition's target where it has one (or its expected range).
 */
export async function readQuarterlyReport(
  db: Queryable,
  tenantId: string,
  { quarter, regionId, serviceId }: QuarterlyReportParams,
  { store }: Pick<QueryReading, 'store'>,
): Promise<QuarterlyReport> {
  const { firstDay, lastDay } = parseFinancialQuarter(quarter);
  const months = periodsBetween(firstDay.slice(0, 7) as Period, lastDay.slice(0, 7) as Period);
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
  const cells = await kpiGridProjection.rows(
    db,
    'tenant_id = $1 AND service_id = ANY ($2::text[]) AND period BETWEEN $3 AND $4',
    [tenantId, services.map((s) => s.service_id), months[0], months[2]],
    'indicator_code',
  );

  const definitions = await definitionsUsed({ store, tenantId }, cells);
  const indicatorKeys = [...definitions.keys()];
  const cellOf = new Map(
    cells.map((c) => [`${c.serviceId}|${c.period}|${keyOf(c.frameworkId, c.indicatorCode)}`, c]),
  );

  // Per service and indicator: each month's roll-up (empty without a value).
  const monthRollUps = (service: string, key: string): RollUp[] => {
    const { definition } = definitions.get(key)!;
    return months.map((period) =>
      monthRollUp(
        definition.aggregation,
        period,
        cellOf.get(`${service}|${period}|${key}`)?.value ?? null,
      ),
    );
  };

  const reportServices = services.map((service) => ({
    serviceId: service.service_id,
    name: service.name,
    regionId: service.region_id,
    lines: indicatorKeys
      .filter((key) => months.some((p) => cellOf.has(`${service.service_id}|${p}|${key}`)))
      .map((key) => {
        const { definition, frameworkId } = definitions.get(key)!;
        const perMonth = monthRollUps(service.service_id, key);
        return line(
          frameworkId,
          definition,
          // A month's value as given (a reason for not applicable kept).
          months.map((p) => cellOf.get(`${service.service_id}|${p}|${key}`)?.value ?? null),
          rollUpAll(definition.aggregation, perMonth),
          rolledUpValue(rollUpAll(definition.aggregation, perMonth)),
        );
      }),
  }));

  const total = indicatorKeys.map((key) => {
    const { definition, frameworkId } = definitions.get(key)!;
    const { aggregation, unit } = definition;
    const byService = services.map((s) => monthRollUps(s.service_id, key));
    const monthTotals = months.map((_, i) =>
      totalOfServices(
        aggregation,
        unit,
        byService.map((perMonth) => perMonth[i]!),
      ),
    );
    const serviceQuarters = byService.map((perMonth) => rollUpAll(aggregation, perMonth));
    return line(
      frameworkId,
      definition,
      monthTotals,
      rollUpAll(aggregation, serviceQuarters),
      totalOfServices(aggregation, unit, serviceQuarters),
    );
  });

  function line(
    frameworkId: string,
    definition: IndicatorDefinition,
    monthValues: (IndicatorValue | null)[],
    counts: RollUp,
    value: IndicatorValue | null,
  ): QuarterlyLine {
    return {
      frameworkId,
      code: definition.code,
      months: months.map((period, i) => ({ period, ...figure(monthValues[i]!) })),
      quarter: {
        ...figure(value),
        monthsWithValue: counts.count,
        monthsNotApplicable: counts.notApplicable,
        judgement: judge(definition, value),
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
        unit,
        direction,
        aggregation,
      };
    }),
    services: reportServices,
    total,
  };
}

function figure(value: IndicatorValue | null): QuarterlyFigure {
  return {
    value,
    judgedValue: value === null || isNotApplicable(value) ? null : numericValue(value),
  };
}

/** Judged as a month is (the judge policy as it stands), where the indicator has a target or range. */
function judge(
  definition: IndicatorDefinition,
  value: IndicatorValue | null,
): QuarterJudgement | null {
  if (value === null) return null;
  const judged = definition.direction === 'within-range' || targetFor(definition) !== null;
  if (!judged) return null;
  const { outcome, rag, target, floor, tolerance, expectedRange } = judgeIndicator(
    definition,
    value,
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
