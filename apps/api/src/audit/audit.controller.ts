import type { Principal } from '@kpi/auth';
import { AUDIT_READERS, tenantOfStreamId } from '@kpi/domain';
import type { StoredEventRecord } from '@kpi/event-store';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AccessLog } from '../access-log/access-log.service';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { type StoredEventDto, StreamEventsDto, VerificationReportDto } from './audit-responses.dto';
import { AuditTrail } from './audit-trail.service';
import { MAX_EVENTS_PER_READ, ReadStreamQuery } from './read-stream.query';

const streamIdParam = ApiParam({
  name: 'streamId',
  description: 'The stream, URL-encoded (1–200 characters).',
  example: 'acme:monthly-return:home-17:2025-04',
});

@ApiTags('audit')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...AUDIT_READERS)
@Controller('audit/streams/:streamId')
export class AuditController {
  constructor(
    @Inject(AuditTrail) private readonly auditTrail: AuditTrail,
    private readonly accessLog: AccessLog,
  ) {}

  @Get('events')
  @ApiOperation({
    summary: "A stream's stored events, as they are or as they were",
    description:
      'The events of one stream of your tenant exactly as stored, with every field needed to ' +
      'recompute their hashes (docs/audit-trail.md). `toVersion` and `recordedUntil` read the ' +
      'stream as it was at a version or as it was known at a time.',
  })
  @streamIdParam
  @ApiOkResponse({ type: StreamEventsDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async events(
    @CurrentPrincipal() principal: Principal,
    @Param('streamId') streamId: string,
    @Query() query: ReadStreamQuery,
  ): Promise<StreamEventsDto> {
    const events = await this.logged(principal, streamId, 'events', () =>
      this.auditTrail.readStream(principal.tenantId, streamId, {
        fromVersion: query.fromVersion,
        toVersion: query.toVersion,
        recordedUntil:
          query.recordedUntil === undefined ? undefined : new Date(query.recordedUntil),
        direction: query.direction,
        maxCount: query.limit ?? MAX_EVENTS_PER_READ,
      }),
    );
    return { streamId, events: events.map(toStoredEventDto) };
  }

  @Get('verification')
  @ApiOperation({
    summary: "Recompute a stream's hash chain",
    description:
      'Names the first broken link if any stored event was changed; `brokenLinks` is empty when intact.',
  })
  @streamIdParam
  @ApiOkResponse({ type: VerificationReportDto })
  @ApiProblemResponses(400, 401, 403, 404)
  verification(
    @CurrentPrincipal() principal: Principal,
    @Param('streamId') streamId: string,
  ): Promise<VerificationReportDto> {
    return this.logged(principal, streamId, 'verification', () =>
      this.auditTrail.verifyStream(principal.tenantId, streamId),
    );
  }

  /**
   * Runs a read of the caller's own trail and records it in the access log before answering;
   * a stream not visible to the caller (404) is recorded as refused, in the log of the tenant
   * its id names.
   */
  private logged<Result>(
    principal: Principal,
    streamId: string,
    detail: string,
    read: () => Promise<Result>,
  ): Promise<Result> {
    return this.accessLog.recorded(
      principal,
      { kind: 'audit-trail', subjectId: streamId, detail, ownerTenantId: principal.tenantId },
      read,
      tenantOfStreamId(streamId),
    );
  }
}

export function toStoredEventDto(event: StoredEventRecord): StoredEventDto {
  return {
    eventId: event.eventId,
    streamVersion: event.streamVersion,
    globalPosition: event.globalPosition,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt,
    recordedAtMicros: event.recordedAtMicros,
    effectiveAt: event.effectiveAt,
    contentHash: event.contentHash,
    previousHash: event.previousHash,
    hash: event.hash,
  };
}
