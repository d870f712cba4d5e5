import type { Principal } from '@kpi/auth';
import { KPI_READERS } from '@kpi/domain';
import { ReadQuarterlyReport } from '@kpi/features/monthly-returns';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Queries } from '../http/buses';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { QuarterlyReportDto, QuarterlyReportQuery } from './quarterly-report.dto';

const DESCRIPTION =
  "For each service (of the region, or the one service, if given), each indicator's three months then the quarter, rolled up by the indicator's aggregation rule: `sum` adds the months; `average` is the mean of the months with a value; `last` is the latest month with a value; `ratio-of-sums` adds numerators and denominators. Then `total`: all the services together (sums and ratios added, the average over every service-month with a value, `last` added across services for counts, hours and days and averaged for other units). A month not applicable or without a return adds nothing. Each quarter is judged against the indicator's target (or expected range) where it has one, by the latest framework version that judged a month of the quarter. 404 when a `serviceId` or `regionId` names none of the tenant's.";

/** The quarterly report of seed `001_…`: months, then quarter totals, per service and in all. */
@ApiTags('kpi reports')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...KPI_READERS)
@Controller()
export class QuarterlyReportController {
  constructor(private readonly queries: Queries) {}

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
    return this.queries.ask(principal, ReadQuarterlyReport, query);
  }
}
