import type { Principal } from '@kpi/auth';
import { COMMENTARY_WRITERS, KPI_READERS } from '@kpi/domain';
import { ReadCommentaryHistory, WriteIndicatorCommentary } from '@kpi/features/monthly-returns';
import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ErasedTextDto } from '../complaints/complaint-details.dto';
import { Commands, Queries } from '../http/buses';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import {
  CommentaryHistoryDto,
  CommentaryQuery,
  WriteCommentaryBody,
  WrittenCommentaryDto,
} from './commentary.dto';

/** Commentary on an indicator's period (docs/decisions/0038), shown beside the figure in reports. */
@ApiTags('kpi reports')
@ApiBearerAuth(BEARER_SCHEME)
@ApiExtraModels(ErasedTextDto)
@Controller('commentary')
export class CommentaryController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
  ) {}

  @Post()
  @Roles(...COMMENTARY_WRITERS)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: "Write or revise the commentary on an indicator's period",
    description:
      "What happened and what is being done, for a service (or the organisation as a whole) and a month or quarter. Writing again revises it: a new version, the earlier ones kept (GET /commentary). The quarterly report (API, page, CSV, Excel) shows the latest beside the figure. Both texts are kept in the personal-data vault under a data subject of their own (one per version). 404 when the service is not the tenant's.",
  })
  @ApiCreatedResponse({ type: WrittenCommentaryDto })
  @ApiProblemResponses(400, 401, 403, 404)
  write(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() body: WriteCommentaryBody,
  ): Promise<WrittenCommentaryDto> {
    const { serviceId, indicatorCode, period, whatHappened, whatIsBeingDone } = body;
    return this.commands.execute(principal, key, WriteIndicatorCommentary, {
      serviceId: serviceId ?? null,
      indicatorCode,
      period,
      whatHappened,
      whatIsBeingDone,
    });
  }

  @Get()
  @Roles(...KPI_READERS)
  @ApiOperation({
    summary: "Every version of the commentary on an indicator's period",
    description: 'Oldest first; empty when there is none.',
  })
  @ApiOkResponse({ type: CommentaryHistoryDto })
  @ApiProblemResponses(400, 401, 403)
  read(
    @CurrentPrincipal() principal: Principal,
    @Query() { serviceId, indicatorCode, period }: CommentaryQuery,
  ): Promise<CommentaryHistoryDto> {
    return this.queries.ask(principal, ReadCommentaryHistory, {
      serviceId: serviceId ?? null,
      indicatorCode,
      period,
    });
  }
}
