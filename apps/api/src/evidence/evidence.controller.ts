import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import {
  EVIDENCE_ATTACHERS,
  EVIDENCE_MEDIA_TYPES,
  EVIDENCE_READERS,
  type EvidenceTargetKind,
  type Period,
} from '@kpi/domain';
import {
  applyDecorators,
  Body,
  Controller,
  Get,
  Headers,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ErasedTextDto } from '../complaints/complaint-details.dto';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { IdInPath, MonthInPath } from '../http/path-params';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { PROBLEM_CONTENT_TYPE } from '../problems/problem-details';
import { EvidenceEndpoints } from './evidence-endpoints';
import {
  EvidenceAttachedDto,
  EvidenceDetachedDto,
  EvidenceListDto,
  UploadEvidenceQuery,
} from './evidence.dto';
import { FileUploadBody } from './evidence-upload.body';

/*
 * Evidence files attached to a record (docs/decisions/0040), one controller per kind of record:
 * upload (the file as the body), list, download, detach. Who may attach and who may read are
 * those who may record and read the record itself (EVIDENCE_ATTACHERS, EVIDENCE_READERS).
 */

const problem = (status: number, description: string) =>
  ApiResponse({ status, description, content: { [PROBLEM_CONTENT_TYPE]: {} } });

const Upload = (kind: EvidenceTargetKind, what: string) =>
  applyDecorators(
    Post(),
    Roles(...EVIDENCE_ATTACHERS[kind]),
    FileUploadBody(),
    ApiIdempotencyKey(),
    ApiOperation({
      summary: `Attach a file as evidence to ${what}`,
      description: `The body is the file itself; Content-Type its type, one of ${EVIDENCE_MEDIA_TYPES.join(', ')} — or application/octet-stream to let the bytes tell. The type is checked against the bytes’ magic numbers (a PNG sent as a PDF is refused). Up to EVIDENCE_MAX_BYTES (10 MB by default). The file is stored by its SHA-256 (once per organisation however often it is attached); with personalData=true it is encrypted under a data subject’s key instead, and erasing that subject makes it unreadable. The same file twice on one record: 409.`,
    }),
    ApiConsumes(...EVIDENCE_MEDIA_TYPES, 'application/octet-stream'),
    ApiBody({ description: 'The file.', schema: { type: 'string', format: 'binary' } }),
    ApiHeader({
      name: 'X-File-Name',
      required: false,
      description: 'The file’s name, percent-encoded UTF-8, e.g. `fire-drill%20log.pdf`.',
    }),
    ApiCreatedResponse({ type: EvidenceAttachedDto }),
    ApiProblemResponses(400, 401, 403, 404, 409),
    problem(413, 'The file is larger than EVIDENCE_MAX_BYTES: nothing was stored.'),
    problem(415, 'A type not accepted, or one the bytes do not bear out: nothing was stored.'),
  );

const List = (kind: EvidenceTargetKind, what: string) =>
  applyDecorators(
    Get(),
    Roles(...EVIDENCE_READERS[kind]),
    ApiExtraModels(ErasedTextDto),
    ApiOperation({
      summary: `The files attached to ${what}`,
      description:
        'Those not detached, in the order attached: hash, size, type, name (or { erasedOn } once the subject of a personal file was erased). Listing files that hold personal data is recorded in the access log. Another organisation’s record, like one that does not exist, is 404.',
    }),
    ApiOkResponse({ type: EvidenceListDto }),
    ApiProblemResponses(400, 401, 403, 404),
  );

const Download = (kind: EvidenceTargetKind, what: string) =>
  applyDecorators(
    Get(':evidenceId'),
    Roles(...EVIDENCE_READERS[kind]),
    ApiOperation({
      summary: `Download a file attached to ${what}`,
      description:
        'The bytes as uploaded, checked against the SHA-256 recorded when the file was attached (a file changed in storage is never served: 500), with `Repr-Digest` carrying that hash. Every download is recorded in the access log. 404 for a file detached, unknown or another organisation’s; 410 for a personal file whose data subject was erased.',
    }),
    ApiProduces(...EVIDENCE_MEDIA_TYPES),
    ApiOkResponse({ description: 'The file, as an attachment.' }),
    ApiProblemResponses(400, 401, 403, 404),
    problem(410, 'The file held personal data of a subject since erased: it cannot be read.'),
  );

const Detach = (kind: EvidenceTargetKind, what: string) =>
  applyDecorators(
    Post(':evidenceId/detachment'),
    Roles(...EVIDENCE_ATTACHERS[kind]),
    ApiIdempotencyKey(),
    ApiOperation({
      summary: `Detach a file from ${what}`,
      description:
        'It is no longer listed or downloadable; the event trail keeps that it was attached, and nothing is deleted (erasure is the data-protection officer’s). 409 when detached already.',
    }),
    ApiCreatedResponse({ type: EvidenceDetachedDto }),
    ApiProblemResponses(400, 401, 403, 404, 409),
  );

const EvidenceIdInPath = () => IdInPath('evidenceId', '3f0b7c2e-5a4d-8e1f-9b6a-2c3d4e5f6a7b');

@ApiTags('evidence')
@ApiBearerAuth(BEARER_SCHEME)
@Controller('services/:serviceId/returns/:period/evidence')
export class ReturnEvidenceController {
  constructor(private readonly evidence: EvidenceEndpoints) {}

  @Upload('monthly-return', "a service's monthly return")
  upload(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-file-name') fileName: string | undefined,
    @Query() query: UploadEvidenceQuery,
    @Body() body: unknown,
  ): Promise<EvidenceAttachedDto> {
    const target = { kind: 'monthly-return' as const, serviceId, period };
    return this.evidence.upload(principal, key, target, { contentType, fileName, query, body });
  }

