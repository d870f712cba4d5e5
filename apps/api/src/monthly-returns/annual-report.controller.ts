import type { Principal } from '@kpi/auth';
import { KPI_READERS } from '@kpi/domain';
import {
  ReadAnnualReport,
  type AnnualLine,
  type AnnualReport,
} from '@kpi/features/monthly-returns';
import { Controller, Get, Inject, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Queries } from '../http/buses';
import { attachment } from '../http/csv';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { CLOCK } from '../infrastructure/injection-tokens';
import { BEARER_SCHEME } from '../openapi/openapi';
import { XLSX_CONTENT_TYPE } from './kpi-grid.controller';
import { annualReportWorkbook } from './report.xlsx';
import { AnnualReportQuery } from './annual-report.dto';
import { reportCsv, type CsvLine } from './quarterly-report.controller';

const DESCRIPTION =
  "For each service (of the region, or the one service, if given), each indicator's four financial quarters then the financial year, each rolled up from the months by the indicator's aggregation rule, as the quarterly report does: `sum` adds the months; `average` is the mean of the year's months with a value (never an average of the quarters' averages); `last` is the latest month with a value; `ratio-of-sums` adds numerators and denominators. Then `total`: all the services together. Each quarter is judged against the quarter's target, the year against the year's (`targetsByPeriod.years`, else `target`). The year carries its direction of travel against the previous financial year and the indicator's previous outturn. Each month rolls up by the framework version that judged it; a span whose months were judged under different units or aggregation rules is not rolled up (`notRolledUp` says why, the value is null). 400 naming `year` when it is not a financial year written like 2016/17; 404 when a `serviceId` or `regionId` names none of the tenant's.";

/** The annual report: quarters, then the year, per service and in all. */
@ApiTags('kpi reports')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...KPI_READERS)
@Controller()
export class AnnualReportController {
  constructor(
    private readonly queries: Queries,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  @Get('reports/annual')
  @ApiOperation({ summary: 'The annual report of a financial year', description: DESCRIPTION })
  @ApiOkResponse({
    description:
      '{ year, firstMonth, lastMonth, quarters, indicators, services: [{ serviceId, name, regionId, lines }], total: lines }; a line is { frameworkId, code, quarters: [{ quarter, value, judgedValue, judgement }], year: { value, judgedValue, judgement, monthsWithValue, monthsNotApplicable, travel } } (a figure not rolled up also has `notRolledUp`).',
    schema: { type: 'object' },
  })
  @ApiProblemResponses(400, 401, 403, 404)
  read(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AnnualReportQuery,
  ): Promise<AnnualReport> {
    return this.queries.ask(principal, ReadAnnualReport, query);
  }

  @Get('reports/annual.csv')
  @ApiOperation({
    summary: 'The annual report as CSV',
    description:
      "One row per service and indicator, then one per indicator for `All services` (service_id empty): the four quarters (columns named after them), the year (a column named after it), the number judged (a ratio as its percentage) and the judgement against the year's target. Values as the quarterly CSV gives them; a breakdown by its total followed by one row per part. UTF-8 with a byte-order mark, CRLF, RFC 4180.",
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'An attachment: annual-report-<tenant>-<year, 2016-17>.csv',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiProblemResponses(400, 401, 403, 404)
  async csv(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AnnualReportQuery,
  ): Promise<StreamableFile> {
    const report = await this.queries.ask(principal, ReadAnnualReport, query);
    return new StreamableFile(Buffer.from(annualReportCsv(report), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: attachment(
        `annual-report-${principal.tenantId}-${report.year.replace('/', '-')}.csv`,
      ),
    });
  }

  @Get('reports/annual.xlsx')
  @ApiOperation({
    summary: 'The annual report as an Excel workbook',
    description:
      'Sheet "Annual report": a row per service and indicator, then a bold row per indicator for `All services`: each financial quarter as a number (a ratio as its percentage, a breakdown by its total, yes/no as text) with its RAG as text in the next column, the value cell filled by its colour; then the year rolled up from its months, its RAG, target, outcome, direction of travel against the previous year, and a note (why not applicable, or not rolled up). A breakdown\'s parts follow it, one row each, not judged. Sheet "Notes": each indicator\'s name, unit, direction and rule, and what the colours mean.',
  })
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOkResponse({
    description: 'An attachment: annual-report-<tenant>-<year, 2016-17>.xlsx',
    content: { [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblemResponses(400, 401, 403, 404)
  async xlsx(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AnnualReportQuery,
  ): Promise<StreamableFile> {
    const report = await this.queries.ask(principal, ReadAnnualReport, query);
    return new StreamableFile(await annualReportWorkbook(report, this.clock()), {
      type: XLSX_CONTENT_TYPE,
      disposition: attachment(
        `annual-report-${principal.tenantId}-${report.year.replace('/', '-')}.xlsx`,
      ),
    });
  }
}

/** The annual report as CSV: quarters then the year, per service and indicator, then all. */
export function annualReportCsv(report: AnnualReport): string {
  const csvLine = (line: AnnualLine): CsvLine => ({
    frameworkId: line.frameworkId,
    code: line.code,
    columns: line.quarters.map((q) => q.value),
    span: line.year,
  });
  return reportCsv(
    {
      indicators: report.indicators,
      services: report.services.map((s) => ({ ...s, lines: s.lines.map(csvLine) })),
      total: report.total.map(csvLine),
    },
    report.quarters,
    report.year,
    'year_judged_value',
  );
}
