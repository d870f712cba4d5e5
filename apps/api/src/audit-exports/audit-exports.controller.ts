import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import type { AppConfig } from '@kpi/config';
import { AUDIT_READERS } from '@kpi/domain';
import {
  OpenAuditExportBundle,
  ReadAuditExport,
  RequestAuditExport,
} from '@kpi/features/audit-exports';
import { Body, Controller, Get, HttpCode, Inject, Post, Res, StreamableFile } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AccessLog } from '../access-log/access-log.service';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Commands, Queries } from '../http/buses';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { IdInPath } from '../http/path-params';
import { APP_CONFIG } from '../infrastructure/injection-tokens';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import {
  AuditExportAcceptedDto,
  AuditExportDto,
  EXPORT_ID_EXAMPLE,
  RequestAuditExportBody,
} from './audit-exports.dto';
import { BUNDLE_RESPONSE, bundleDownload, LOCATION } from './export-download';

const ExportInPath = () => IdInPath('exportId', EXPORT_ID_EXAMPLE);
/**
 * An organisation's evidence bundles of its own trail: asked for here, written by the worker's
 * export job, downloaded once done. Each request and download goes into the access log.
 */
@ApiTags('audit')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...AUDIT_READERS)
@Controller('audit/exports')
export class AuditExportsController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
    private readonly accessLog: AccessLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Ask for an evidence bundle of your trail',
    description:
      "Queues an export of your organisation's events recorded on the days from `from` to `to` (London; `to` included, and ended: yesterday at the latest), all of it or the streams of the services named, as a signed bundle (docs/audit-trail.md, Exports). Answers 202 with the export and its address in `Location`; poll it until `done`. A service that is not yours is 404 naming it.",
  })
  @ApiAcceptedResponse({ type: AuditExportAcceptedDto, headers: LOCATION })
  @ApiProblemResponses(400, 401, 403, 404)
  async request(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() body: RequestAuditExportBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuditExportAcceptedDto> {
    const accepted = await this.commands.execute(principal, key, RequestAuditExport, {
      underGrant: null,
      serviceIds: body.serviceIds ?? null,
      from: body.from,
      to: body.to,
    });
    await this.accessLog.record(
      principal,
      {
        kind: 'export',
        subjectId: accepted.exportId,
        ownerTenantId: principal.tenantId,
        detail: 'request',
      },
      'read',
    );
    void reply.header('Location', `/audit/exports/${accepted.exportId}`);
    return accepted;
  }

  @Get(':exportId')
  @ApiOperation({
    summary: "An export's status",
    description:
      'Queued, running (with events done of the total), done (with the bundle: its SHA-256, size and Merkle root) or failed (with the reason). Only exports your organisation asked for: any other is 404.',
  })
  @ApiOkResponse({ type: AuditExportDto })
  @ApiProblemResponses(400, 401, 403, 404)
  status(
    @CurrentPrincipal() principal: Principal,
    @ExportInPath() exportId: EntityId,
  ): Promise<AuditExportDto> {
    return this.queries.ask(principal, ReadAuditExport, { exportId, grantId: null });
  }

  @Get(':exportId/bundle')
  @ApiOperation({
    summary: "Download an export's bundle",
    description:
      'The signed .tar.gz, once the export is done (409 before). Each download goes into the access log.',
  })
  @ApiProduces('application/gzip')
  @ApiOkResponse(BUNDLE_RESPONSE)
  @ApiProblemResponses(400, 401, 403, 404, 409)
  bundle(
    @CurrentPrincipal() principal: Principal,
    @ExportInPath() exportId: EntityId,
  ): Promise<StreamableFile> {
    return this.accessLog.recorded(
      principal,
      { kind: 'export', subjectId: exportId, ownerTenantId: principal.tenantId, detail: 'bundle' },
      async () => {
        const { bundle } = await this.queries.ask(principal, OpenAuditExportBundle, {
          exportId,
          grantId: null,
        });
        return bundleDownload(this.config, exportId, bundle);
      },
    );
  }
}