  @List('monthly-return', "a service's monthly return")
  list(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
  ): Promise<EvidenceListDto> {
    return this.evidence.list(principal, { kind: 'monthly-return', serviceId, period });
  }

  @Download('monthly-return', "a service's monthly return")
  download(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
    @EvidenceIdInPath() evidenceId: EntityId,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const target = { kind: 'monthly-return' as const, serviceId, period };
    return this.evidence.download(principal, target, evidenceId, reply);
  }

  @Detach('monthly-return', "a service's monthly return")
  detach(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
    @EvidenceIdInPath() evidenceId: EntityId,
  ): Promise<EvidenceDetachedDto> {
    const target = { kind: 'monthly-return' as const, serviceId, period };
    return this.evidence.detach(principal, key, target, evidenceId);
  }
}

@ApiTags('evidence')
@ApiBearerAuth(BEARER_SCHEME)
@Controller('complaints/:complaintId/evidence')
export class ComplaintEvidenceController {
  constructor(private readonly evidence: EvidenceEndpoints) {}

  @Upload('complaint', 'a complaint')
  upload(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('complaintId', 'cmp-2026-0042') complaintId: EntityId,
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-file-name') fileName: string | undefined,
    @Query() query: UploadEvidenceQuery,
    @Body() body: unknown,
  ): Promise<EvidenceAttachedDto> {
    const target = { kind: 'complaint' as const, complaintId };
    return this.evidence.upload(principal, key, target, { contentType, fileName, query, body });
  }

  @List('complaint', 'a complaint')
  list(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('complaintId', 'cmp-2026-0042') complaintId: EntityId,
  ): Promise<EvidenceListDto> {
    return this.evidence.list(principal, { kind: 'complaint', complaintId });
  }

  @Download('complaint', 'a complaint')
  download(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('complaintId', 'cmp-2026-0042') complaintId: EntityId,
    @EvidenceIdInPath() evidenceId: EntityId,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    return this.evidence.download(principal, { kind: 'complaint', complaintId }, evidenceId, reply);
  }

  @Detach('complaint', 'a complaint')
  detach(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('complaintId', 'cmp-2026-0042') complaintId: EntityId,
    @EvidenceIdInPath() evidenceId: EntityId,
  ): Promise<EvidenceDetachedDto> {
    return this.evidence.detach(principal, key, { kind: 'complaint', complaintId }, evidenceId);
  }
}

@ApiTags('evidence')
@ApiBearerAuth(BEARER_SCHEME)
@Controller('capability-reviews/:reviewId/evidence')
export class CapabilityReviewEvidenceController {
  constructor(private readonly evidence: EvidenceEndpoints) {}

  @Upload('capability-review', 'a Stage 3 capability review')
  upload(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('reviewId', 'rev-2026-07') reviewId: EntityId,
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-file-name') fileName: string | undefined,
    @Query() query: UploadEvidenceQuery,
    @Body() body: unknown,
  ): Promise<EvidenceAttachedDto> {
    const target = { kind: 'capability-review' as const, reviewId };
    return this.evidence.upload(principal, key, target, { contentType, fileName, query, body });
  }

  @List('capability-review', 'a Stage 3 capability review')
  list(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('reviewId', 'rev-2026-07') reviewId: EntityId,
  ): Promise<EvidenceListDto> {
    return this.evidence.list(principal, { kind: 'capability-review', reviewId });
  }

  @Download('capability-review', 'a Stage 3 capability review')
  download(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('reviewId', 'rev-2026-07') reviewId: EntityId,
    @EvidenceIdInPath() evidenceId: EntityId,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const target = { kind: 'capability-review' as const, reviewId };
    return this.evidence.download(principal, target, evidenceId, reply);
  }

  @Detach('capability-review', 'a Stage 3 capability review')
  detach(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('reviewId', 'rev-2026-07') reviewId: EntityId,
    @EvidenceIdInPath() evidenceId: EntityId,
  ): Promise<EvidenceDetachedDto> {
    const target = { kind: 'capability-review' as const, reviewId };
    return this.evidence.detach(principal, key, target, evidenceId);
  }
}

@ApiTags('evidence')
@ApiBearerAuth(BEARER_SCHEME)
@Controller('actions/:actionId/evidence')
export class ActionEvidenceController {
  constructor(private readonly evidence: EvidenceEndpoints) {}

  @Upload('action', 'an action')
  upload(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('actionId', 'act-2026-0007') actionId: EntityId,
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-file-name') fileName: string | undefined,
    @Query() query: UploadEvidenceQuery,
    @Body() body: unknown,
  ): Promise<EvidenceAttachedDto> {
    const target = { kind: 'action' as const, actionId };
    return this.evidence.upload(principal, key, target, { contentType, fileName, query, body });
  }

  @List('action', 'an action')
  list(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('actionId', 'act-2026-0007') actionId: EntityId,
  ): Promise<EvidenceListDto> {
    return this.evidence.list(principal, { kind: 'action', actionId });
  }

  @Download('action', 'an action')
  download(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('actionId', 'act-2026-0007') actionId: EntityId,
    @EvidenceIdInPath() evidenceId: EntityId,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    return this.evidence.download(principal, { kind: 'action', actionId }, evidenceId, reply);
  }

  @Detach('action', 'an action')
  detach(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('actionId', 'act-2026-0007') actionId: EntityId,
    @EvidenceIdInPath() evidenceId: EntityId,
  ): Promise<EvidenceDetachedDto> {
    return this.evidence.detach(principal, key, { kind: 'action', actionId }, evidenceId);
  }
}
