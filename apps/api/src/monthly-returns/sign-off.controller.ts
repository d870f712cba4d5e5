import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import {
  KPI_READERS,
  RETURN_PUBLISHERS,
  RETURN_VERIFIERS,
  SIGN_OFF_ADMINS,
  type Period,
} from '@kpi/domain';
import {
  PublishMonthlyReturn,
  ReadReturnsToVerify,
  ReadSignOffSetting,
  SendBackMonthlyReturn,
  SetSignOff,
  VerifyMonthlyReturn,
} from '@kpi/features/monthly-returns';
import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Commands, Queries } from '../http/buses';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { IdInPath, MonthInPath } from '../http/path-params';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import {
  ReturnsToVerifyDto,
  ReturnsToVerifyQuery,
  SendBackReturnBody,
  SetSignOffAnswerDto,
  SetSignOffBody,
  SignOffSettingDto,
  SignOffStepAnswerDto,
} from './sign-off.dto';

const STEP_RULES =
  "Sign-off (docs/decisions/0037): a return given while the organisation has sign-off on goes submitted → verified → published; only published figures reach the KPI grid, the reports, councils and the bonus. 409 when the return is not at the stage the step needs (the answer says where it is), or was published as given (sign-off off); 404 when the service has no return for the month (or is another tenant's).";

/** Sign-off of monthly returns: the organisation's setting, and each return's steps. */
@ApiTags('monthly returns')
@ApiBearerAuth(BEARER_SCHEME)
@Controller()
export class SignOffController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
  ) {}

  @Get('sign-off')
  @Roles(...KPI_READERS, ...SIGN_OFF_ADMINS)
  @ApiOperation({ summary: 'Whether the organisation signs its monthly returns off' })
  @ApiOkResponse({ type: SignOffSettingDto })
  @ApiProblemResponses(401, 403)
  read(@CurrentPrincipal() principal: Principal): Promise<SignOffSettingDto> {
    return this.queries.ask(principal, ReadSignOffSetting, {});
  }

  @Put('sign-off')
  @Roles(...SIGN_OFF_ADMINS)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Turn sign-off of monthly returns on or off',
    description:
      'Applies to returns given (submitted or amended) from now on. A return already waiting in sign-off finishes it even when sign-off is turned off: its figures are verified and published, or sent back and amended (then published once verified). Turning it to what it is writes nothing (`unchanged`).',
  })
  @ApiOkResponse({ type: SetSignOffAnswerDto })
  @ApiProblemResponses(400, 401, 403)
  set(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() { on }: SetSignOffBody,
  ): Promise<SetSignOffAnswerDto> {
    return this.commands.execute(principal, key, SetSignOff, { on });
  }

  @Get('returns-to-verify')
  @Roles(...RETURN_VERIFIERS, ...RETURN_PUBLISHERS)
  @ApiOperation({
    summary: 'Returns waiting in sign-off',
    description:
      'Returns whose latest figures wait for a verifier (`stage=submitted`, the default), to be published (`verified`) or to be amended (`sent-back`), oldest first.',
  })
  @ApiOkResponse({ type: ReturnsToVerifyDto })
  @ApiProblemResponses(400, 401, 403)
  toVerify(
    @CurrentPrincipal() principal: Principal,
    @Query() { stage }: ReturnsToVerifyQuery,
  ): Promise<ReturnsToVerifyDto> {
    return this.queries.ask(principal, ReadReturnsToVerify, { stage });
  }

  @Post('services/:serviceId/returns/:period/verification')
  @Roles(...RETURN_VERIFIERS)
  @HttpCode(200)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: "Verify a return's figures",
    description: `Its latest figures, as submitted or last amended, are found right; they are published next. Not by whoever gave them (403). ${STEP_RULES}`,
  })
  @ApiOkResponse({ type: SignOffStepAnswerDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  verify(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
  ): Promise<SignOffStepAnswerDto> {
    return this.commands.execute(principal, key, VerifyMonthlyReturn, { serviceId, period });
  }

  @Post('services/:serviceId/returns/:period/sending-back')
  @Roles(...RETURN_VERIFIERS)
  @HttpCode(200)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Send a return back to be amended',
    description: `A return waiting to be verified or published goes back to the provider with the reason (kept in the personal-data vault); once amended it waits to be verified again. ${STEP_RULES}`,
  })
  @ApiOkResponse({ type: SignOffStepAnswerDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  sendBack(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
    @Body() { reason }: SendBackReturnBody,
  ): Promise<SignOffStepAnswerDto> {
    return this.commands.execute(principal, key, SendBackMonthlyReturn, {
      serviceId,
      period,
      reason,
    });
  }

  @Post('services/:serviceId/returns/:period/publication')
  @Roles(...RETURN_PUBLISHERS)
  @HttpCode(200)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: "Publish a return's verified figures",
    description: `The verified figures become the published ones: the KPI grid, the reports, councils and the bonus use them from now on. ${STEP_RULES}`,
  })
  @ApiOkResponse({ type: SignOffStepAnswerDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  publish(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
  ): Promise<SignOffStepAnswerDto> {
    return this.commands.execute(principal, key, PublishMonthlyReturn, { serviceId, period });
  }
}
