import { loadState } from '@kpi/command-handling';
import {
  academicTermSpanOf,
  academicYearOf,
  addMonths,
  expectedRangeFor,
  financialQuarterOf,
  financialYearOf,
  isJudgedAgainstTarget,
  kpiFrameworkDecider,
  monthsOf,
  parseAcademicYear,
  parseFinancialYear,
  streamIds,
  targetFor,
  versionInForce,
  yearBasisOf,
  type AggregationRule,
  type Direction,
  type ExpectedRange,
  type IndicatorDefinition,
  type IndicatorKind,
  type IndicatorUnit,
  type IndicatorValue,
  type JudgementContext,
  type NamedSpan,
  type Period,
  type Periodicity,
  type Rag,
  type Travel,
  type YearBasis,
} from '@kpi/domain';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import type { PersonalDataVault } from '@kpi/personal-data';
import { commentaryKey, readCommentaries, type Commentary } from './commentary.query';
import {
  keyOf,
  reportFigure,
  reportRollUp,
  servicesOfReport,
  travelOf,
  type ReportFigure,
  type ReportService,
} from './report-rollup';

/** A plan year (`2025/26`), optionally one region's or one service's figures only. */
export interface BusinessPlanReportParams {
  year: string;
  regionId?: string;
  serviceId?: string;
}

/** How a period compares with the period before it and with the indicator's previous outturn. */
export interface PlanTravel {
  previousPeriod: string;
  /** The previous period's number judged, rolled up the same way; null without a value. */
  previousValue: number | null;
  againstPreviousPeriod: Travel | null;
  againstOutturn: Travel | null;
}

/** One quarter, term or year of an indicator: its target (or range), its actual and its RAG. */
export interface PlanPeriod extends ReportFigure {
  /** `2025-26 Q1`, `Aut 25`, or the year `2025/26`. */
  period: string;
  firstMonth: Period;
  lastMonth: Period;
  /** The target in force for the period; null for an indicator not judged against one. */
  target: number | null;
  /** The expected range in force (activity and within-range indicators). */
  expectedRange: ExpectedRange | null;
  /** The judgement's colour as text; null when not judged or without a value. */
  rag: Rag | null;
  travel: PlanTravel;
  /**
   * The commentary on the indicator's quarter (docs/decisions/0038), where there is one: the
   * service's when the report is of one service, the organisation's when it is of them all (a
   * region's has none: commentary is written for a service or the organisation).
   */
  commentary?: Commentary;
}

/** One row of the plan: what the indicator is, its context figures, then its periods. */
export interface PlanLine {
  frameworkId: string;
  frameworkVersion: number;
  code: string;
  name: string;
  group: string | null;
  /** Absent for a target indicator (the default). */
  kind?: IndicatorKind;
  unit: IndicatorUnit;
  direction: Direction;
  periodicity: Periodicity;
  yearBasis: YearBasis;
  aggregation: AggregationRule;
  floor: number | null;
  previousOutturn: { value: number; period: string } | null;
  comparativeBenchmark: { value: number; source: string } | null;
  /** Quarters of the financial year, terms of the academic year, or the one year. */
  periods: PlanPeriod[];
}

export interface BusinessPlanReport {
  year: string;
  /** The financial year of the quarters and the academic year of the terms, both named `year`. */
  financialYear: { first: Period; last: Period };
  academicYear: { first: Period; last: Period };
  /** The services whose figures are added up (one, when `serviceId` is given). */
  services: { serviceId: string; name: string; regionId: string }[];
  indicators: PlanLine[];
}

/** The business-plan report of the asking tenant. */
export class ReadBusinessPlanReport extends FeatureQuery<
  BusinessPlanReportParams,
  BusinessPlanReport
> {}

/** A span of a line: its months, how a rolled-up value of it is judged, and the span before. */
export interface PlanSpan {
  name: string;
  months: Period[];
  context: JudgementContext;
  previous: { name: string; months: Period[] };
}

/**
 * The business-plan report (docs/decisions/0025): each indicator of the services' frameworks,
 * as the version in force at the financial year's end defines it, with its floor, previous
 * outturn and comparative benchmark; then per financial quarter (indicators on the financial
 * year), per academic term (termly ones and others on the academic year) or for the whole year
 * (annual ones): the target in force, the actual rolled up from the months by the indicator's
 * rule over the services asked for, its RAG, and its direction of travel against the period
 * before and against the outturn.
 */
export async function readBusinessPlanReport(
  db: Queryable,
  tenantId: string,
  { year, regionId, serviceId }: BusinessPlanReportParams,
  { store, vault }: Pick<QueryReading, 'store'> & { vault?: PersonalDataVault },
): Promise<BusinessPlanReport> {
  const financialYear = parseFinancialYear(year);
  const academicYear = parseAcademicYear(year);
  const services = await servicesOfReport(db, store, tenantId, { regionId, serviceId });
  const definitions = await planDefinitions(db, store, tenantId, services, financialYear.last);
  const rollUp = await reportRollUp(db, store, tenantId, services, {
    // Back far enough for the period before the first quarter and the year before the year.
    from: addMonths(financialYear.first, -12),
    first: financialYear.first,
    last: academicYear.last,
  });
  const valueOf = (key: string, months: readonly Period[]) =>
    rollUp.definitions.has(key) ? rollUp.totalValue(key, months) : null;

  const spans = [...definitions.values()].map(({ definition }) =>
    planSpans(definition, financialYear, academicYear),
  );
  // Commentary is opened from the vault (one query), when the reader has it: the API's does.
  const scope = serviceId ?? null;
  const commentaries =
    vault && (serviceId !== undefined || regionId === undefined)
      ? await readCommentaries(db, vault, tenantId, {
          serviceIds: scope === null ? [] : [scope],
          periods: [...new Set(spans.flat().map((span) => span.name))],
        })
      : new Map<string, Commentary>();
  const indicators = [...definitions.entries()].map(
    ([key, { frameworkId, version, definition }], index) => {
      const periods = spans[index]!.map((span) => {
        const period = planPeriod(
          definition,
          span,
          valueOf(key, span.months),
          valueOf(key, span.previous.months),
        );
        const commentary = commentaries.get(commentaryKey(scope, definition.code, span.name));
        return commentary ? { ...period, commentary } : period;
      });
      return planLine(frameworkId, version, definition, periods);
    },
  );

  return {
    year: financialYear.name,
    financialYear: { first: financialYear.first, last: financialYear.last },
    academicYear: { first: academicYear.first, last: academicYear.last },
    services: services.map((s) => ({
      serviceId: s.service_id,
      name: s.name,
      regionId: s.region_id,
    })),
    indicators,
  };
}

