import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import { DATA_QUALITY_AUDITORS, KPI_READERS } from '@kpi/domain';
import {
  DrawAuditSample,
  ReadDataQualityAudit,
  RecordAuditFinding,
} from '@kpi/features/monthly-returns';
import { Body, Controller, Get, Post } from '@nestjs/common';
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
import { IdInPath } from '../http/path-params';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import {
  DataQualityAuditDto,
  DrawAuditSampleBody,
  DrawnSampleDto,
  RecordAuditFindingBody,
  RecordedFindingDto,
} from './data-quality-audits.dto';

/** Data-quality audits (docs/decisions/0037): samples of a month's returns checked against evidence. */
@ApiTags('data-quality audits')
@ApiBearerAuth(BEARER_SCHEME)
@ApiExtraModels(ErasedTextDto)
@Controller('data-quality-audits')
export class DataQualityAuditsController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
  ) {}

  @Post()
  @Roles(...DATA_QUALITY_AUDITORS)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: "Draw an audit's sample of a month's returns",
    description:
      'From the services with a return for the month: `random` (a size, and a seed or one made from the request; the seed and the population are kept, so the same draw can be made again) or `chosen` (the services). 400 naming the field when neither or both are given, the size is more than the returns there are, or a chosen service has no return; 409 when the audit id has drawn already.',
  })
  @ApiCreatedResponse({ type: DrawnSampleDto })
  @ApiProblemResponses(400, 401, 403, 409)
  draw(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() body: DrawAuditSampleBody,
  ): Promise<DrawnSampleDto> {
    const { auditId, period, random, chosen } = body;
    return this.commands.execute(principal, key, DrawAuditSample, {
      auditId,
      period,
      random: random && { size: random.size, seed: random.seed },
      chosen,
    });
  }

  @Post(':auditId/findings')
  @Roles(...DATA_QUALITY_AUDITORS)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Record what checking a sampled return found',
    description:
      "`confirmed`; `corrected`, citing the amendment that corrected it (`amendmentEventId`, from the return's history); or `queried`, with the `query`. A queried return may be found again (confirmed or corrected) once answered, under the same `findingId`; a confirmed or corrected one may not (409). What was checked and the query are kept in the personal-data vault. 400 when the service is not in the sample; 404 when there is no such audit.",
  })
  @ApiCreatedResponse({ type: RecordedFindingDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  find(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('auditId', 'audit-2026-09') auditId: EntityId,
    @Body() body: RecordAuditFindingBody,
  ): Promise<RecordedFindingDto> {
    const { serviceId, finding, amendmentEventId, checked, query } = body;
    return this.commands.execute(principal, key, RecordAuditFinding, {
      auditId,
      serviceId,
      finding,
      amendmentEventId,
      checked,
      query,
    });
  }

  @Get(':auditId')
  @Roles(...KPI_READERS)
  @ApiOperation({
    summary: 'An audit with its sample and findings',
    description:
      "Read from the audit's own stream: the population and seed it was drawn with, and each sampled return with its latest finding, what was checked and the query (the text, or `{ erasedOn }`).",
  })
  @ApiOkResponse({ type: DataQualityAuditDto })
  @ApiProblemResponses(400, 401, 403, 404)
  read(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('auditId', 'audit-2026-09') auditId: EntityId,
  ): Promise<DataQualityAuditDto> {
    return this.queries.ask(principal, ReadDataQualityAudit, { auditId });
  }
}
