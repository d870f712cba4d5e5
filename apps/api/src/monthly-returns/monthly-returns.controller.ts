import {
  AmendMonthlyReturn,
  SubmitMonthlyReturn,
  type JudgedReturn,
} from '@kpi/features/monthly-returns';
import type { EntityId } from '@kpi/command-handling';
import type { Principal } from '@kpi/auth';
import { RETURN_SUBMITTERS, type Period } from '@kpi/domain';
import { Body, Controller, Post } from '@nestjs/common';
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
import { Commands } from '../http/buses';
import { IdInPath, MonthInPath } from '../http/path-params';
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
  constructor(private readonly commands: Commands) {}

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
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @Body() { period, values }: SubmitMonthlyReturnBody,
  ): Promise<JudgedReturnDto> {
    return answer(
      await this.commands.execute(principal, key, SubmitMonthlyReturn, {
        serviceId,
        period,
        values,
      }),
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
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
    @Body() { values, reason }: AmendMonthlyReturnBody,
  ): Promise<JudgedReturnDto> {
    return answer(
      await this.commands.execute(principal, key, AmendMonthlyReturn, {
        serviceId,
        period,
        values,
        reason,
      }),
    );
  }
}

/** The judged return as the caller reads it (where the event went in the log is ours). */
function answer({ appended: _appended, ...judged }: JudgedReturn): JudgedReturnDto {
  return judged;
}
