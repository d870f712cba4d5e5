import { ErasedTextDto } from '../complaints/complaint-details.dto';
import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import { londonDateOf, PROVIDER_PERFORMANCE_READERS } from '@kpi/domain';
import {
  ReadCapacityReturns,
  ReadQuarterlyReturnDraft,
  ReadQuarterlyReturns,
} from '@kpi/features/provider-returns';
import { Controller, ForbiddenException, Get, Inject, Query, StreamableFile } from '@nestjs/common';
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
import { Queries } from '../http/buses';
import { attachment } from '../http/csv';
import { IdInPath } from '../http/path-params';
import { CLOCK } from '../infrastructure/injection-tokens';
import { capacityReturnsCsv } from './capacity-returns.csv';
import {
  CapacityReturnsDto,
  CapacityReturnsQuery,
  QuarterlyReturnsDto,
  QuarterlyReturnsQuery,
} from './provider-returns.dto';
import {
  DraftFigureDto,
  DraftWorkingDto,
  QuarterlyReturnDraftDto,
} from './quarterly-return-draft.dto';

const WHO =
  'The council sees every provider on its framework, in rotation order, a provider without a return listed as `missing`; a provider on the framework sees only its own row; anyone else gets 404, as for a framework that does not exist.';

const CSV_EXAMPLE =
  '\uFEFFcouncil_id,framework_id,period,provider_id,status,care_workers,packages,total_hours,average_hours_per_care_worker,estimated_hours_available_next_month,submitted_at,submitted_by,amendments,last_amended_at\r\n' +
  'southwark,care-at-home-2026,2026-05,bryn-care,returned,42,55,812.5,19.3,150,2026-06-03T09:00:00.000Z,user-ola,1,2026-06-05T14:00:00.000Z\r\n' +
  'southwark,care-at-home-2026,2026-05,oak-care,missing,,,,,,,,0,\r\n';

/** The providers' returns as the council (or the provider itself) reads them. */
@ApiTags('provider returns')
@ApiExtraModels(ErasedTextDto)
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...PROVIDER_PERFORMANCE_READERS)
@Controller('councils/:councilId/care-frameworks/:frameworkId')
export class ProviderReturnsQueriesController {
  constructor(
    private readonly queries: Queries,
    @Inject(CLOCK) private readonly clock: () => Date,
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
    @IdInPath('councilId', 'southwark') councilId: EntityId,
    @IdInPath('frameworkId', 'care-at-home-2026') frameworkId: EntityId,
    @Query() query: CapacityReturnsQuery,
  ): Promise<CapacityReturnsDto> {
    return this.queries.ask(principal, ReadCapacityReturns, {
      councilId,
      frameworkId,
      period: query.period,
    });
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
    @IdInPath('councilId', 'southwark') councilId: EntityId,
    @IdInPath('frameworkId', 'care-at-home-2026') frameworkId: EntityId,
    @Query() query: CapacityReturnsQuery,
  ): Promise<StreamableFile> {
    const returns = await this.queries.ask(principal, ReadCapacityReturns, {
      councilId,
      frameworkId,
      period: query.period,
    });
    return new StreamableFile(Buffer.from(capacityReturnsCsv(returns), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: attachment(`capacity-returns-${councilId}-${frameworkId}-${query.period}.csv`),
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
    @IdInPath('councilId', 'southwark') councilId: EntityId,
    @IdInPath('frameworkId', 'care-at-home-2026') frameworkId: EntityId,
    @Query() query: QuarterlyReturnsQuery,
  ): Promise<QuarterlyReturnDraftDto> {
    // Before anything is read: the council reads the returns sent, it does not draft them.
    if (principal.tenantId === councilId)
      throw new ForbiddenException(
        `A draft return is the working paper of a provider on ${councilId}'s framework, drawn up with the provider's own token; the council reads the returns sent`,
      );
    return this.queries.ask(principal, ReadQuarterlyReturnDraft, {
      councilId,
      frameworkId,
      quarter: query.quarter,
      today: londonDateOf(this.clock()),
    });
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
    @IdInPath('councilId', 'southwark') councilId: EntityId,
    @IdInPath('frameworkId', 'care-at-home-2026') frameworkId: EntityId,
    @Query() query: QuarterlyReturnsQuery,
  ): Promise<QuarterlyReturnsDto> {
    return this.queries.ask(principal, ReadQuarterlyReturns, {
      councilId,
      frameworkId,
      quarter: query.quarter,
    });
  }
}
