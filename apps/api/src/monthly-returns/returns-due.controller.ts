import type { Principal } from '@kpi/auth';
import { KPI_READERS, londonDateOf } from '@kpi/domain';
import { ReadReturnsDue } from '@kpi/features/monthly-returns';
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { Queries } from '../http/buses';
import { CLOCK } from '../infrastructure/injection-tokens';
import { ReturnsDueDto } from './returns-due.dto';
import { ReturnsDueQuery } from './returns-due.query';

@ApiTags('kpi reports')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...KPI_READERS)
@Controller('returns-due')
export class ReturnsDueController {
  constructor(
    private readonly queries: Queries,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Returns not yet submitted, per regional manager',
    description:
      'For every service, each month from the one it opened in to the last month ended by `asOf` that has no return, with its due date (the 20th of the following month) and whether it is overdue. A return submitted late is submitted, so it is not listed. Every role of the tenant sees every regional manager: a regional manager lists "my returns" with `regionalManagerId` (404 when it leads none of the tenant\'s regions).',
  })
  @ApiOkResponse({ type: ReturnsDueDto })
  @ApiProblemResponses(400, 401, 403, 404)
  read(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ReturnsDueQuery,
  ): Promise<ReturnsDueDto> {
    return this.queries.ask(principal, ReadReturnsDue, {
      asOf: query.asOf ?? londonDateOf(this.clock()),
      regionalManagerId: query.regionalManagerId,
    });
  }
}
