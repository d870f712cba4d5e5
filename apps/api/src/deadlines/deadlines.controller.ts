import type { Principal } from '@kpi/auth';
import { DEADLINE_READERS } from '@kpi/domain';
import { ReadDeadlines } from '@kpi/features/deadlines';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { Queries } from '../http/buses';
import { DeadlinesDto, DeadlinesQuery } from './deadlines.dto';

/** What is due and what is overdue: returns, complaints, supervisions and staff checks. */
@ApiTags('deadlines')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...DEADLINE_READERS)
@Controller('deadlines')
export class DeadlinesController {
  constructor(private readonly queries: Queries) {}

  @Get()
  @ApiOperation({
    summary: 'Upcoming and overdue deadlines, per service or per region',
    description:
      "Every deadline the system watches: a monthly return (due the 20th of the next month; the regional manager is reminded 5 and 1 working days before), a complaint's acknowledgement (next working day) and response (15 working days), each staff member's quarterly one-to-one, annual appraisal, Care Certificate (12 weeks), safeguarding training (3 months, then yearly) and DBS renewal (3 years). `view=upcoming` (default) lists what is still to do, soonest first; `view=overdue` what is past its date and still not done; `view=all` everything. Filter by `serviceId` or `regionId` (404 when either names none of the tenant's). At most 1,000 rows.",
  })
  @ApiOkResponse({ type: DeadlinesDto })
  @ApiProblemResponses(400, 401, 403, 404)
  deadlines(
    @CurrentPrincipal() principal: Principal,
    @Query() { serviceId, regionId, view = 'upcoming' }: DeadlinesQuery,
  ): Promise<DeadlinesDto> {
    return this.queries.ask(principal, ReadDeadlines, { serviceId, regionId, view });
  }
}
