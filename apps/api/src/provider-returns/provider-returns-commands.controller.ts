import {
  AmendProviderCapacityReturn,
  AmendProviderQuarterlyReturn,
  SubmitProviderCapacityReturn,
  SubmitProviderQuarterlyReturn,
} from '@kpi/features/provider-returns';
import type { EntityId } from '@kpi/command-handling';
import type { Principal } from '@kpi/auth';
import { PROVIDER_RETURN_SUBMITTERS, type Period } from '@kpi/domain';
import { Body, Controller, ForbiddenException, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Commands } from '../http/buses';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { IdInPath, MonthInPath } from '../http/path-params';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import {
  AmendCapacityReturnBody,
  AmendQuarterlyReturnBody,
  CapacityReturnAcceptedDto,
  QuarterlyReturnAcceptedDto,
  SubmitCapacityReturnBody,
  SubmitQuarterlyReturnBody,
} from './provider-returns.dto';
import { QuarterInPath } from './quarter-in-path';

const WHO =
  'With the token of a provider on the council’s framework (provider-admin or regional-manager); the return is stored with the council, naming the provider. The council itself is refused (403: the return is the provider’s to make); another council, or a provider not on the framework, gets 404.';

/**
 * A provider's returns to the council that commissions it (docs/rules/provider-returns.md;
 * docs/provider-returns.md): the monthly capacity return and the quarterly return, each
 * submitted once and then amended with a reason.
 */
@ApiTags('provider returns')
@ApiBearerAuth(BEARER_SCHEME)
@ApiIdempotencyKey()
@Roles(...PROVIDER_RETURN_SUBMITTERS)
@Controller('councils/:councilId/care-frameworks/:frameworkId')
export class ProviderReturnsCommandsController {
  constructor(private readonly commands: Commands) {}

  @Post('capacity-returns')
  @ApiOperation({
    summary: "Send the council the provider's monthly capacity return",
    description: `Care workers employed, current packages, current total hours a week, and the hours it estimates it can take on next month, for this month or an earlier one of the contract (London time). The average hours per care worker is worked out (totalHours ÷ careWorkers, one decimal; null with no care workers): sending it is refused (400 naming averageHoursPerCareWorker). One return per provider per month: a second is 409 naming the first — amend it instead. ${WHO}`,
  })
  @ApiCreatedResponse({ type: CapacityReturnAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async submitCapacity(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('councilId', 'southwark') councilId: EntityId,
    @IdInPath('frameworkId', 'care-at-home-2026') frameworkId: EntityId,
    @Body() body: SubmitCapacityReturnBody,
  ): Promise<CapacityReturnAcceptedDto> {
    refuseTheCouncil(principal, councilId);
    return this.commands.execute(principal, key, SubmitProviderCapacityReturn, {
      ...body,
      councilId,
      frameworkId,
    });
  }

  @Post('capacity-returns/:period/amendments')
  @ApiOperation({
    summary: 'Amend a capacity return',
    description: `Every figure again (not only those that change) with the reason (required); the average is worked out again. The original and each amendment stay in the log. 404 when there is no return for the month; 409 when the figures are those the return already holds. ${WHO}`,
  })
  @ApiCreatedResponse({ type: CapacityReturnAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async amendCapacity(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('councilId', 'southwark') councilId: EntityId,
    @IdInPath('frameworkId', 'care-at-home-2026') frameworkId: EntityId,
    @MonthInPath('period', '2026-05') period: Period,
    @Body() body: AmendCapacityReturnBody,
  ): Promise<CapacityReturnAcceptedDto> {
    refuseTheCouncil(principal, councilId);
    return this.commands.execute(principal, key, AmendProviderCapacityReturn, {
      ...body,
      councilId,
      frameworkId,
      period,
    });
  }

  @Post('quarterly-returns')
  @ApiOperation({
    summary: "Send the council the provider's quarterly return",
    description: `The numerator and denominator of each quarterly-return KPI (complaints answered in time, staff turnover, supervision, appraisal, Care Certificate, diplomas): every one, no other. A quarter may be returned from the first day of its last month (London) onwards — 2026-27 Q1 from 1 June 2026 — never earlier, and not for a quarter that ended before the contract started. One return per provider per quarter: a second is 409 — amend it instead. 400 names each wrong field, e.g. figures.staff-turnover.denominator. ${WHO}`,
  })
  @ApiCreatedResponse({ type: QuarterlyReturnAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async submitQuarterly(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('councilId', 'southwark') councilId: EntityId,
    @IdInPath('frameworkId', 'care-at-home-2026') frameworkId: EntityId,
    @Body() { quarter, figures }: SubmitQuarterlyReturnBody,
  ): Promise<QuarterlyReturnAcceptedDto> {
    refuseTheCouncil(principal, councilId);
    return this.commands.execute(principal, key, SubmitProviderQuarterlyReturn, {
      councilId,
      frameworkId,
      quarter,
      figures,
    });
  }

  @Post('quarterly-returns/:quarterKey/amendments')
  @ApiOperation({
    summary: 'Amend a quarterly return',
    description: `The quarter in the path as in the return's stream id (2026-27 Q1 is 2026-27-q1). The figures of every KPI again with the reason (required). 404 when there is no return for the quarter; 409 when the figures are those the return already holds. ${WHO}`,
  })
  @ApiCreatedResponse({ type: QuarterlyReturnAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async amendQuarterly(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('councilId', 'southwark') councilId: EntityId,
    @IdInPath('frameworkId', 'care-at-home-2026') frameworkId: EntityId,
    @QuarterInPath() quarter: string,
    @Body() { figures, reason }: AmendQuarterlyReturnBody,
  ): Promise<QuarterlyReturnAcceptedDto> {
    refuseTheCouncil(principal, councilId);
    return this.commands.execute(principal, key, AmendProviderQuarterlyReturn, {
      councilId,
      frameworkId,
      quarter,
      figures,
      reason,
    });
  }
}

/**
 * The council reads its providers' returns but never makes one, so it is refused (403) before
 * anything is read (the use case refuses it too, with a 409, for callers other than the API):
 * the return is the provider's word.
 */
function refuseTheCouncil(principal: Principal, councilId: string): void {
  if (principal.tenantId === councilId)
    throw new ForbiddenException(
      `A return to ${councilId} is made by a provider on its framework, with the provider's own token; the council reads it`,
    );
}
