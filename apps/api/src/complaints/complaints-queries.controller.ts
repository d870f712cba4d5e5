import type { EntityId } from '@kpi/command-handling';
import type { Principal } from '@kpi/auth';
import { COMPLAINT_REPORT_READERS, londonDateOf, parseFinancialQuarter } from '@kpi/domain';
import {
  ReadComplaintKpi,
  ReadComplaintsReport,
  type QuarterParams,
} from '@kpi/features/complaints';
import { Controller, Get, Inject, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { Queries, type Clock } from '../http/buses';
import { attachment } from '../http/csv';
import { IdInPath } from '../http/path-params';
import { CLOCK } from '../infrastructure/injection-tokens';
import { complaintsReportCsv } from './complaints-report.csv';
import { ComplaintKpiDto, ComplaintsReportDto, QuarterQuery } from './complaints-queries.dto';

const CSV_EXAMPLE =
  '\uFEFFreference,service_id,received_on,category,acknowledgement_due_on,acknowledged_on,response_due_on,responded_on,answered_in_time,finding\r\n' +
  'c-7f3a,home-01,2026-04-02,communication,2026-04-07,2026-04-03,2026-04-27,2026-04-24,true,partly-upheld\r\n';

/** The complaint KPI per service, and the anonymised complaints report for the council. */
@ApiTags('complaints')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...COMPLAINT_REPORT_READERS)
@Controller()
export class ComplaintsQueriesController {
  constructor(
    private readonly queries: Queries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The quarter asked for (validated by {@link QuarterQuery}: parsing cannot fail), judged today. */
  private quarterOf({ quarter }: QuarterQuery): QuarterParams {
    return { quarter: parseFinancialQuarter(quarter), today: londonDateOf(this.clock()) };
  }

  @Get('services/:serviceId/complaints/kpi')
  @ApiOperation({
    summary: 'The complaint KPI of a service for a quarter',
    description:
      'The share of complaints answered within 15 working days (target 100 %), per month and for the quarter. A complaint counts in the month its response falls due; one not yet due and not answered is `pending`, not counted. The quarter adds the months up (numerators and denominators). Usable as the KPI value of a return. 404 when the service is not the organisation’s.',
  })
  @ApiOkResponse({ type: ComplaintKpiDto })
  @ApiProblemResponses(400, 401, 403, 404)
  kpi(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('serviceId', 'home-01') serviceId: EntityId,
    @Query() query: QuarterQuery,
  ): Promise<ComplaintKpiDto> {
    return this.queries.ask(principal, ReadComplaintKpi, { serviceId, ...this.quarterOf(query) });
  }

  @Get('complaints/report')
  @ApiOperation({
    summary: 'The anonymised complaints report of a quarter (for the commissioning council)',
    description:
      'Per service: complaints and compliments received and the KPI; then every complaint received in the quarter with its category, dates, whether it was answered in time and the finding — never its summary, the response, or anything of the complainant (personal details removed).',
  })
  @ApiOkResponse({ type: ComplaintsReportDto })
  @ApiProblemResponses(400, 401, 403)
  report(
    @CurrentPrincipal() principal: Principal,
    @Query() query: QuarterQuery,
  ): Promise<ComplaintsReportDto> {
    return this.queries.ask(principal, ReadComplaintsReport, this.quarterOf(query));
  }

  @Get('complaints/report.csv')
  @ApiOperation({
    summary: 'The anonymised complaints report as CSV',
    description:
      "One row per complaint received in the quarter (UTF-8 with a byte-order mark, CRLF, RFC 4180); text a spreadsheet would run as a formula is prefixed with `'`.",
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'An attachment: complaints-<tenant>-<quarter>.csv',
    content: { 'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE } },
  })
  @ApiProblemResponses(400, 401, 403)
  async reportCsv(
    @CurrentPrincipal() principal: Principal,
    @Query() query: QuarterQuery,
  ): Promise<StreamableFile> {
    const report = await this.queries.ask(principal, ReadComplaintsReport, this.quarterOf(query));
    const quarter = query.quarter.replace(' ', '-');
    return new StreamableFile(Buffer.from(complaintsReportCsv(report), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: attachment(`complaints-${principal.tenantId}-${quarter}.csv`),
    });
  }
}
