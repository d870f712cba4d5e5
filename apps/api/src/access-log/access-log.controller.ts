import type { Principal } from '@kpi/auth';
import { ACCESS_LOG_READERS, REGULATOR_GRANTORS } from '@kpi/domain';
import {
  ReadAccessLog,
  type AccessLogPage,
  type AccessLogParams,
  type AccessLogSide,
} from '@kpi/features/access-log';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Queries } from '../http/buses';
import { attachment, csvDocument } from '../http/csv';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { AccessLogPageDto, AccessLogQuery, DEFAULT_ACCESS_LOG_LIMIT } from './access-log.dto';

const CSV_HEADER = [
  'entry_id',
  'at',
  'owner_tenant_id',
  'reader_tenant_id',
  'reader_user_id',
  'reader_roles',
  'kind',
  'subject_id',
  'detail',
  'grant_id',
  'outcome',
  'request_id',
] as const;

const CSV_EXAMPLE =
  `\uFEFF${CSV_HEADER.join(',')}\r\n` +
  '10412,2026-05-12T09:30:12.345Z,acme,ofsted,acc-9d2f4b1c7e3a5d60,regulator,audit-trail,acme:monthly-return:ty-gwyn:2026-04,events,grant-3f9a1c0e7b2d4a61,read,6c1f0c1e-6f4e-4b8a-9a59-2f4f3f0b8a11\r\n';

const DESCRIPTION =
  "Newest first. An organisation's `admin` and `provider-admin` see every read of its data — by its own people and by regulators under its grants — and every refused attempt (403, or 404 for what the reader may not see, such as a read under a grant that is revoked, expired, or made to someone else). A `regulator` sees the reads its own people made under grants to its organisation. Filters: `subjectId`, `kind`, `grantId`, `outcome`, `from`/`to` (days, Europe/London); paged by `limit` and `offset`.";

/** Who read a person's records, audit data or an export, when, under which grant. */
@ApiTags('access-log')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...ACCESS_LOG_READERS)
@Controller()
export class AccessLogController {
  constructor(private readonly queries: Queries) {}

  @Get('access-log')
  @ApiOperation({ summary: 'The access log', description: DESCRIPTION })
  @ApiOkResponse({ type: AccessLogPageDto })
  @ApiProblemResponses(400, 401, 403)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AccessLogQuery,
  ): Promise<AccessLogPageDto> {
    return this.page(principal, query);
  }

  @Get('access-log.csv')
  @ApiOperation({
    summary: 'The access log as CSV',
    description: `${DESCRIPTION} One row per entry (UTF-8 with a byte-order mark, CRLF, RFC 4180); roles separated by spaces.`,
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'An attachment: access-log-<tenant>.csv',
    content: { 'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE } },
  })
  @ApiProblemResponses(400, 401, 403)
  async csv(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AccessLogQuery,
  ): Promise<StreamableFile> {
    const { entries } = await this.page(principal, query);
    const rows = entries.map((entry) => [
      entry.entryId,
      entry.at,
      entry.ownerTenantId,
      entry.readerTenantId,
      entry.readerUserId,
      entry.readerRoles.join(' '),
      entry.kind,
      entry.subjectId,
      entry.detail,
      entry.grantId,
      entry.outcome,
      entry.requestId,
    ]);
    return new StreamableFile(Buffer.from(csvDocument(CSV_HEADER, rows), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: attachment(`access-log-${principal.tenantId}.csv`),
    });
  }

  private page(principal: Principal, query: AccessLogQuery): Promise<AccessLogPage> {
    const params: AccessLogParams = {
      sides: sidesOf(principal),
      subjectId: query.subjectId,
      kind: query.kind,
      grantId: query.grantId,
      outcome: query.outcome,
      from: query.from,
      to: query.to,
      limit: query.limit ?? DEFAULT_ACCESS_LOG_LIMIT,
      offset: query.offset ?? 0,
    };
    return this.queries.ask(principal, ReadAccessLog, params);
  }
}

/**
 * What the caller's roles show: an organisation's admins the reads of its data and those of its
 * people under grants; a regulator only the reads of its people under grants.
 */
function sidesOf(principal: Principal): AccessLogSide[] {
  return principal.roles.some((role) => REGULATOR_GRANTORS.includes(role))
    ? ['owner', 'grant-holder']
    : ['grant-holder'];
}