/**
 * One period of a line: the target (or range) in force, the actual judged against it, and its
 * travel against the period before and the previous outturn.
 */
export function planPeriod(
  definition: IndicatorDefinition,
  span: PlanSpan,
  value: IndicatorValue | null,
  previousValue: IndicatorValue | null,
): PlanPeriod {
  const figure = reportFigure(definition, value, span.context);
  const travel = travelOf(definition, figure.judgedValue, previousValue);
  return {
    period: span.name,
    firstMonth: span.months[0]!,
    lastMonth: span.months[span.months.length - 1]!,
    target:
      isJudgedAgainstTarget(definition) && definition.direction !== 'within-range'
        ? targetFor(definition, span.context)
        : null,
    expectedRange:
      definition.direction === 'within-range' ? expectedRangeFor(definition, span.context) : null,
    ...figure,
    rag: figure.judgement?.rag ?? null,
    travel: {
      previousPeriod: span.previous.name,
      previousValue: travel.previous,
      againstPreviousPeriod: travel.againstPrevious,
      againstOutturn: travel.againstOutturn,
    },
  };
}

function planLine(
  frameworkId: string,
  frameworkVersion: number,
  definition: IndicatorDefinition,
  periods: PlanPeriod[],
): PlanLine {
  const { code, name, unit, direction, periodicity, aggregation } = definition;
  return {
    frameworkId,
    frameworkVersion,
    code,
    name,
    group: definition.group ?? null,
    ...(definition.kind !== undefined ? { kind: definition.kind } : {}),
    unit,
    direction,
    periodicity,
    yearBasis: yearBasisOf(definition),
    aggregation,
    floor: definition.floor ?? null,
    previousOutturn: definition.previousOutturn ?? null,
    comparativeBenchmark: definition.comparativeBenchmark ?? null,
    periods,
  };
}

/**
 * The periods of a line: the year for an annual indicator (financial or academic); the three
 * terms of the academic year for one on the academic year; else the four financial quarters.
 */
export function planSpans(
  definition: IndicatorDefinition,
  financialYear: NamedSpan,
  academicYear: NamedSpan,
): PlanSpan[] {
  const academic = yearBasisOf(definition) === 'academic';
  if (definition.periodicity === 'annual') {
    const span = academic ? academicYear : financialYear;
    const months = monthsOf(span);
    const before = months.map((p) => addMonths(p, -12));
    const previousYear = (academic ? academicYearOf : financialYearOf)(before[0]!);
    return [
      {
        name: span.name,
        months,
        context: academic ? { academicYear: span.name } : { financialYear: span.name },
        previous: { name: previousYear.name, months: before },
      },
    ];
  }
  if (academic) {
    return [0, 4, 7].map((offset) => {
      const term = academicTermSpanOf(addMonths(academicYear.first, offset));
      const before = academicTermSpanOf(addMonths(term.first, -1));
      return {
        name: term.name,
        months: monthsOf(term),
        context: { term: term.name },
        previous: { name: before.name, months: monthsOf(before) },
      };
    });
  }
  return [0, 3, 6, 9].map((offset) => {
    const first = addMonths(financialYear.first, offset);
    const months = [first, addMonths(first, 1), addMonths(first, 2)];
    return {
      name: financialQuarterOf(first),
      months,
      context: { quarter: financialQuarterOf(first) },
      previous: {
        name: financialQuarterOf(addMonths(first, -3)),
        months: months.map((p) => addMonths(p, -3)),
      },
    };
  });
}

interface PlanDefinition {
  frameworkId: string;
  version: number;
  definition: IndicatorDefinition;
}

/**
 * The indicators of the services' frameworks, each as the version in force at the end of the
 * financial year defines it (the first version, for a framework that starts later), framework
 * by framework in the order the version lists them.
 */
async function planDefinitions(
  db: Queryable,
  store: QueryReading['store'],
  tenantId: string,
  services: readonly ReportService[],
  yearEnd: Period,
): Promise<Map<string, PlanDefinition>> {
  const { rows } = await db.query<{ framework_id: string }>(
    `SELECT DISTINCT framework_id FROM rm_services
      WHERE tenant_id = $1 AND service_id = ANY ($2::text[])
      ORDER BY framework_id`,
    [tenantId, services.map((s) => s.service_id)],
  );
  const found = new Map<string, PlanDefinition>();
  for (const { framework_id: frameworkId } of rows) {
    const state = await loadState(
      { store },
      streamIds.kpiFramework(tenantId, frameworkId),
      kpiFrameworkDecider,
    );
    const version = versionInForce(state, yearEnd) ?? state.versions[0];
    for (const definition of version?.indicators ?? []) {
      found.set(keyOf(frameworkId, definition.code), {
        frameworkId,
        version: version!.version,
        definition,
      });
    }
  }
  return found;
}
