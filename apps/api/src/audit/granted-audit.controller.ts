import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import { GRANT_HOLDERS, tenantOfStreamId } from '@kpi/domain';
import type { ReadStreamOptions } from '@kpi/event-store';
import {
  GrantRefusedError,
  OpenGrantedStream,
  type GrantedStream,
} from '@kpi/features/regulator-grants';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AccessLog, type AccessSubject } from '../access-log/access-log.service';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Queries } from '../http/buses';
import { IdInPath } from '../http/path-params';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { StreamEventsDto, VerificationReportDto } from './audit-responses.dto';
import { toStoredEventDto } from './audit.controller';
import { AuditTrail } from './audit-trail.service';
import { MAX_EVENTS_PER_READ, ReadStreamQuery } from './read-stream.query';

const GrantInPath = () => IdInPath('grantId', 'grant-3f9a1c0e7b2d4a61');
const streamIdParam = ApiParam({
  name: 'streamId',
  description: "A stream of the grantor's, URL-encoded (1–200 characters).",
  example: 'acme:monthly-return:ty-gwyn:2026-04',
});

const REFUSALS =
  'Anything the grant does not open — no such grant, a grant to another organisation, revoked, expired, a stream of another organisation, outside its services, or begun after its period — is 404, alike, and the attempt goes into the access log.';

/**
 * A regulator reading a grantor's audit trail under a grant. The grant, never the caller,
 * names the tenant: the audit read runs as the grantor once the grant has been checked
 * (OpenGrantedStream), and every read and refusal is written to the access log first.
 */
@ApiTags('regulator-grants')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...GRANT_HOLDERS)
@Controller('granted/:grantId/audit/streams/:streamId')
export class GrantedAuditController {
  constructor(
    @Inject(AuditTrail) private readonly auditTrail: AuditTrail,
    private readonly queries: Queries,
    private readonly accessLog: AccessLog,
  ) {}

  @Get('events')
  @ApiOperation({
    summary: "A grantor's stream under a grant",
    description: `The stream's events recorded in the grant's period, with their hashes: a run of consecutive versions, so the first one's \`previousHash\` is the stream's hash just before the period. The query parameters work as on GET /audit/streams/{streamId}/events, within the period. ${REFUSALS}`,
  })
  @streamIdParam
  @ApiOkResponse({ type: StreamEventsDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async events(
    @CurrentPrincipal() principal: Principal,
    @GrantInPath() grantId: EntityId,
    @Param('streamId') streamId: string,
    @Query() query: ReadStreamQuery,
  ): Promise<StreamEventsDto> {
    const requested: ReadStreamOptions = {
      fromVersion: query.fromVersion,
      toVersion: query.toVersion,
      recordedUntil: query.recordedUntil === undefined ? undefined : new Date(query.recordedUntil),
      direction: query.direction,
      maxCount: query.limit ?? MAX_EVENTS_PER_READ,
    };
    const granted = await this.open(principal, grantId, streamId, requested, 'events');
    const events = await this.auditTrail.readStream(
      granted.grantorTenantId,
      streamId,
      granted.options,
    );
    await this.accessLog.record(principal, this.subject(granted, streamId, 'events'), 'read');
    return { streamId, events: events.map(toStoredEventDto) };
  }

  @Get('verification')
  @ApiOperation({
    summary: "Recompute a grantor's stream's hash chain, under a grant",
    description: `The whole chain, from the stream's first event (the events of the period rest on those before it); names the first broken link if any. ${REFUSALS}`,
  })
  @streamIdParam
  @ApiOkResponse({ type: VerificationReportDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async verification(
    @CurrentPrincipal() principal: Principal,
    @GrantInPath() grantId: EntityId,
    @Param('streamId') streamId: string,
  ): Promise<VerificationReportDto> {
    const granted = await this.open(principal, grantId, streamId, {}, 'verification');
    const report = await this.auditTrail.verifyStream(granted.grantorTenantId, streamId);
    await this.accessLog.record(principal, this.subject(granted, streamId, 'verification'), 'read');
    return report;
  }

  /** The grant checked for this stream, or the refusal recorded (in the grantor's log) and thrown. */
  private async open(
    principal: Principal,
    grantId: string,
    streamId: string,
    requested: ReadStreamOptions,
    detail: string,
  ): Promise<GrantedStream> {
    try {
      return await this.queries.ask(principal, OpenGrantedStream, { grantId, streamId, requested });
    } catch (error) {
      if (error instanceof GrantRefusedError) {
        await this.accessLog.record(
          principal,
          {
            kind: 'audit-trail',
            subjectId: streamId,
            ownerTenantId: error.grantorTenantId ?? tenantOfStreamId(streamId),
            detail,
            grantId,
          },
          'refused',
        );
      }
      throw error;
    }
  }

  private subject(granted: GrantedStream, streamId: string, detail: string): AccessSubject {
    return {
      kind: 'audit-trail',
      subjectId: streamId,
      ownerTenantId: granted.grantorTenantId,
      detail,
      grantId: granted.grantId,
    };
  }
}
