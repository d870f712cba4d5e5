import {
  addMonths,
  financialQuarterOf,
  financialYearOf,
  monthsOf,
  parseFinancialYear,
  type Period,
  type Travel,
} from '@kpi/domain';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import {
  previousValueFor,
  reportIndicators,
  reportRollUp,
  servicesOfReport,
  spanFigure,
  travelOf,
  type ReportFigure,
  type ReportIndicator,
} from './report-rollup';
import type { SpanRollUp } from './report-spans';

/** A UK financial year (`2016/17`: April 2016 – March 2017), optionally one region's or service's. */
export interface AnnualReportParams {
  year: string;
  regionId?: string;
  serviceId?: string;
}

/** How the year compares with the year before and with the indicator's previous outturn. */
export interface YearTravel {
  previousYear: string;
  /** The previous year's number judged, rolled up the same way; null without a value. */
  previousYearValue: number | null;
  againstPreviousYear: Travel | null;
  /** The indicator's `previousOutturn`, where it has one. */
  previousOutturn: { value: number; period: string } | null;
  againstOutturn: Travel | null;
}

/** One indicator of a service (or of all services): its four quarters, then its year. */
export interface AnnualLine {
  frameworkId: string;
  code: string;
  /** Each quarter rolled up from its months, judged against the quarter's target. */
  quarters: (ReportFigure & { quarter: string })[];
  /** The year rolled up from its twelve months (never from the quarters' values). */
  year: ReportFigure & {
    /** Months (service-months in the total) with a value, and not applicable. */
    monthsWithValue: number;
    monthsNotApplicable: number;
    travel: YearTravel;
  };
}

export interface AnnualReport {
  year: string;
  firstMonth: Period;
  lastMonth: Period;
  quarters: string[];
  indicators: ReportIndicator[];
  services: { serviceId: string; name: string; regionId: string; lines: AnnualLine[] }[];
  /** All the services of the report together, indicator by indicator. */
  total: AnnualLine[];
}

/** The annual report of the asking tenant: quarters then year, per service and in total. */
export class ReadAnnualReport extends FeatureQuery<AnnualReportParams, AnnualReport> {}

/**
 * The annual report (docs/decisions/0021): for each service, each indicator's four quarters
 * and then the financial year, each rolled up from the months by the indicator's aggregation
 * rule (an average is over the year's months with a value, never an average of quarterly
 * averages); then all the services together. Quarters are judged against their targets, the
 * year against the year's (`targetsByPeriod.years`, else `target`). The year carries its
 * direction of travel against the previous financial year and the previous outturn.
 */
export async function readAnnualReport(
  db: Queryable,
  tenantId: string,
  { year, regionId, serviceId }: AnnualReportParams,
  { store }: Pick<QueryReading, 'store'>,
): Promise<AnnualReport> {
  const span = parseFinancialYear(year);
  const months = monthsOf(span);
  const previousMonths = months.map((p) => addMonths(p, -12));
  const previousYear = financialYearOf(previousMonths[0]!).name;
  const quarters = [0, 3, 6, 9].map((i) => ({
    quarter: financialQuarterOf(months[i]!),
    months: months.slice(i, i + 3),
  }));
  const services = await servicesOfReport(db, store, tenantId, { regionId, serviceId });
  const rollUp = await reportRollUp(db, store, tenantId, services, {
    from: previousMonths[0]!,
    first: months[0]!,
    last: months[11]!,
  });
  const { definitions, indicatorKeys } = rollUp;

  const reportServices = services.map((service) => {
    const id = service.service_id;
    return {
      serviceId: id,
      name: service.name,
      regionId: service.region_id,
      lines: rollUp.keep(`${span.name}|${id}`, () =>
        indicatorKeys
          .filter((key) => months.some((p) => rollUp.has(id, p, key)))
          .map((key) =>
            line(
              key,
              quarters.map((q) => rollUp.serviceSpan(id, key, q.months)),
              rollUp.serviceSpan(id, key, months),
              rollUp.serviceSpan(id, key, previousMonths),
            ),
          ),
      ),
    };
  });

  const total = rollUp.keep(`${span.name}|total`, () =>
    indicatorKeys.map((key) =>
      line(
        key,
        quarters.map((q) => rollUp.totalSpan(key, q.months)),
        rollUp.totalSpan(key, months),
        rollUp.totalSpan(key, previousMonths),
      ),
    ),
  );

  function line(
    key: string,
    quarterSpans: SpanRollUp[],
    yearSpan: SpanRollUp,
    previous: SpanRollUp,
  ): AnnualLine {
    const { definition, frameworkId } = definitions.get(key)!;
    const yearFigure = spanFigure(yearSpan, { financialYear: span.name });
    const travel = travelOf(
      yearSpan.definition,
      yearFigure.judgedValue,
      previousValueFor(yearSpan, previous),
    );
    return {
      frameworkId,
      code: definition.code,
      quarters: quarters.map(({ quarter }, i) => ({
        quarter,
        ...spanFigure(quarterSpans[i]!, { quarter }),
      })),
      year: {
        ...yearFigure,
        monthsWithValue: yearSpan.rollUp.count,
        monthsNotApplicable: yearSpan.rollUp.notApplicable,
        travel: {
          previousYear,
          previousYearValue: travel.previous,
          againstPreviousYear: travel.againstPrevious,
          previousOutturn: travel.previousOutturn,
          againstOutturn: travel.againstOutturn,
        },
      },
    };
  }

  return {
    year: span.name,
    firstMonth: span.first,
    lastMonth: span.last,
    quarters: quarters.map((q) => q.quarter),
    indicators: reportIndicators(definitions),
    services: reportServices,
    total,
  };
}
