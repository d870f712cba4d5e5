import {
  acknowledgeComplaint,
  logComplaint,
  logCompliment,
  respondToComplaint,
} from '@kpi/features/complaints';
import type { Principal } from '@kpi/auth';
import {
  COMPLAINT_RECORDERS,
  type ComplaintAcknowledged,
  type ComplaintLogged,
  type ComplaintResponded,
  type ComplimentLogged,
} from '@kpi/domain';
import { Body, Controller, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { CommandContexts } from '../http/command-contexts';
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
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';

const COMPLAINT_ID_PARAM = {
  name: 'complaintId',
  example: 'cmp-2026-0042',
  description: 'The complaint, as logged.',
};

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
  constructor(private readonly contexts: CommandContexts) {}

  @Post('complaints')
  @ApiOperation({
    summary: 'Log a complaint a service received',
    description:
      'Received date, service, category, summary and, optionally, the complainant. The answer gives the acknowledgement and response due dates, worked out on the bank-holiday calendar in force now and kept with the complaint: received Thursday 2026-04-02, acknowledged by Tuesday 2026-04-07 and answered by Monday 2026-04-27 (Good Friday and Easter Monday skipped). 404 when the service is not one of the organisation’s; 409 when a complaint with that id is logged already.',
  })
  @ApiCreatedResponse({ type: ComplaintLoggedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async log(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() body: LogComplaintBody,
  ): Promise<ComplaintLoggedDto> {
    const outcome = await this.contexts.run(principal, key, logComplaint, body);
    const { data } = outcome.events[0] as ComplaintLogged;
    return {
      streamId: outcome.streamId,
      complaintId: data.complaintId,
      receivedOn: data.receivedOn,
      acknowledgementDueOn: data.acknowledgementDueOn,
      responseDueOn: data.responseDueOn,
      replayed: outcome.replayed,
    };
  }

  @Post('complaints/:complaintId/acknowledgement')
  @ApiParam(COMPLAINT_ID_PARAM)
  @ApiOperation({
    summary: 'Record that a complaint was acknowledged',
    description:
      'The day the complainant was told it had been received: not before it was received, nor in the future. 409 when the acknowledgement is already recorded.',
  })
  @ApiCreatedResponse({ type: ComplaintAcknowledgedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async acknowledge(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Param('complaintId') complaintId: string,
    @Body() body: AcknowledgeComplaintBody,
  ): Promise<ComplaintAcknowledgedDto> {
    const outcome = await this.contexts.run(principal, key, acknowledgeComplaint, {
      complaintId,
      ...body,
    });
    const { data } = outcome.events[0] as ComplaintAcknowledged;
    return {
      streamId: outcome.streamId,
      complaintId: data.complaintId,
      acknowledgedOn: data.acknowledgedOn,
      replayed: outcome.replayed,
    };
  }

  @Post('complaints/:complaintId/response')
  @ApiParam(COMPLAINT_ID_PARAM)
  @ApiOperation({
    summary: 'Record the full response to a complaint',
    description:
      'When it was sent, what it said, whether the complaint was upheld, and how the complainant can escalate if not satisfied (escalationRoute: required, e.g. the Local Government and Social Care Ombudsman). Not before the complaint was received, nor in the future. 409 when a response is already recorded.',
  })
  @ApiCreatedResponse({ type: ComplaintRespondedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async respond(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Param('complaintId') complaintId: string,
    @Body() body: RespondToComplaintBody,
  ): Promise<ComplaintRespondedDto> {
    const outcome = await this.contexts.run(principal, key, respondToComplaint, {
      complaintId,
      ...body,
    });
    const { data } = outcome.events[0] as ComplaintResponded;
    return {
      streamId: outcome.streamId,
      complaintId: data.complaintId,
      respondedOn: data.respondedOn,
      upheld: data.upheld,
      replayed: outcome.replayed,
    };
  }

  @Post('compliments')
  @ApiOperation({
    summary: 'Log a compliment a service received',
    description: '404 when the service is not one of the organisation’s.',
  })
  @ApiCreatedResponse({ type: ComplimentLoggedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async compliment(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() body: LogComplimentBody,
  ): Promise<ComplimentLoggedDto> {
    const outcome = await this.contexts.run(principal, key, logCompliment, body);
    const { data } = outcome.events[0] as ComplimentLogged;
    return {
      streamId: outcome.streamId,
      complimentId: data.complimentId,
      replayed: outcome.replayed,
    };
  }
}
