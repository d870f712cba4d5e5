import type { Principal } from '@kpi/auth';
import type { AppConfig } from '@kpi/config';
import type { EntityId } from '@kpi/command-handling';
import { EVIDENCE_ATTACHERS, EVIDENCE_READERS, type Period } from '@kpi/domain';
import { AttachEvidence, UploadedFile } from '@kpi/features/evidence';
import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  Get,
  Inject,
  Post,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import { EvidenceEndpoints } from '../../evidence/evidence-endpoints';
import { FileUploadBody } from '../../evidence/evidence-upload.body';
import { Commands } from '../../http/buses';
import { IdInPath, MonthInPath } from '../../http/path-params';
import { APP_CONFIG } from '../../infrastructure/injection-tokens';
import { readMultipartForm } from '../multipart-form';
import { isValidCsrfToken } from '../page-csrf';
import { PageErrorsFilter } from '../page-errors.filter';
import { PageRenderer } from '../page-renderer';
import { shownText } from '../personal-text';

const ATTACHERS = EVIDENCE_ATTACHERS['monthly-return'];

/** A size as people read it (1 MB = 1,048,576 bytes, as EVIDENCE_MAX_BYTES counts): 10 MB, 2.4 MB, 310 KB, 12 bytes. */
function sizeInWords(bytes: number): string {
  const one = (value: number) => value.toFixed(1).replace(/\.0$/, '');
  if (bytes >= 1024 * 1024) return `${one(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/**
 * A return's evidence in the pages (docs/decisions/0040): the files attached, each downloaded
 * through the API (its hash checked, the download in the access log), and — for those who
 * attach — a file upload form (multipart, read with busboy; the CSRF token is checked from the
 * form itself, as the guard cannot read a file body). A file refused (empty, too large, a type
 * not accepted or not borne out by its bytes) is named on the page, nothing stored.
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Controller('app/services/:serviceId/returns/:period/evidence')
export class ReturnEvidencePagesController {
  constructor(
    private readonly commands: Commands,
    private readonly evidence: EvidenceEndpoints,
    private readonly pages: PageRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Roles(...EVIDENCE_READERS['monthly-return'])
  page(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.show(principal, request, reply, serviceId, period, null);
  }

  @Post()
  @Roles(...ATTACHERS)
  @FileUploadBody()
  async attach(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = Buffer.isBuffer(body)
      ? await readMultipartForm(request.headers['content-type'], body).catch(() => null)
      : null;
    if (!form)
      throw new BadRequestException('The form could not be read: send it as multipart/form-data');
    if (!isValidCsrfToken(request, form.fields._csrf)) {
      throw new ForbiddenException('The form had no valid security token (CSRF)');
    }
    if (!form.file) {
      return this.show(
        principal,
        request,
        reply,
        serviceId,
        period,
        'Choose a file to attach',
        400,
      );
    }
    const file = UploadedFile.judge(
      form.file.bytes,
      form.file.mimeType,
      this.config.EVIDENCE_MAX_BYTES,
    );
    if (!(file instanceof UploadedFile)) {
      return this.show(principal, request, reply, serviceId, period, file.reason, file.status);
    }
    await this.commands.execute(principal, form.fields._formKey || randomUUID(), AttachEvidence, {
      attachedTo: { kind: 'monthly-return', serviceId, period },
      file,
      fileName: form.file.fileName,
      personalData: form.fields.personalData === 'yes' ? {} : null,
    });
    await reply.redirect(`/app/services/${serviceId}/returns/${period}/evidence`, 303);
  }

  private async show(
    principal: Principal,
    request: AuthenticatedRequest,
    reply: FastifyReply,
    serviceId: string,
    period: Period,
    error: string | null,
    status = 200,
  ): Promise<void> {
    const { files } = await this.evidence.list(principal, {
      kind: 'monthly-return',
      serviceId,
      period,
    });
    await this.pages.render(
      request,
      reply,
      'return-evidence.njk',
      {
        serviceId,
        period,
        files: files.map((file) => ({
          evidenceId: file.evidenceId,
          name:
            file.fileName === null
              ? { text: `evidence-${file.evidenceId}`, erased: false }
              : shownText(file.fileName),
          size: sizeInWords(file.size),
          mediaType: file.mediaType,
          personal: file.personalData !== null,
          attachedBy: file.attachedBy,
          attachedOn: file.attachedAt.slice(0, 10),
          sha256: file.sha256,
        })),
        mayAttach: principal.roles.some((role) => ATTACHERS.includes(role)),
        maxSize: sizeInWords(this.config.EVIDENCE_MAX_BYTES),
        error,
        formKey: randomUUID(),
      },
      status,
    );
  }
}
