import {
  addMonths,
  financialQuarterOf,
  parseFinancialQuarter,
  periodsBetween,
  type IndicatorValue,
  type Period,
  type RollUp,
  type Travel,
} from '@kpi/domain';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import {
  reportFigure,
  reportIndicators,
  reportRollUp,
  servicesOfReport,
  travelOf,
  type ReportFigure,
  type ReportIndicator,
  type ReportJudgement,
} from './report-rollup';

/** A UK financial-year quarter (`2026-27 Q1`), optionally one region's or one service's only. */
export interface QuarterlyReportParams {
  quarter: string;
  regionId?: string;
  serviceId?: string;
}

/** How a rolled-up value was judged against the indicator's target (or expected range). */
export type QuarterJudgement = ReportJudgement;

/**
 * A value of the report: one month's, or the quarter's rolled up. A month is judged against
 * its own target, the quarter against the quarter's (targetsByPeriod: the quarter's, else the
 * year's, else `target`).
 */
export type QuarterlyFigure = ReportFigure;

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
export type QuarterlyIndicator = ReportIndicator;

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
  const services = await servicesOfReport(db, store, tenantId, { regionId, serviceId });
  const rollUp = await reportRollUp(db, store, tenantId, services, {
    from: previousMonths[0]!,
    first: months[0]!,
    last: months[2]!,
  });
  const { definitions, indicatorKeys, valueOf } = rollUp;

  const reportServices = services.map((service) => ({
    serviceId: service.service_id,
    name: service.name,
    regionId: service.region_id,
    lines: indicatorKeys
      .filter((key) => months.some((p) => rollUp.has(service.service_id, p, key)))
      .map((key) => {
        const id = service.service_id;
        return line(
          key,
          // A month's value as given (a reason for not applicable kept).
          months.map((p) => valueOf(id, p, key)),
          rollUp.spanOf(id, key, months),
          rollUp.serviceValue(id, key, months),
          rollUp.serviceValue(id, key, previousMonths),
        );
      }),
  }));

  const total = indicatorKeys.map((key) =>
    line(
      key,
      months.map((period) => rollUp.totalOf(key, [period])),
      rollUp.allSpans(key, months),
      rollUp.totalValue(key, months),
      rollUp.totalValue(key, previousMonths),
    ),
  );

  function line(
    key: string,
    monthValues: (IndicatorValue | null)[],
    counts: RollUp,
    value: IndicatorValue | null,
    previousValue: IndicatorValue | null,
  ): QuarterlyLine {
    const { definition, frameworkId } = definitions.get(key)!;
    const quarterFigure = reportFigure(definition, value, { quarter });
    const travel = travelOf(definition, quarterFigure.judgedValue, previousValue);
    return {
      frameworkId,
      code: definition.code,
      months: months.map((period, i) => ({
        period,
        ...reportFigure(definition, monthValues[i]!, { period }),
      })),
      quarter: {
        ...quarterFigure,
        monthsWithValue: counts.count,
        monthsNotApplicable: counts.notApplicable,
        travel: {
          previousQuarter,
          previousQuarterValue: travel.previous,
          againstPreviousQuarter: travel.againstPrevious,
          previousOutturn: travel.previousOutturn,
          againstOutturn: travel.againstOutturn,
        },
      },
    };
  }

  return {
    quarter,
    firstDay,
    lastDay,
    months,
    indicators: reportIndicators(definitions),
    services: reportServices,
    total,
  };
}
