import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import { RETURN_HISTORY_READERS, type Period } from '@kpi/domain';
import { ReadReturnHistory } from '@kpi/features/monthly-returns';
import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { Queries } from '../http/buses';
import { IdInPath, MonthInPath } from '../http/path-params';
import { ErasedTextDto } from '../complaints/complaint-details.dto';
import { ReturnWithHistoryDto } from './return-history.dto';

@ApiTags('monthly returns')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...RETURN_HISTORY_READERS)
@ApiExtraModels(ErasedTextDto)
@Controller('services/:serviceId/returns')
export class ReturnHistoryController {
  constructor(private readonly queries: Queries) {}

  @Get(':period')
  @ApiOperation({
    summary: 'A monthly return with its history',
    description:
      "The return as it stands (values, each indicator's judgement, bonus) and every event of its stream — the submission and each amendment — with event id, global position, when it was recorded, who, why and what changed. Read from the event stream itself. An amendment's reason is kept in the personal-data vault under a data subject of its own (`dataSubjectId`, for the data-protection officer, who may read this too): the text, or `{ erasedOn }` once erased. 404 when the service has no return for the month, or is another tenant's.",
  })
  @ApiOkResponse({ type: ReturnWithHistoryDto })
  @ApiProblemResponses(400, 401, 403, 404)
  read(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
  ): Promise<ReturnWithHistoryDto> {
    return this.queries.ask(principal, ReadReturnHistory, { serviceId, period });
  }
}
