import {
  AcknowledgeComplaint,
  LogComplaint,
  LogCompliment,
  RespondToComplaint,
} from '@kpi/features/complaints';
import type { EntityId } from '@kpi/command-handling';
import type { Principal } from '@kpi/auth';
import { COMPLAINT_RECORDERS } from '@kpi/domain';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { Commands } from '../http/buses';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { IdInPath } from '../http/path-params';
import {
  AcknowledgeComplaintBody,
  ComplaintAcknowledgedDto,
  ComplaintLoggedDto,
  ComplaintRespondedDto,
  ComplimentLoggedDto,
  LogComplaintBody,
  LogComplimentBody,
  RespondToComplaintBody,
} from './complaints-commands.dto';

/** The complaint, as logged, in the path. */
const ComplaintIdInPath = () => IdInPath('complaintId', 'cmp-2026-0042');

/**
 * Complaints and compliments a service receives (docs/rules/complaints.md): a complaint is
 * acknowledged on receipt (by the next working day) and answered in full within 15 working
 * days, the answer saying how to escalate. Working days skip weekends and England & Wales bank
 * holidays. Another tenant's complaint, like one that does not exist, is 404.
 */
@ApiTags('complaints')
@ApiBearerAuth(BEARER_SCHEME)
@ApiIdempotencyKey()
@Roles(...COMPLAINT_RECORDERS)
@Controller()
export class ComplaintsController {
  constructor(private readonly commands: Commands) {}

  @Post('complaints')
  @ApiOperation({
    summary: 'Log a complaint a service received',
    description:
      'Received date, service, category, summary and, optionally, the complainant (relationship, name, contact). The summary, name and contact are kept apart from the event log, encrypted under the complainant’s key (the answer’s dataSubjectId), so a data-protection officer can erase them. The answer gives the acknowledgement and response due dates, worked out on the bank-holiday calendar in force now and kept with the complaint: received Thursday 2026-04-02, acknowledged by Tuesday 2026-04-07 and answered by Monday 2026-04-27 (Good Friday and Easter Monday skipped). 404 when the service is not one of the organisation’s; 409 when a complaint with that id is logged already, or when complainant.subjectId names a data subject already erased.',
  })
  @ApiCreatedResponse({ type: ComplaintLoggedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  log(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() body: LogComplaintBody,
  ): Promise<ComplaintLoggedDto> {
    return this.commands.execute(principal, key, LogComplaint, body);
  }

  @Post('complaints/:complaintId/acknowledgement')
  @ApiOperation({
    summary: 'Record that a complaint was acknowledged',
    description:
      'The day the complainant was told it had been received: not before it was received, nor in the future. 409 when the acknowledgement is already recorded.',
  })
  @ApiCreatedResponse({ type: ComplaintAcknowledgedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  acknowledge(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @ComplaintIdInPath() complaintId: EntityId,
    @Body() body: AcknowledgeComplaintBody,
  ): Promise<ComplaintAcknowledgedDto> {
    return this.commands.execute(principal, key, AcknowledgeComplaint, { complaintId, ...body });
  }

  @Post('complaints/:complaintId/response')
  @ApiOperation({
    summary: 'Record the full response to a complaint',
    description:
      'When it was sent, what it said (encrypted under the complainant’s key, like the complaint’s summary), whether the complaint was upheld, and how the complainant can escalate if not satisfied (escalationRoute: required, e.g. the Local Government and Social Care Ombudsman). Not before the complaint was received, nor in the future. 409 when a response is already recorded.',
  })
  @ApiCreatedResponse({ type: ComplaintRespondedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  respond(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @ComplaintIdInPath() complaintId: EntityId,
    @Body() body: RespondToComplaintBody,
  ): Promise<ComplaintRespondedDto> {
    return this.commands.execute(principal, key, RespondToComplaint, { complaintId, ...body });
  }

  @Post('compliments')
  @ApiOperation({
    summary: 'Log a compliment a service received',
    description:
      'Its summary can name people: it is kept apart from the event log, encrypted under a data subject (a new one, or the `subjectId` given), so the data-protection officer can erase it (`dataSubjectId` in the answer). 404 when the service is not one of the organisation’s; 409 when the subject given was erased.',
  })
  @ApiCreatedResponse({ type: ComplimentLoggedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  compliment(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() body: LogComplimentBody,
  ): Promise<ComplimentLoggedDto> {
    return this.commands.execute(principal, key, LogCompliment, body);
  }
}
