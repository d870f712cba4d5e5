import { amendMonthlyReturn, submitMonthlyReturn } from '@kpi/features/monthly-returns';
import { type CommandOutcome, type DomainEvent } from '@kpi/command-handling';
import type { Principal } from '@kpi/auth';
import { returnDueDate, RETURN_SUBMITTERS, type MonthlyReturnEvent } from '@kpi/domain';
import { Body, Controller, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { CommandContexts } from '../http/command-contexts';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import {
  AmendMonthlyReturnBody,
  JudgedReturnDto,
  JudgementDto,
  SubmitMonthlyReturnBody,
} from './monthly-returns.dto';

/** The monthly KPI return of a service: submitted by the 20th of the next month, amended with a reason. */
@ApiTags('monthly returns')
@ApiBearerAuth(BEARER_SCHEME)
@ApiIdempotencyKey()
@ApiExtraModels(JudgementDto)
@Roles(...RETURN_SUBMITTERS)
@Controller('services/:serviceId/returns')
export class MonthlyReturnsController {
  constructor(private readonly contexts: CommandContexts) {}

  @Post()
  @ApiOperation({
    summary: "Submit a service's monthly KPI return",
    description:
      'Each indicator is judged met / missed / not applicable (RAG) against the framework version in force for the month. After the 20th of the next month the return is accepted and marked late. A second return for the same month is refused (409) naming the existing one: amend it instead.',
  })
  @ApiCreatedResponse({ type: JudgedReturnDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async submit(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Param('serviceId') serviceId: string,
    @Body() body: SubmitMonthlyReturnBody,
  ): Promise<JudgedReturnDto> {
    return judgedReturn(
      await this.contexts.run(principal, key, submitMonthlyReturn, { serviceId, ...body }),
    );
  }

  @Post(':period/amendments')
  @ApiOperation({
    summary: 'Amend a submitted return',
    description:
      'New values for some indicators with the reason; the whole return is judged again by the version it was judged by. The original and every amendment stay visible.',
  })
  @ApiCreatedResponse({ type: JudgedReturnDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async amend(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Param('serviceId') serviceId: string,
    @Param('period') period: string,
    @Body() body: AmendMonthlyReturnBody,
  ): Promise<JudgedReturnDto> {
    return judgedReturn(
      await this.contexts.run(principal, key, amendMonthlyReturn, { serviceId, period, ...body }),
    );
  }
}

function judgedReturn(outcome: CommandOutcome<DomainEvent>): JudgedReturnDto {
  const event = outcome.events[outcome.events.length - 1] as MonthlyReturnEvent;
  const { data } = event;
  return {
    streamId: outcome.streamId,
    serviceId: data.serviceId,
    period: data.period,
    frameworkId: data.frameworkId,
    frameworkVersion: data.frameworkVersion,
    dueDate: returnDueDate(data.period),
    late: event.type === 'MonthlyReturnSubmitted' ? event.data.late : null,
    results: data.results,
    bonus: data.bonus,
    amendments: event.type === 'MonthlyReturnAmended' ? event.data.amendmentNumber : 0,
    replayed: outcome.replayed,
  };
}
