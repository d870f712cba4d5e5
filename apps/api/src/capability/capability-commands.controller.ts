import {
  RecordCapabilityAppeal,
  RecordCapabilityReview,
  RecordSupervision,
} from '@kpi/features/capability';
import type { Principal } from '@kpi/auth';
import { CAPABILITY_RECORDERS, SUPERVISION_RECORDERS } from '@kpi/domain';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import {
  AppealRecordedDto,
  RecordCapabilityAppealBody,
  RecordCapabilityReviewBody,
  RecordSupervisionBody,
  ReviewRecordedDto,
  SupervisionRecordedDto,
} from './capability-commands.dto';
import { Commands } from '../http/buses';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';

/**
 * What people record in the capability procedure: Stage 3 reviews, appeals, and the supervision
 * sessions in which stages are addressed. The stages themselves are never posted: the
 * escalation process derives them from the returns.
 */
@ApiTags('capability')
@ApiBearerAuth(BEARER_SCHEME)
@ApiIdempotencyKey()
@Controller()
export class CapabilityController {
  constructor(private readonly commands: Commands) {}

  @Post('capability/reviews')
  @Roles(...CAPABILITY_RECORDERS)
  @ApiOperation({
    summary: "Record the review of a manager's Stage 3",
    description:
      'Held by HR or the regional manager once the same KPI was missed four months running. Outcomes: mitigating-circumstances (a further review period of furtherReviewMonths; Stage 3 stays open and the next review is due at its end), standards-met (case closed), alternative-employment-offered, dismissed (both close the case). 409 when the counter has no Stage 3 or the case was already closed by a review; 400 naming each wrong field (heldOn before the Stage 3 month ended or in the future, furtherReviewMonths missing or not allowed, …).',
  })
  @ApiCreatedResponse({ type: ReviewRecordedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async review(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() body: RecordCapabilityReviewBody,
  ): Promise<ReviewRecordedDto> {
    const { appended: _appended, ...recorded } = await this.commands.execute(
      principal,
      key,
      RecordCapabilityReview,
      body,
    );
    return recorded;
  }

  @Post('capability/appeals')
  @Roles(...CAPABILITY_RECORDERS)
  @ApiOperation({
    summary: 'Record an appeal against a formal stage or a review outcome',
    description:
      'Heard by someone not previously involved in the case: not the manager, nor anyone who submitted or amended a return the run counted, held or recorded its reviews, heard an earlier appeal, discussed the KPI with the manager in supervision during the run, or is or was the regional manager of the home. Otherwise 409, naming the field heardBy and how the person was involved. Stage 1 is informal and cannot be appealed (400).',
  })
  @ApiCreatedResponse({ type: AppealRecordedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async appeal(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() body: RecordCapabilityAppealBody,
  ): Promise<AppealRecordedDto> {
    const { appended: _appended, ...recorded } = await this.commands.execute(
      principal,
      key,
      RecordCapabilityAppeal,
      body,
    );
    return recorded;
  }

  @Post('supervisions')
  @Roles(...SUPERVISION_RECORDERS)
  @ApiOperation({
    summary: 'Record a supervision session',
    description:
      'Supervisee, supervisor, date, kind, and the capability counters discussed (home and KPI). A stage open at the date of a session that discussed its KPI shows as addressed in the timeline. Each item must name a home of the organisation and an indicator of its framework.',
  })
  @ApiCreatedResponse({ type: SupervisionRecordedDto })
  @ApiProblemResponses(400, 401, 403, 409)
  async supervision(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() body: RecordSupervisionBody,
  ): Promise<SupervisionRecordedDto> {
    const { appended: _appended, ...recorded } = await this.commands.execute(
      principal,
      key,
      RecordSupervision,
      body,
    );
    return recorded;
  }
}
