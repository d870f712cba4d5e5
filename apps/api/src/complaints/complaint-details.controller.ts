import type { EntityId } from '@kpi/command-handling';
import type { Principal } from '@kpi/auth';
import { COMPLAINT_READERS, parseFinancialQuarter } from '@kpi/domain';
import { ListComplaints, ReadComplaint } from '@kpi/features/complaints';
import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AccessLog } from '../access-log/access-log.service';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { Queries } from '../http/buses';
import { IdInPath } from '../http/path-params';
import {
  ComplaintDto,
  ComplaintListDto,
  ComplaintsQuery,
  ErasedTextDto,
} from './complaint-details.dto';

/**
 * Complaints with their texts, for the tenant's managers, inspectors and data-protection
 * officer. The texts that can name people are kept apart from the event log, encrypted per
 * complainant (docs/audit-trail.md#personal-data-and-erasure): once the complainant is erased,
 * each reads `{ erasedOn }`. Every read (and every refused one) is in the access log.
 */
@ApiTags('complaints')
@ApiBearerAuth(BEARER_SCHEME)
@ApiExtraModels(ErasedTextDto)
@Roles(...COMPLAINT_READERS)
@Controller('complaints')
export class ComplaintDetailsController {
  constructor(
    private readonly queries: Queries,
    private readonly accessLog: AccessLog,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The complaints received in a quarter, with their texts',
    description:
      'Of every service, or of one (`serviceId`): each with its dates, the complainant’s data subject id and the texts — or `{ erasedOn }` where the complainant was erased. 404 when the service is not the organisation’s.',
  })
  @ApiOkResponse({ type: ComplaintListDto })
  @ApiProblemResponses(400, 401, 403, 404)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() { quarter, serviceId }: ComplaintsQuery,
  ): Promise<ComplaintListDto> {
    return this.accessLog.recorded(
      principal,
      {
        kind: 'complaint',
        subjectId: serviceId ? `complaints of ${serviceId}` : 'complaints',
        ownerTenantId: principal.tenantId,
        detail: `list ${quarter}`,
      },
      () =>
        this.queries.ask(principal, ListComplaints, {
          quarter: parseFinancialQuarter(quarter),
          serviceId,
        }),
    );
  }

  @Get(':complaintId')
  @ApiOperation({
    summary: 'One complaint, with its texts',
    description:
      'Its dates, the complainant’s data subject id (what a data-protection officer erases), the summary, the complainant’s name and contact and the response — each text, or `{ erasedOn }` once the complainant was erased. Another organisation’s complaint, like one that does not exist, is 404.',
  })
  @ApiOkResponse({ type: ComplaintDto })
  @ApiProblemResponses(400, 401, 403, 404)
  one(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('complaintId', 'cmp-2026-0042') complaintId: EntityId,
  ): Promise<ComplaintDto> {
    return this.accessLog.recorded(
      principal,
      { kind: 'complaint', subjectId: complaintId, ownerTenantId: principal.tenantId },
      () => this.queries.ask(principal, ReadComplaint, { complaintId }),
    );
  }
}
