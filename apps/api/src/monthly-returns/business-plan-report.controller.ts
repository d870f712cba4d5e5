import type { Principal } from '@kpi/auth';
import { KPI_READERS } from '@kpi/domain';
import { ReadBusinessPlanReport, type BusinessPlanReport } from '@kpi/features/monthly-returns';
import { Controller, Get, Inject, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Queries } from '../http/buses';
import { attachment } from '../http/csv';
import { CLOCK } from '../infrastructure/injection-tokens';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { businessPlanCsv } from './business-plan-report.csv';
import { BUSINESS_PLAN_REPORT_EXAMPLE, BusinessPlanReportQuery } from './business-plan-report.dto';
import { businessPlanWorkbook } from './business-plan-report.xlsx';
import { XLSX_CONTENT_TYPE } from './kpi-grid.controller';

const DESCRIPTION =
  "The business plan of a year (seed 003 Section F): every indicator of the services' frameworks, as the version in force at the end of the financial year defines it, with its floor standard, previous outturn (and its period) and comparative benchmark (and its source); then per period — the four financial quarters, the three academic terms for termly indicators (and others on the academic year), or the year for annual ones — the target in force (or expected range), the actual rolled up from the months of the services asked for by the indicator's aggregation rule, its judgement and RAG, and its direction of travel against the previous period and against the previous outturn. Activity indicators are flagged outside their range, never missed; data-only ones are never judged. 400 naming `year` when it is not written like 2025/26; 404 when a `serviceId` or `regionId` names none of the tenant's.";

const CSV_EXAMPLE = [
  'framework_id,indicator,name,group,kind,unit,direction,periodicity,year_basis,floor,previous_outturn,previous_outturn_period,comparative_benchmark,comparative_benchmark_source,period,first_month,last_month,target,expected_lower,expected_upper,actual,outcome,rag,previous_period,previous_value,travel_vs_previous,travel_vs_outturn',
  'business-plan,PQ_REVIEWS,Reviews completed within timescale (%),Performance indicators – quarterly by financial year,target,ratio,higher-is-better,quarterly,financial,70,76,2024/25,78,England average 2024/25,2025-26 Q1,2025-04,2025-06,80,,,81,met,green,2024-25 Q4,77,better,better',
].join('\r\n');

/** The business-plan report as JSON, CSV and an Excel workbook. */
@ApiTags('kpi reports')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...KPI_READERS)
@Controller()
export class BusinessPlanReportController {
  constructor(
    private readonly queries: Queries,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  @Get('reports/business-plan')
  @ApiOperation({ summary: 'The business-plan report of a year', description: DESCRIPTION })
  @ApiOkResponse({
    description:
      "{ year, financialYear, academicYear, services, indicators: [{ code, name, floor, previousOutturn, comparativeBenchmark, …, periods: [{ period, target, expectedRange, value, judgedValue, judgement, rag, travel, commentary? }] }] } — commentary on a quarter where there is one (the service's for one service, the organisation's for all; decision 0038); the CSV and workbook then add a commentary column.",
    schema: { type: 'object', example: BUSINESS_PLAN_REPORT_EXAMPLE },
  })
  @ApiProblemResponses(400, 401, 403, 404)
  read(
    @CurrentPrincipal() principal: Principal,
    @Query() query: BusinessPlanReportQuery,
  ): Promise<BusinessPlanReport> {
    return this.queries.ask(principal, ReadBusinessPlanReport, query);
  }

  @Get('reports/business-plan.csv')
  @ApiOperation({
    summary: 'The business-plan report as CSV',
    description:
      'One row per indicator and period (quarter, term or year): the indicator, its floor, outturn and benchmark, then the period, its target or expected range, the actual (the number judged: a ratio as its percentage), outcome, RAG as text and direction of travel. Numbers as numbers. UTF-8 with a byte-order mark, CRLF, RFC 4180.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'An attachment: business-plan-<tenant>-<year, 2025-26>.csv',
    content: { 'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE } },
  })
  @ApiProblemResponses(400, 401, 403, 404)
  async csv(
    @CurrentPrincipal() principal: Principal,
    @Query() query: BusinessPlanReportQuery,
  ): Promise<StreamableFile> {
    const report = await this.queries.ask(principal, ReadBusinessPlanReport, query);
    return new StreamableFile(Buffer.from(businessPlanCsv(report), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: attachment(fileName(principal.tenantId, report.year, 'csv')),
    });
  }

  @Get('reports/business-plan.xlsx')
  @ApiOperation({
    summary: 'The business-plan report as an Excel workbook',
    description:
      'Sheet "Business plan": the CSV\'s rows with readable headers, numbers as numbers, RAG as text, the actual and RAG cells filled by the colour. Sheet "Notes": the services, the years, and what targets, actuals, colours and travel mean.',
  })
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOkResponse({
    description: 'An attachment: business-plan-<tenant>-<year, 2025-26>.xlsx',
    content: { [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblemResponses(400, 401, 403, 404)
  async xlsx(
    @CurrentPrincipal() principal: Principal,
    @Query() query: BusinessPlanReportQuery,
  ): Promise<StreamableFile> {
    const report = await this.queries.ask(principal, ReadBusinessPlanReport, query);
    const workbook = await businessPlanWorkbook(report, {
      tenantId: principal.tenantId,
      exportedAt: this.clock(),
    });
    return new StreamableFile(workbook, {
      type: XLSX_CONTENT_TYPE,
      disposition: attachment(fileName(principal.tenantId, report.year, 'xlsx')),
    });
  }
}

const fileName = (tenantId: string, year: string, extension: string) =>
  `business-plan-${tenantId.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}-${year.replace('/', '-')}.${extension}`;
