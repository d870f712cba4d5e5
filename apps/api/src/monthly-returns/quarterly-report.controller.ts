import type { Principal } from '@kpi/auth';
import { KPI_READERS } from '@kpi/domain';
import { ReadQuarterlyReport } from '@kpi/features/monthly-returns';
import { Controller, Get, Inject, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Queries } from '../http/buses';
import { attachment, csvDocument } from '../http/csv';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { CLOCK } from '../infrastructure/injection-tokens';
import { BEARER_SCHEME } from '../openapi/openapi';
import { XLSX_CONTENT_TYPE } from './kpi-grid.controller';
import { commentaryText } from './report-commentary';
import { quarterlyReportWorkbook } from './report.xlsx';
import {
  DEFAULT_REPORT_SERVICES,
  QuarterlyReportDto,
  QuarterlyReportQuery,
  type QuarterlyLineDto,
} from './quarterly-report.dto';

const DESCRIPTION =
  "For each service (of the region, or the one service, if given), each indicator's three months then the quarter, rolled up by the indicator's aggregation rule: `sum` adds the months; `average` is the mean of the months with a value; `last` is the latest month with a value; `ratio-of-sums` adds numerators and denominators. Then `total`: all the services together (sums and ratios added, the average over every service-month with a value, `last` added across services for counts, hours and days and averaged for other units). A breakdown's parts roll up as its total does; a derived percentage's quarter is its formula over its operands' quarters (a ratio of sums). A month not applicable or without a return adds nothing. Each month is judged against its target and each quarter against the quarter's (`targetsByPeriod.quarters`, else the financial year's, else `target`), or its expected range, by the latest framework version that judged a month of the quarter; data-only indicators are never judged. Each quarter carries its direction of travel against the previous quarter and against the indicator's previous outturn. Each month rolls up by the framework version that judged it; a span whose months were judged under different units or aggregation rules is not rolled up (`notRolledUp` says why, the value is null). The answer lists a page of services (`limit`, default 100; `offset`; `serviceCount`, `nextOffset`) with each indicator's quarter only, and `total` for every service of the report with its months; `detail=months` adds each service's months. 404 when a `serviceId` or `regionId` names none of the tenant's.";

