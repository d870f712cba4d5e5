import type { Principal } from '@kpi/auth';
import { PROVIDER_PERFORMANCE_READERS } from '@kpi/domain';
import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { attachment } from '../http/csv';
import { capacityReturnsCsv } from './capacity-returns.csv';
import {
  CapacityReturnsDto,
  CapacityReturnsQuery,
  CouncilFrameworkParams,
  QuarterlyReturnsDto,
  QuarterlyReturnsQuery,
} from './provider-returns.dto';
import { ProviderReturnsReader } from './provider-returns-reader.service';
import {
  DraftFigureDto,
  DraftWorkingDto,
  QuarterlyReturnDraftDto,
} from './quarterly-return-draft.dto';
import { QuarterlyReturnDraftService } from './quarterly-return-draft.service';

const WHO =
  'The council sees every provider on its framework, in rotation order, a provider without a return listed as `missing`; a provider on the framework sees only its own row; anyone else gets 404, as for a framework that does not exist.';

const CSV_EXAMPLE =
  '\uFEFFcouncil_id,framework_id,period,provider_id,status,care_workers,packages,total_hours,average_hours_per_care_worker,estimated_hours_available_next_month,submitted_at,submitted_by,amendments,last_amended_at\r\n' +
  'southwark,care-at-home-2026,2026-05,bryn-care,returned,42,55,812.5,19.3,150,2026-06-03T09:00:00.000Z,user-ola,1,2026-06-05T14:00:00.000Z\r\n' +
  'southwark,care-at-home-2026,2026-05,oak-care,missing,,,,,,,,0,\r\n';

/** The providers' returns as the council (or the provider itself) reads them. */
@ApiTags('provider returns')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...PROVIDER_PERFORMANCE_READERS)
@Controller('councils/:councilId/care-frameworks/:frameworkId')
export class ProviderReturnsQueriesController {
  constructor(
    private readonly reader: ProviderReturnsReader,
    private readonly drafts: QuarterlyReturnDraftService,
  ) {}

  @Get('capacity-returns')
  @ApiOperation({
    summary: "A month's capacity returns on a framework",
    description: `Each provider's figures as last submitted or amended, with when, by whom and how often amended, and the figures of the returns in added up. ${WHO}`,
  })
  @ApiOkResponse({ type: CapacityReturnsDto })
  @ApiProblemResponses(400, 401, 403, 404)
  capacity(
    @CurrentPrincipal() principal: Principal,
    @Param() params: CouncilFrameworkParams,
    @Query() query: CapacityReturnsQuery,
  ): Promise<CapacityReturnsDto> {
    return this.reader.capacity(
      principal.tenantId,
      params.councilId,
      params.frameworkId,
      query.period,
    );
  }

  @Get('capacity-returns.csv')
  @ApiOperation({
    summary: "A month's capacity returns as CSV",
    description: `One row per provider (UTF-8 with a byte-order mark, CRLF, RFC 4180); a missing return has empty figures. ${WHO}`,
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'An attachment: capacity-returns-<council>-<framework>-<period>.csv',
    content: { 'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE } },
  })
  @ApiProblemResponses(400, 401, 403, 404)
  async capacityCsv(
    @CurrentPrincipal() principal: Principal,
    @Param() params: CouncilFrameworkParams,
    @Query() query: CapacityReturnsQuery,
  ): Promise<StreamableFile> {
    const returns = await this.reader.capacity(
      principal.tenantId,
      params.councilId,
      params.frameworkId,
      query.period,
    );
    return new StreamableFile(Buffer.from(capacityReturnsCsv(returns), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: attachment(
        `capacity-returns-${params.councilId}-${params.frameworkId}-${query.period}.csv`,
      ),
    });
  }

  // A literal path of its own, declared before `quarterly-returns` so that nobody adding a
  // `quarterly-returns/:quarterKey` route later captures `draft` as a quarter key.
  @Get('quarterly-returns/draft')
  @ApiOperation({
    summary: "A draft of the provider's quarterly return, worked out from its own records",
    description:
      "For the provider's own token only (a provider on the framework): each quarterly-return KPI's numerator and denominator counted from the provider's records in its own tenant, across all its services — complaints answered within 15 working days, staff turnover, one-to-one supervision and appraisal on the quarter's last day, the Care Certificate within 12 weeks of starting — with where each came from (`source`) and how it was counted (`basis`). KPIs the records do not hold (NVQ / Diploma levels) are null, `not-recorded`, for the provider to type in; `figures` is then the `figures` of POST …/quarterly-returns. Nothing is stored. `provisional` while the quarter has not ended; a quarter not yet started is 400. The council gets 403 (a draft is the provider's working paper; the council reads the returns sent); another council, or a provider not on the framework, 404.",
  })
  @ApiExtraModels(DraftFigureDto, DraftWorkingDto)
  @ApiOkResponse({ type: QuarterlyReturnDraftDto })
  @ApiProblemResponses(400, 401, 403, 404)
  quarterlyDraft(
    @CurrentPrincipal() principal: Principal,
    @Param() params: CouncilFrameworkParams,
    @Query() query: QuarterlyReturnsQuery,
  ): Promise<QuarterlyReturnDraftDto> {
    return this.drafts.draft(principal, params.councilId, params.frameworkId, query.quarter);
  }

  @Get('quarterly-returns')
  @ApiOperation({
    summary: "A quarter's returns on a framework",
    description: `Each provider's numerator and denominator per quarterly-return KPI, as last submitted or amended. ${WHO}`,
  })
  @ApiOkResponse({ type: QuarterlyReturnsDto })
  @ApiProblemResponses(400, 401, 403, 404)
  quarterly(
    @CurrentPrincipal() principal: Principal,
    @Param() params: CouncilFrameworkParams,
    @Query() query: QuarterlyReturnsQuery,
  ): Promise<QuarterlyReturnsDto> {
    return this.reader.quarterly(
      principal.tenantId,
      params.councilId,
      params.frameworkId,
      query.quarter,
    );
  }
}
