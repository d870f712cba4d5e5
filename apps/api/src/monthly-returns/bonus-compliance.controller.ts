import type { Principal } from '@kpi/auth';
import { KPI_READERS } from '@kpi/domain';
import { ReadBonusCompliance } from '@kpi/features/monthly-returns';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { Queries } from '../http/buses';
import { BonusComplianceDto } from './bonus-compliance.dto';
import { BonusComplianceQuery } from './period-range.query';

@ApiTags('kpi reports')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...KPI_READERS)
@Controller('bonus-compliance')
export class BonusComplianceController {
  constructor(private readonly queries: Queries) {}

  @Get()
  @ApiOperation({
    summary: 'Bonus compliance per service and month',
    description:
      "A service's month is bonus-compliant when at least `required` of its `of` KPIs are met (the framework's bonus rule; 8 of 9 for children's homes), as judged by the framework version in force for the month and the latest amendment. Every service is listed, with the months of the span that have a return. 404 when `regionId` names none of the tenant's regions.",
  })
  @ApiOkResponse({ type: BonusComplianceDto })
  @ApiProblemResponses(400, 401, 403, 404)
  read(
    @CurrentPrincipal() principal: Principal,
    @Query() query: BonusComplianceQuery,
  ): Promise<BonusComplianceDto> {
    return this.queries.ask(principal, ReadBonusCompliance, query);
  }
}
