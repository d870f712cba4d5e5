import type { Principal } from '@kpi/auth';
import { PROVIDER_PERFORMANCE_READERS } from '@kpi/domain';
import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { attachment } from '../queries/csv';
import { capacityReturnsCsv } from './capacity-returns.csv';
import {
  CapacityReturnsDto,
  CapacityReturnsQuery,
  CouncilFrameworkParams,
  QuarterlyReturnsDto,
  QuarterlyReturnsQuery,
} from './provider-returns.dto';
import { ProviderReturnsReader } from './provider-returns-reader.service';

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
  constructor(private readonly reader: ProviderReturnsReader) {}

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
