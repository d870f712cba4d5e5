import {
  RecordAppraisal,
  RecordDbsCheck,
  RecordStaffMemberLeft,
  RecordTraining,
  RegisterStaffMember,
} from '@kpi/features/workforce';
import type { EntityId } from '@kpi/command-handling';
import type { Principal } from '@kpi/auth';
import { STAFF_RECORDERS } from '@kpi/domain';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { Commands } from '../http/buses';
import { CommandAcceptedDto, commandAccepted } from '../http/command-accepted';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { IdInPath } from '../http/path-params';
import {
  RecordAppraisalBody,
  RecordDbsCheckBody,
  RecordStaffMemberLeftBody,
  RecordTrainingBody,
  RegisterStaffMemberBody,
} from './staff.dto';

/** The staff member (person id) in the path. */
const StaffIdInPath = () => IdInPath('staffId', 'cw-alys');

/**
 * The staff register: starters and leavers (for turnover and supervision compliance), and the
 * appraisals, training and DBS checks that each have a due date. Dates are never in the future
 * and, for a registered staff member, within their time in post; 404 for someone not on the
 * register (or another tenant's).
 */
@ApiTags('staff')
@ApiBearerAuth(BEARER_SCHEME)
@ApiIdempotencyKey()
@Roles(...STAFF_RECORDERS)
@Controller('staff')
export class StaffController {
  constructor(private readonly commands: Commands) {}

  @Post()
  @ApiOperation({
    summary: 'Register a staff member of a service',
    description:
      'Role, first day in post and, optionally, the pre-employment DBS check. Supervision sessions already recorded for the same person id count from now on. 404 when the service is not one of the organisation’s; 409 when the person is already registered.',
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async register(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() body: RegisterStaffMemberBody,
  ): Promise<CommandAcceptedDto> {
    return commandAccepted(await this.commands.execute(principal, key, RegisterStaffMember, body));
  }

  @Post(':staffId/leaving')
  @ApiOperation({
    summary: 'Record that a staff member left',
    description:
      'Their last day in post and why. They count as a leaver in the quarter of that day (turnover). 409 when their leaving is already recorded.',
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async leaving(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @StaffIdInPath() staffId: EntityId,
    @Body() body: RecordStaffMemberLeftBody,
  ): Promise<CommandAcceptedDto> {
    return commandAccepted(
      await this.commands.execute(principal, key, RecordStaffMemberLeft, { staffId, ...body }),
    );
  }

  @Post(':staffId/appraisals')
  @ApiOperation({
    summary: 'Record an appraisal (due annually)',
    description:
      'The same appraisal (date and appraiser) recorded again records nothing new (`events` is empty).',
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async appraisal(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @StaffIdInPath() staffId: EntityId,
    @Body() body: RecordAppraisalBody,
  ): Promise<CommandAcceptedDto> {
    return commandAccepted(
      await this.commands.execute(principal, key, RecordAppraisal, { staffId, ...body }),
    );
  }

  @Post(':staffId/training')
  @ApiOperation({
    summary: 'Record completed training',
    description:
      'The Care Certificate (due within 12 weeks of starting) or safeguarding training (within 3 months of starting, then annually). The same course on the same date again records nothing new.',
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async training(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @StaffIdInPath() staffId: EntityId,
    @Body() body: RecordTrainingBody,
  ): Promise<CommandAcceptedDto> {
    return commandAccepted(
      await this.commands.execute(principal, key, RecordTraining, { staffId, ...body }),
    );
  }

  @Post(':staffId/dbs-checks')
  @ApiOperation({
    summary: 'Record a DBS check (renewed every 3 years)',
    description:
      'A renewal while in post; the pre-employment check is given when the staff member is registered.',
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async dbsCheck(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @StaffIdInPath() staffId: EntityId,
    @Body() body: RecordDbsCheckBody,
  ): Promise<CommandAcceptedDto> {
    return commandAccepted(
      await this.commands.execute(principal, key, RecordDbsCheck, { staffId, ...body }),
    );
  }
}
