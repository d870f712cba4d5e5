import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import {
  LEAGUE_TABLE_READERS,
  parseFinancialQuarter,
  PROVIDER_PERFORMANCE_READERS,
} from '@kpi/domain';
import {
  ListCarePackages,
  ReadCareFramework,
  ReadCarePackage,
  ReadLeagueTable,
  ReadProviderPerformance,
  type FrameworkQuarterParams,
} from '@kpi/features/call-off';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { Queries } from '../http/buses';
import { attachment } from '../http/csv';
import { IdInPath } from '../http/path-params';
import { CareFrameworkViewDto } from './care-frameworks.dto';
import { CarePackageViewDto } from './care-packages.dto';
import { leagueTableCsv } from './league-table.csv';
import { LeagueTableDto, ProviderPerformanceDto, QuarterQuery } from './provider-performance.dto';

const Council = () => IdInPath('councilId', 'southwark');
const Framework = () => IdInPath('frameworkId', 'care-at-home-2026');
const Package = () => IdInPath('packageId', 'pkg-2026-0117');
const Provider = () => IdInPath('providerId', 'bright-care');

/** A framework's quarter as `principal` asks for it (the quarter was checked by QuarterQuery). */
const quarterOf = (
  principal: Principal,
  councilId: EntityId,
  frameworkId: EntityId,
  { quarter }: QuarterQuery,
): FrameworkQuarterParams => ({
  councilId,
  frameworkId,
  quarter: parseFinancialQuarter(quarter),
  roles: principal.roles,
});

/**
 * What commissioners and providers read of the call-off: packages, each provider's performance
 * per quarter and the league table. The council sees all its providers; a provider only itself;
 * a provider of another council, or one not on the framework, nothing (404).
 */
@ApiTags('call-off')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...PROVIDER_PERFORMANCE_READERS)
@Controller('councils/:councilId')
export class CallOffQueriesController {
  constructor(private readonly queries: Queries) {}

  @Get('care-frameworks/:frameworkId')
  @ApiOperation({
    summary: 'The framework: contract start and year, the providers in rotation order',
    description:
      'The council sees the whole rotation, how many packages were referred and whose first refusal the next one is (as of the read model, moments behind); a provider on it sees its name, contract dates and itself.',
  })
  @ApiOkResponse({ type: CareFrameworkViewDto })
  @ApiProblemResponses(400, 401, 403, 404)
  framework(
    @CurrentPrincipal() principal: Principal,
    @Council() councilId: EntityId,
    @Framework() frameworkId: EntityId,
  ): Promise<CareFrameworkViewDto> {
    return this.queries.ask(principal, ReadCareFramework, { councilId, frameworkId });
  }

  @Get('care-frameworks/:frameworkId/packages')
  @ApiOperation({
    summary:
      'Packages of the framework (the council: all; a provider: those offered to it now or placed with it)',
    description:
      'Newest first, at most 500. The offer shown is the one standing now: a window that has closed has moved on.',
  })
  @ApiOkResponse({ type: [CarePackageViewDto] })
  @ApiProblemResponses(400, 401, 403, 404)
  list(
    @CurrentPrincipal() principal: Principal,
    @Council() councilId: EntityId,
    @Framework() frameworkId: EntityId,
  ): Promise<CarePackageViewDto[]> {
    return this.queries.ask(principal, ListCarePackages, { councilId, frameworkId });
  }

  @Get('care-packages/:packageId')
  @ApiOperation({
    summary: 'One package',
    description:
      'A provider sees a package only while it is offered to it or once it is placed with it, and never who else it was offered to.',
  })
  @ApiOkResponse({ type: CarePackageViewDto })
  @ApiProblemResponses(400, 401, 403, 404)
  get(
    @CurrentPrincipal() principal: Principal,
    @Council() councilId: EntityId,
    @Package() packageId: EntityId,
  ): Promise<CarePackageViewDto> {
    return this.queries.ask(principal, ReadCarePackage, { councilId, packageId });
  }

  @Get('care-frameworks/:frameworkId/providers/:providerId/performance')
  @ApiOperation({
    summary: "A provider's performance in a quarter",
    description:
      'Each KPI of the contract with its value, the target for the quarter’s contract year (acceptance notified within 4 hours: 95 / 96 / 97 / 99 %; NVQ / Diploma: 20 / 25 / 30 %) and its RAG — green met, red missed, grey without data. Call-off KPIs are counted from the packages (an offer or deadline still running is `pending`); the others come from the provider’s quarterly return (grey until it is in).',
  })
  @ApiOkResponse({ type: ProviderPerformanceDto })
  @ApiProblemResponses(400, 401, 403, 404)
  providerPerformance(
    @CurrentPrincipal() principal: Principal,
    @Council() councilId: EntityId,
    @Framework() frameworkId: EntityId,
    @Provider() providerId: EntityId,
    @Query() query: QuarterQuery,
  ): Promise<ProviderPerformanceDto> {
    return this.queries.ask(principal, ReadProviderPerformance, {
      ...quarterOf(principal, councilId, frameworkId, query),
      providerId,
    });
  }

  @Get('care-frameworks/:frameworkId/league-table')
  @Roles(...LEAGUE_TABLE_READERS)
  @ApiOperation({
    summary: 'The league table of the framework’s providers for a quarter (the council only)',
    description:
      'Ranked by KPIs met, then fewest missed; providers level on both share a rank. A provider on the framework gets 403.',
  })
  @ApiOkResponse({ type: LeagueTableDto })
  @ApiProblemResponses(400, 401, 403, 404)
  leagueTable(
    @CurrentPrincipal() principal: Principal,
    @Council() councilId: EntityId,
    @Framework() frameworkId: EntityId,
    @Query() query: QuarterQuery,
  ): Promise<LeagueTableDto> {
    return this.queries.ask(
      principal,
      ReadLeagueTable,
      quarterOf(principal, councilId, frameworkId, query),
    );
  }

  @Get('care-frameworks/:frameworkId/league-table.csv')
  @Roles(...LEAGUE_TABLE_READERS)
  @ApiOperation({
    summary: 'The league table as CSV (a row per provider, value / target / RAG per KPI)',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'An attachment: league-table-<framework>-<quarter>.csv',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiProblemResponses(400, 401, 403, 404)
  async leagueTableCsv(
    @CurrentPrincipal() principal: Principal,
    @Council() councilId: EntityId,
    @Framework() frameworkId: EntityId,
    @Query() query: QuarterQuery,
  ): Promise<StreamableFile> {
    const table = await this.queries.ask(
      principal,
      ReadLeagueTable,
      quarterOf(principal, councilId, frameworkId, query),
    );
    return new StreamableFile(Buffer.from(leagueTableCsv(table), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: attachment(`league-table-${frameworkId}-${query.quarter.replace(' ', '-')}.csv`),
    });
  }
}
