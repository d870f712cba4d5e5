import {
  addMonths,
  financialQuarterOf,
  parseFinancialQuarter,
  periodsBetween,
  type Period,
  type Travel,
} from '@kpi/domain';
import type { PersonalDataVault } from '@kpi/personal-data';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import { commentaryKey, readCommentaries, type Commentary } from './commentary.query';
import { readDataQualityFigure, type DataQualityFigure } from './data-quality.query';
import {
  previousValueFor,
  reportFigure,
  reportIndicators,
  reportRollUp,
  servicesOfReport,
  spanFigure,
  travelOf,
  type ReportFigure,
  type ReportIndicator,
  type ReportJudgement,
} from './report-rollup';
import type { SpanRollUp } from './report-spans';

/**
 * A UK financial-year quarter (`2026-27 Q1`), optionally one region's or one service's only;
 * `detail: 'months'` adds each service's months to its lines (the total always has them);
 * `limit` and `offset` page the services (the total is always all of them).
 */
export interface QuarterlyReportParams {
  quarter: string;
  regionId?: string;
  serviceId?: string;
  detail?: 'months';
  /** Most services to list (default: all), from `offset` (default 0). */
  limit?: number;
  offset?: number;
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

/**
 * One indicator of a service (or of all services): its three months (a service's only when
 * asked for), then its quarter.
 */
export interface QuarterlyLine {
  frameworkId: string;
  code: string;
  months?: (QuarterlyFigure & { period: Period; commentary?: Commentary })[];
  /**
   * The commentary on the indicator's quarter (docs/decisions/0038): the service's on its line,
   * the organisation's on the total's; present only where there is one.
   */
  commentary?: Commentary;
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
  /** The services of the report: all, or the page asked for (by name). */
  services: { serviceId: string; name: string; regionId: string; lines: QuarterlyLine[] }[];
  /** How many services the report has (the total is theirs), and where the next page starts. */
  serviceCount: number;
  nextOffset: number | null;
  /** All the services of the report together, indicator by indicator. */
  total: QuarterlyLine[];
  /**
   * The audited share of the quarter's returns (docs/decisions/0037): of every service of the
   * report, returns submitted, audited, and found confirmed, corrected or queried.
   */
  dataQuality: DataQualityFigure;
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
  { quarter, regionId, serviceId, detail, limit, offset = 0 }: QuarterlyReportParams,
  { store, vault }: Pick<QueryReading, 'store'> & { vault?: PersonalDataVault },
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
  const { definitions, indicatorKeys } = rollUp;

  const end = limit === undefined ? services.length : Math.min(services.length, offset + limit);
  const reportServices = services.slice(offset, end).map((service) => {
    const id = service.service_id;
    return {
      serviceId: id,
      name: service.name,
      regionId: service.region_id,
      lines: rollUp.keep(`${quarter}|${detail ?? 'quarter'}|${id}`, () =>
        indicatorKeys
          .filter((key) => months.some((p) => rollUp.has(id, p, key)))
          .map((key) =>
            line(
              key,
              detail === 'months'
                ? // A month's value as given (a reason for not applicable kept).
                  months.map((p) =>
                    reportFigure(rollUp.monthDefinition(id, p, key), rollUp.valueOf(id, p, key), {
                      period: p,
                    }),
                  )
                : null,
              rollUp.serviceSpan(id, key, months),
              rollUp.serviceSpan(id, key, previousMonths),
            ),
          ),
      ),
    };
  });

  const total = rollUp.keep(`${quarter}|total`, () =>
    indicatorKeys.map((key) =>
      line(
        key,
        months.map((period) => spanFigure(rollUp.totalSpan(key, [period]), { period })),
        rollUp.totalSpan(key, months),
        rollUp.totalSpan(key, previousMonths),
      ),
    ),
  );

  function line(
    key: string,
    monthFigures: QuarterlyFigure[] | null,
    span: SpanRollUp,
    previous: SpanRollUp,
  ): QuarterlyLine {
    const { definition, frameworkId } = definitions.get(key)!;
    const quarterFigure = spanFigure(span, { quarter });
    const travel = travelOf(
      span.definition,
      quarterFigure.judgedValue,
      previousValueFor(span, previous),
    );
    return {
      frameworkId,
      code: definition.code,
      ...(monthFigures && {
        months: months.map((period, i) => ({ period, ...monthFigures[i]! })),
      }),
      quarter: {
        ...quarterFigure,
        monthsWithValue: span.rollUp.count,
        monthsNotApplicable: span.rollUp.notApplicable,
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

  const allServiceIds = services.map((s) => s.service_id);
  // Commentary is opened from the vault (one query), when the reader has it: the API's does.
  const commentaries = vault
    ? await readCommentaries(db, vault, tenantId, {
        serviceIds: reportServices.map((s) => s.serviceId),
        periods: [quarter, ...months],
      })
    : new Map<string, Commentary>();
  const withCommentary = (serviceId: string | null, lines: QuarterlyLine[]): QuarterlyLine[] =>
    commentaries.size === 0
      ? lines
      : lines.map((l) => {
          const onQuarter = commentaries.get(commentaryKey(serviceId, l.code, quarter));
          return {
            ...l,
            ...(l.months && {
              months: l.months.map((m) => {
                const onMonth = commentaries.get(commentaryKey(serviceId, l.code, m.period));
                return onMonth ? { ...m, commentary: onMonth } : m;
              }),
            }),
            ...(onQuarter && { commentary: onQuarter }),
          };
        });

  return {
    quarter,
    firstDay,
    lastDay,
    months,
    indicators: reportIndicators(definitions),
    services: reportServices.map((s) => ({ ...s, lines: withCommentary(s.serviceId, s.lines) })),
    serviceCount: services.length,
    nextOffset: end < services.length ? end : null,
    total: withCommentary(null, total),
    dataQuality: await readDataQualityFigure(db, tenantId, allServiceIds, months),
  };
}
