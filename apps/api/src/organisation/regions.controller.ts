import type { Principal } from '@kpi/auth';
import { KPI_READERS } from '@kpi/domain';
import { ListRegions } from '@kpi/features/organisation';
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Queries } from '../http/buses';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { RegionDto } from './regions.dto';

/** The organisation's regions, for anyone who reads its KPIs (a region filter offers them). */
@ApiTags('organisation')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...KPI_READERS)
@Controller('regions')
export class RegionsController {
  constructor(private readonly queries: Queries) {}

  @Get()
  @ApiOperation({
    summary: "The organisation's regions, by name",
    description:
      "Each region of the caller's tenant with its regional manager, as the read model has them: the ids the KPI grid's, bonus compliance's and the capability dashboard's `regionId` take. An organisation without regions yet answers an empty list.",
  })
  @ApiOkResponse({ type: RegionDto, isArray: true })
  @ApiProblemResponses(401, 403)
  list(@CurrentPrincipal() principal: Principal): Promise<RegionDto[]> {
    return this.queries.ask(principal, ListRegions, {});
  }
}
