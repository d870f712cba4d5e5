import type { EntityId } from '@kpi/command-handling';
import type { Principal } from '@kpi/auth';
import { RISK_KEEPERS, RISK_READERS } from '@kpi/domain';
import { CloseRisk, ListRisks, RaiseRisk, ReadRisk, ReviseRisk } from '@kpi/features/risks';
import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Commands, Queries } from '../http/buses';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { IdInPath } from '../http/path-params';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import {
  CloseRiskBody,
  ListRisksQuery,
  RaiseRiskBody,
  ReviseRiskBody,
  RiskDetailsDto,
  RiskOutcomeDto,
  RiskRegisterDto,
} from './risks.dto';

const RiskIdInPath = () => IdInPath('riskId', 'risk-business-continuity');

/**
 * The risk register (seed 003's risk annex; docs/decisions/0039): each risk's likelihood and
 * impact (1–5) before and after controls, scored L × I and rated green 1–6, amber 8–12, red
 * 15–25 by the residual score; every change kept as a revision.
 */
@ApiTags('risks')
@ApiBearerAuth(BEARER_SCHEME)
@ApiIdempotencyKey()
@Controller('risks')
export class RisksController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
  ) {}

  @Post()
  @Roles(...RISK_KEEPERS)
  @ApiOperation({
    summary: 'Raise a risk',
    description:
      'The residual score may not be above the inherent one (400). Its review date is a deadline of its owner (GET /deadlines, kind risk-review), met by a revision made by then. 409 when a risk with that id exists.',
  })
  @ApiCreatedResponse({ type: RiskOutcomeDto })
  @ApiProblemResponses(400, 401, 403, 409)
  raise(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() body: RaiseRiskBody,
  ): Promise<RiskOutcomeDto> {
    return this.commands.execute(principal, key, RaiseRisk, {
      ...body,
      inherent: { ...body.inherent },
      residual: { ...body.residual },
    });
  }

  @Get()
  @Roles(...RISK_READERS)
  @ApiOperation({ summary: 'The risk register, highest residual score first' })
  @ApiOkResponse({ type: RiskRegisterDto })
  @ApiProblemResponses(400, 401, 403)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListRisksQuery,
  ): Promise<RiskRegisterDto> {
    return this.queries.ask(principal, ListRisks, {
      includeClosed: query.includeClosed === 'true',
    });
  }

  @Get(':riskId')
  @Roles(...RISK_READERS)
  @ApiOperation({ summary: 'A risk with every revision' })
  @ApiOkResponse({ type: RiskDetailsDto })
  @ApiProblemResponses(400, 401, 403, 404)
  read(
    @CurrentPrincipal() principal: Principal,
    @RiskIdInPath() riskId: EntityId,
  ): Promise<RiskDetailsDto> {
    return this.queries.ask(principal, ReadRisk, { riskId });
  }

  @Post(':riskId/revisions')
  @Roles(...RISK_KEEPERS)
  @ApiOperation({
    summary: 'Revise a risk',
    description:
      'The fields given change; a revision that changes nothing is 400. 409 once closed.',
  })
  @ApiCreatedResponse({ type: RiskOutcomeDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  revise(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @RiskIdInPath() riskId: EntityId,
    @Body() body: ReviseRiskBody,
  ): Promise<RiskOutcomeDto> {
    const changes = Object.fromEntries(
      Object.entries(body)
        .filter(([, value]) => value !== undefined)
        .map(([field, value]) => [field, typeof value === 'object' ? { ...value } : value]),
    );
    return this.commands.execute(principal, key, ReviseRisk, { riskId, changes });
  }

  @Post(':riskId/closure')
  @Roles(...RISK_KEEPERS)
  @ApiOperation({ summary: 'Close a risk', description: '409 when it is closed already.' })
  @ApiCreatedResponse({ type: RiskOutcomeDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  close(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @RiskIdInPath() riskId: EntityId,
    @Body() body: CloseRiskBody,
  ): Promise<RiskOutcomeDto> {
    return this.commands.execute(principal, key, CloseRisk, { riskId, closedOn: body.on });
  }
}
