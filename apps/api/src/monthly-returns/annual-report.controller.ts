import type { Principal } from '@kpi/auth';
import { KPI_READERS } from '@kpi/domain';
import { ReadAnnualReport, type AnnualReport } from '@kpi/features/monthly-returns';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Queries } from '../http/buses';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { AnnualReportQuery } from './annual-report.dto';

const DESCRIPTION =
  "For each service (of the region, or the one service, if given), each indicator's four financial quarters then the financial year, each rolled up from the months by the indicator's aggregation rule, as the quarterly report does: `sum` adds the months; `average` is the mean of the year's months with a value (never an average of the quarters' averages); `last` is the latest month with a value; `ratio-of-sums` adds numerators and denominators. Then `total`: all the services together. Each quarter is judged against the quarter's target, the year against the year's (`targetsByPeriod.years`, else `target`). The year carries its direction of travel against the previous financial year and the indicator's previous outturn. 400 naming `year` when it is not a financial year written like 2016/17; 404 when a `serviceId` or `regionId` names none of the tenant's.";

/** The annual report: quarters, then the year, per service and in all. */
@ApiTags('kpi reports')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...KPI_READERS)
@Controller()
export class AnnualReportController {
  constructor(private readonly queries: Queries) {}

  @Get('reports/annual')
  @ApiOperation({ summary: 'The annual report of a financial year', description: DESCRIPTION })
  @ApiOkResponse({
    description:
      '{ year, firstMonth, lastMonth, quarters, indicators, services: [{ serviceId, name, regionId, lines }], total: lines }; a line is { frameworkId, code, quarters: [{ quarter, value, judgedValue, judgement }], year: { value, judgedValue, judgement, monthsWithValue, monthsNotApplicable, travel } }.',
    schema: { type: 'object' },
  })
  @ApiProblemResponses(400, 401, 403, 404)
  read(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AnnualReportQuery,
  ): Promise<AnnualReport> {
    return this.queries.ask(principal, ReadAnnualReport, query);
  }
}
