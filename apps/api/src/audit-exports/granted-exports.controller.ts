import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import type { AppConfig } from '@kpi/config';
import { GRANT_HOLDERS, NotFoundError } from '@kpi/domain';
import {
  OpenAuditExportBundle,
  ReadAuditExport,
  RequestAuditExport,
} from '@kpi/features/audit-exports';
import { GrantRefusedError, OpenGrant, type OpenedGrant } from '@kpi/features/regulator-grants';
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
import { AccessLog, type AccessSubject } from '../access-log/access-log.service';
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
  RequestGrantedExportBody,
} from './audit-exports.dto';
import { BUNDLE_RESPONSE, bundleDownload, LOCATION } from './export-download';

const GrantInPath = () => IdInPath('grantId', 'grant-3f9a1c0e7b2d4a61');
const ExportInPath = () => IdInPath('exportId', EXPORT_ID_EXAMPLE);

/** The subject of an access-log entry for a request that has no export yet. */
const NEW_EXPORT = 'new-export';

const REFUSALS =
  'Anything the grant does not open — no such grant, a grant to another organisation, revoked, expired, an export not asked for under it by your organisation — is 404, alike, and the attempt goes into the access log.';

/**
 * A regulator's evidence bundles of a grantor's trail under a grant: the grant, never the
 * caller, names the tenant and bounds the scope and period. Every request, download and
 * refusal is written to the access log (the grantor's) first.
 */
@ApiTags('regulator-grants')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...GRANT_HOLDERS)
@Controller('granted/:grantId/exports')
export class GrantedExportsController {
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
    summary: "Ask for an evidence bundle of a grantor's trail, under a grant",
    description: `Queues an export of what the grant opens — or of the services and days named, within it — as a signed bundle. Left out, the period is the grant's, up to its last day that has ended (yesterday at the latest). Answers 202 with the export and its address in \`Location\`. A period or services outside the grant's are 400 naming the field. ${REFUSALS}`,
  })
  @ApiAcceptedResponse({ type: AuditExportAcceptedDto, headers: LOCATION })
  @ApiProblemResponses(400, 401, 403, 404)
  async request(
    @CurrentPrincipal() principal: Principal,
    @GrantInPath() grantId: EntityId,
    @IdempotencyKey() key: string | undefined,
    @Body() body: RequestGrantedExportBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuditExportAcceptedDto> {
    const grant = await this.openGrant(principal, grantId, 'trail to export', {
      subjectId: NEW_EXPORT,
      detail: 'request',
    });
    const accepted = await this.commands.execute(principal, key, RequestAuditExport, {
      underGrant: {
        grantId,
        grantorTenantId: grant.grantorTenantId,
        serviceIds: grant.scope.kind === 'services' ? grant.scope.serviceIds : null,
        period: grant.period,
      },
      serviceIds: body.serviceIds ?? null,
      from: body.from ?? null,
      to: body.to ?? null,
    });
    await this.accessLog.record(
      principal,
      this.subject(grant, { subjectId: accepted.exportId, detail: 'request' }),
      'read',
    );
    void reply.header('Location', `/granted/${grantId}/exports/${accepted.exportId}`);
    return accepted;
  }

  @Get(':exportId')
  @ApiOperation({
    summary: "An export's status, under a grant",
    description: `As GET /audit/exports/{exportId}, for an export your organisation asked for under the grant, while the grant is active. ${REFUSALS}`,
  })
  @ApiOkResponse({ type: AuditExportDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async status(
    @CurrentPrincipal() principal: Principal,
    @GrantInPath() grantId: EntityId,
    @ExportInPath() exportId: EntityId,
  ): Promise<AuditExportDto> {
    const about = { subjectId: exportId, detail: 'status' };
    const grant = await this.openGrant(principal, grantId, `export "${exportId}"`, about);
    return this.refusalsRecorded(principal, grant, about, () =>
      this.queries.ask(principal, ReadAuditExport, { exportId, grantId }),
    );
  }

  @Get(':exportId/bundle')
  @ApiOperation({
    summary: "Download an export's bundle, under a grant",
    description: `The signed .tar.gz, once the export is done (409 before), while the grant is active. Each download goes into the access log. ${REFUSALS}`,
  })
  @ApiProduces('application/gzip')
  @ApiOkResponse(BUNDLE_RESPONSE)
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async bundle(
    @CurrentPrincipal() principal: Principal,
    @GrantInPath() grantId: EntityId,
    @ExportInPath() exportId: EntityId,
  ): Promise<StreamableFile> {
    const about = { subjectId: exportId, detail: 'bundle' };
    const grant = await this.openGrant(principal, grantId, `export "${exportId}"`, about);
    const download = await this.refusalsRecorded(principal, grant, about, async () => {
      const { bundle } = await this.queries.ask(principal, OpenAuditExportBundle, {
        exportId,
        grantId,
      });
      return bundleDownload(this.config, exportId, bundle);
    });
    await this.accessLog.record(principal, this.subject(grant, about), 'read');
    return download;
  }

  /** The grant checked for its holder, or the refusal recorded (in the grantor's log) and thrown. */
  private async openGrant(
    principal: Principal,
    grantId: string,
    what: string,
    about: { subjectId: string; detail: string },
  ): Promise<OpenedGrant> {
    try {
      return await this.queries.ask(principal, OpenGrant, { grantId, what });
    } catch (error) {
      if (error instanceof GrantRefusedError) {
        await this.accessLog.record(
          principal,
          { kind: 'export', ...about, ownerTenantId: error.grantorTenantId, grantId },
          'refused',
        );
      }
      throw error;
    }
  }

  /** Runs `read`; an export not there under the grant for this reader is recorded as refused. */
  private async refusalsRecorded<Result>(
    principal: Principal,
    grant: OpenedGrant,
    about: { subjectId: string; detail: string },
    read: () => Promise<Result>,
  ): Promise<Result> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof NotFoundError) {
        await this.accessLog.record(principal, this.subject(grant, about), 'refused');
      }
      throw error;
    }
  }

  private subject(grant: OpenedGrant, about: { subjectId: string; detail: string }): AccessSubject {
    return {
      kind: 'export',
      ...about,
      ownerTenantId: grant.grantorTenantId,
      grantId: grant.grantId,
    };
  }
}