/** The quarterly report of seed `001_…`: months, then quarter totals, per service and in all. */
@ApiTags('kpi reports')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...KPI_READERS)
@Controller()
export class QuarterlyReportController {
  constructor(
    private readonly queries: Queries,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  @Get('reports/quarterly')
  @ApiOperation({
    summary: 'The quarterly report of a financial quarter',
    description: DESCRIPTION,
  })
  @ApiOkResponse({ type: QuarterlyReportDto })
  @ApiProblemResponses(400, 401, 403, 404)
  read(
    @CurrentPrincipal() principal: Principal,
    @Query() query: QuarterlyReportQuery,
  ): Promise<QuarterlyReportDto> {
    return this.queries.ask(principal, ReadQuarterlyReport, {
      ...query,
      limit: query.limit ?? DEFAULT_REPORT_SERVICES,
    });
  }

  @Get('reports/quarterly.csv')
  @ApiOperation({
    summary: 'The quarterly report as CSV',
    description:
      'One row per service and indicator, then one per indicator for `All services` (service_id empty): the three months (columns named `YYYY-MM`), the quarter (a column named after it), the number judged (a ratio as its percentage) and the judgement. Values as given: numbers as numbers, a ratio `numerator/denominator`, yes/no, `n/a (reason)`, a breakdown by its total followed by one row per part (indicator `CODE.part`, not judged); empty without a return. UTF-8 with a byte-order mark, CRLF, RFC 4180.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'An attachment: quarterly-report-<tenant>-<quarter>.csv',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiProblemResponses(400, 401, 403, 404)
  async csv(
    @CurrentPrincipal() principal: Principal,
    @Query() query: QuarterlyReportQuery,
  ): Promise<StreamableFile> {
    const { report, quarter } = await this.wholeReport(principal, query);
    return new StreamableFile(Buffer.from(quarterlyReportCsv(report), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: attachment(`quarterly-report-${principal.tenantId}-${quarter}.csv`),
    });
  }

  @Get('reports/quarterly.xlsx')
  @ApiOperation({
    summary: 'The quarterly report as an Excel workbook',
    description:
      'Sheet "Quarterly report": a row per service and indicator (every service, with its months), then a bold row per indicator for `All services`: each month as a number (a ratio as its percentage, a breakdown by its total, yes/no as text) with its RAG as text in the next column, the value cell filled by its colour; then the quarter rolled up, its RAG, target, outcome, direction of travel against the previous quarter, and a note (why not applicable, or not rolled up). A breakdown\'s parts follow it, one row each, not judged. Sheet "Notes": each indicator\'s name, unit, direction and rule, and what the colours mean.',
  })
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOkResponse({
    description: 'An attachment: quarterly-report-<tenant>-<quarter, 2026-27-Q1>.xlsx',
    content: { [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblemResponses(400, 401, 403, 404)
  async xlsx(
    @CurrentPrincipal() principal: Principal,
    @Query() query: QuarterlyReportQuery,
  ): Promise<StreamableFile> {
    const { report, quarter } = await this.wholeReport(principal, query);
    return new StreamableFile(await quarterlyReportWorkbook(report, this.clock()), {
      type: XLSX_CONTENT_TYPE,
      disposition: attachment(`quarterly-report-${principal.tenantId}-${quarter}.xlsx`),
    });
  }

  /** Every service with its months, as the files hold them, and the quarter as a file names it. */
  private async wholeReport(principal: Principal, query: QuarterlyReportQuery) {
    const report = await this.queries.ask(principal, ReadQuarterlyReport, {
      ...query,
      detail: 'months',
      limit: undefined,
      offset: undefined,
    });
    return { report, quarter: report.quarter.replace(' ', '-') };
  }
}

/** A value as a spreadsheet reads it: numbers as numbers, a ratio n/d, yes/no, n/a (reason). */
function csvValue(value: unknown): unknown {
  if (value === null || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  const v = value as {
    notApplicable?: true;
    reason?: string;
    numerator?: number;
    denominator?: number;
    total?: number;
  };
  if (v.notApplicable) return `n/a (${v.reason ?? ''})`;
  if (v.total !== undefined) return v.total;
  return `${v.numerator}/${v.denominator}`;
}

/** A line of a report as CSV reads it: its columns' values, then the whole span's figure. */
export interface CsvLine {
  frameworkId: string;
  code: string;
  columns: unknown[];
  /** The commentary on the span, as text (docs/decisions/0038). */
  commentary?: string;
  span: {
    value: unknown;
    judgedValue: number | null;
    judgement: QuarterlyLineDto['quarter']['judgement'];
    notRolledUp?: string;
  };
}

/**
 * A report as CSV: per service and indicator, then all services; a breakdown's parts on rows
 * of their own, not judged.
 */
export function reportCsv(
  report: {
    indicators: QuarterlyReportDto['indicators'];
    services: { serviceId: string; name: string; regionId: string; lines: CsvLine[] }[];
    total: CsvLine[];
  },
  columns: string[],
  span: string,
  spanJudged: string,
  /** Rows after the lines (the data-quality figures), in the same columns. */
  extraRows: unknown[][] = [],
): string {
  // The commentary column appears when a line has commentary, so files without stay as they were.
  const lines = [...report.services.flatMap((s) => s.lines), ...report.total];
  const withCommentary = lines.some((line) => line.commentary !== undefined);
  const header = [
    'service_id',
    'service_name',
    'region_id',
    'indicator',
    'indicator_name',
    'unit',
    'aggregation',
    ...columns,
    span,
    spanJudged,
    'outcome',
    'rag',
    'target',
    ...(withCommentary ? ['commentary'] : []),
  ];
  const indicatorOf = new Map(report.indicators.map((i) => [`${i.frameworkId}|${i.code}`, i]));
  const partOf = (value: unknown, category: string): unknown => {
    const parts = (value as { parts?: Record<string, number> } | null)?.parts;
    return parts ? parts[category] : csvValue(value);
  };
  const rows = (service: unknown[], line: CsvLine): unknown[][] => {
    const indicator = indicatorOf.get(`${line.frameworkId}|${line.code}`);
    const { judgement } = line.span;
    const described = [indicator?.unit, indicator?.aggregation];
    return [
      [
        ...service,
        line.code,
        indicator?.name,
        ...described,
        ...line.columns.map(csvValue),
        line.span.notRolledUp === undefined
          ? csvValue(line.span.value)
          : `not rolled up (${line.span.notRolledUp})`,
        line.span.judgedValue,
        judgement?.outcome,
        judgement?.rag,
        judgement?.target,
        ...(withCommentary ? [line.commentary ?? null] : []),
      ],
      // A breakdown's parts, each rolled up as the total is; not judged.
      ...(indicator?.breakdown ?? []).map((category) => {
        const whole = partOf(line.span.value, category);
        return [
          ...service,
          `${line.code}.${category}`,
          `${indicator?.name} — ${category}`,
          ...described,
          ...line.columns.map((value) => partOf(value, category)),
          whole,
          typeof whole === 'number' ? whole : null,
          null,
          null,
          null,
        ];
      }),
    ];
  };
  return csvDocument(header, [
    ...report.services.flatMap((s) =>
      s.lines.flatMap((line) => rows([s.serviceId, s.name, s.regionId], line)),
    ),
    ...report.total.flatMap((line) => rows(['', 'All services', ''], line)),
    ...extraRows,
  ]);
}

/** The quarterly report as CSV: per service and indicator, then all services. */
export function quarterlyReportCsv(report: QuarterlyReportDto): string {
  const csvLine = (line: QuarterlyLineDto): CsvLine => ({
    frameworkId: line.frameworkId,
    code: line.code,
    columns: (line.months ?? []).map((m) => m.value),
    span: line.quarter,
    commentary: commentaryText(line.commentary),
  });
  // The audited share, as two rows of all services, when the quarter had returns audited.
  const { dataQuality } = report;
  const dataQualityRows =
    dataQuality.audited === 0
      ? []
      : [
          ['AUDITED', 'Returns audited (data quality)', dataQuality.auditedShare],
          ['CONFIRMED', 'Audited returns confirmed (data quality)', dataQuality.confirmedShare],
        ].map(([code, name, share]) => [
          '',
          'All services',
          '',
          code,
          name,
          'percentage',
          null,
          ...report.months.map(() => null),
          share,
          share,
          null,
          null,
          null,
        ]);
  return reportCsv(
    {
      indicators: report.indicators,
      services: report.services.map((s) => ({ ...s, lines: s.lines.map(csvLine) })),
      total: report.total.map(csvLine),
    },
    report.months,
    report.quarter,
    'quarter_judged_value',
    dataQualityRows,
  );
}
