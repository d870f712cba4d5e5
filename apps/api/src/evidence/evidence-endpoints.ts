import type { Principal } from '@kpi/auth';
import type { AppConfig } from '@kpi/config';
import type { EntityId } from '@kpi/command-handling';
import { evidenceTargetKey, type EvidenceTarget } from '@kpi/domain';
import {
  AttachEvidence,
  DetachEvidence,
  EvidenceErasedError,
  ListEvidence,
  ReadEvidenceFile,
  UploadedFile,
} from '@kpi/features/evidence';
import {
  GoneException,
  Inject,
  Injectable,
  PayloadTooLargeException,
  StreamableFile,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AccessLog } from '../access-log/access-log.service';
import { Commands, Queries } from '../http/buses';
import { APP_CONFIG } from '../infrastructure/injection-tokens';
import { InvalidRequestException } from '../problems/invalid-request.exception';
import type {
  EvidenceAttachedDto,
  EvidenceDetachedDto,
  EvidenceListDto,
  UploadEvidenceQuery,
} from './evidence.dto';

/** What an upload request carries besides the file. */
export interface UploadRequest {
  contentType: string | undefined;
  fileName: string | undefined;
  query: UploadEvidenceQuery;
  body: unknown;
}

/**
 * What every evidence endpoint does, whatever the record (the controllers only say which record
 * and who may): the file judged at the edge (400 empty, 413 too large, 415 a type not accepted
 * or not borne out by its bytes — nothing written), downloads with their hash and in the
 * access log, a personal file whose subject was erased answered 410.
 */
@Injectable()
export class EvidenceEndpoints {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
    private readonly accessLog: AccessLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  upload(
    principal: Principal,
    key: string | undefined,
    attachedTo: EvidenceTarget,
    { contentType, fileName, query, body }: UploadRequest,
  ): Promise<EvidenceAttachedDto> {
    if (!Buffer.isBuffer(body)) {
      throw new UnsupportedMediaTypeException(
        'Send the file itself as the body, with its media type as Content-Type (or application/octet-stream)',
      );
    }
    const file = UploadedFile.judge(body, contentType, this.config.EVIDENCE_MAX_BYTES);
    if (!(file instanceof UploadedFile)) {
      switch (file.status) {
        case 400:
          throw new InvalidRequestException([{ field: 'body', reason: file.reason }]);
        case 413:
          throw new PayloadTooLargeException(file.reason);
        case 415:
          throw new UnsupportedMediaTypeException(file.reason);
      }
    }
    const personal = query.personalData === 'true';
    if (!personal && query.dataSubjectId !== undefined) {
      throw new InvalidRequestException([
        {
          field: 'dataSubjectId',
          reason: 'is only for a file holding personal data (personalData=true)',
        },
      ]);
    }
    return this.commands.execute(principal, key, AttachEvidence, {
      attachedTo,
      file,
      fileName: decodedFileName(fileName),
      personalData: personal ? { subjectId: query.dataSubjectId } : null,
    });
  }

  async list(principal: Principal, attachedTo: EvidenceTarget): Promise<EvidenceListDto> {
    const list = await this.queries.ask(principal, ListEvidence, { attachedTo });
    // Listing names of files that hold personal data is a read of that data.
    if (list.files.some((file) => file.personalData)) {
      await this.accessLog.record(principal, accessOf(principal, attachedTo, 'list'), 'read');
    }
    return list;
  }

  async download(
    principal: Principal,
    attachedTo: EvidenceTarget,
    evidenceId: EntityId,
    reply: FastifyReply,
  ): Promise<StreamableFile> {
    try {
      const { item, bytes } = await this.accessLog.recorded(
        principal,
        accessOf(principal, attachedTo, `download ${evidenceId}`),
        () => this.queries.ask(principal, ReadEvidenceFile, { attachedTo, evidenceId }),
      );
      void reply.header('X-Content-Type-Options', 'nosniff');
      void reply.header(
        'Repr-Digest',
        `sha-256=:${Buffer.from(item.sha256, 'hex').toString('base64')}:`,
      );
      return new StreamableFile(bytes, {
        type: item.mediaType,
        length: bytes.length,
        disposition: contentDisposition(
          typeof item.fileName === 'string' ? item.fileName : `evidence-${evidenceId}`,
        ),
      });
    } catch (error) {
      if (error instanceof EvidenceErasedError) throw new GoneException(error.message);
      throw error;
    }
  }

  detach(
    principal: Principal,
    key: string | undefined,
    attachedTo: EvidenceTarget,
    evidenceId: EntityId,
  ): Promise<EvidenceDetachedDto> {
    return this.commands.execute(principal, key, DetachEvidence, { attachedTo, evidenceId });
  }
}

function accessOf(principal: Principal, attachedTo: EvidenceTarget, detail: string) {
  return {
    kind: 'evidence' as const,
    subjectId: `${attachedTo.kind}:${evidenceTargetKey(attachedTo)}`,
    ownerTenantId: principal.tenantId,
    detail,
  };
}

/** X-File-Name, percent-encoded UTF-8 (headers are Latin-1): decoded, or a 400 naming it. */
function decodedFileName(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  try {
    return decodeURIComponent(header);
  } catch {
    throw new InvalidRequestException([
      { field: 'X-File-Name', reason: 'must be the file name percent-encoded as UTF-8' },
    ]);
  }
}

/** `attachment` with an ASCII fallback name and the UTF-8 one (RFC 6266). */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
