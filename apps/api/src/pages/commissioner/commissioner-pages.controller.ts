import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import {
  financialQuarterOf,
  LEAGUE_TABLE_READERS,
  londonPeriodOf,
  parseFinancialQuarter,
} from '@kpi/domain';
import {
  ListCareFrameworks,
  ListCarePackages,
  ReadCareFramework,
  ReadLeagueTable,
  ReadProviderPerformance,
} from '@kpi/features/call-off';
import { ReadQuarterlyReturns } from '@kpi/features/provider-returns';
import { Controller, Get, Inject, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import { Queries } from '../../http/buses';
import { IdInPath } from '../../http/path-params';
import { CLOCK } from '../../infrastructure/injection-tokens';
import { PageErrorsFilter } from '../page-errors.filter';
import { PageRenderer } from '../page-renderer';
import { QuarterPageQuery } from './commissioner-pages.query';
import { frameworkPath, kpiRow } from './commissioner-view';

const Council = () => IdInPath('councilId', 'southwark');
const Framework = () => IdInPath('frameworkId', 'care-at-home-2026');
const Provider = () => IdInPath('providerId', 'bright-care');

/**
 * A council's commissioner watching its care-at-home providers: its frameworks → the league
 * table of a quarter → a provider's performance; packages waiting in the rotation; the
 * providers' quarterly returns. Another council's framework is not found (404).
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Roles(...LEAGUE_TABLE_READERS)
@Controller('app')
export class CommissionerPagesController {
  constructor(
    private readonly queries: Queries,
    private readonly pages: PageRenderer,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  /** The quarter asked for, or the one running now (London). */
  private quarterOf(query: QuarterPageQuery): string {
    return query.quarter ?? financialQuarterOf(londonPeriodOf(this.clock()));
  }

  @Get('call-off')
  async frameworks(
    @CurrentPrincipal() principal: Principal,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const frameworks = await this.queries.ask(principal, ListCareFrameworks, {});
    await this.pages.render(request, reply, 'commissioner-frameworks.njk', {
      frameworks: frameworks.map((f) => ({
        ...f,
        path: frameworkPath(principal.tenantId, f.frameworkId),
      })),
    });
  }

  @Get('councils/:councilId/care-frameworks/:frameworkId/league-table')
  async leagueTable(
    @CurrentPrincipal() principal: Principal,
    @Council() councilId: EntityId,
    @Framework() frameworkId: EntityId,
    @Query() query: QuarterPageQuery,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const quarter = this.quarterOf(query);
    const [framework, table] = await Promise.all([
      this.queries.ask(principal, ReadCareFramework, { councilId, frameworkId }),
      this.queries.ask(principal, ReadLeagueTable, {
        councilId,
        frameworkId,
        quarter: parseFinancialQuarter(quarter),
        roles: principal.roles,
      }),
    ]);
    const path = frameworkPath(councilId, frameworkId);
    const inQuarter = `?${new URLSearchParams({ quarter }).toString()}`;
    await this.pages.render(request, reply, 'commissioner-league-table.njk', {
      framework,
      quarter,
      path,
      inQuarter,
      kpiNames: table.providers[0]?.kpis.map((k) => ({ reference: k.reference, name: k.name })),
      providers: table.providers.map((p) => ({
        ...p,
        kpis: p.kpis.map(kpiRow),
        href: `${path}/providers/${encodeURIComponent(p.providerId)}/performance${inQuarter}`,
      })),
    });
  }

  @Get('councils/:councilId/care-frameworks/:frameworkId/providers/:providerId/performance')
  async providerPerformance(
    @CurrentPrincipal() principal: Principal,
    @Council() councilId: EntityId,
    @Framework() frameworkId: EntityId,
    @Provider() providerId: EntityId,
    @Query() query: QuarterPageQuery,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const quarter = this.quarterOf(query);
    const performance = await this.queries.ask(principal, ReadProviderPerformance, {
      councilId,
      frameworkId,
      providerId,
      quarter: parseFinancialQuarter(quarter),
      roles: principal.roles,
    });
    await this.pages.render(request, reply, 'commissioner-performance.njk', {
      performance: { ...performance, kpis: performance.kpis.map(kpiRow) },
      quarter,
      path: frameworkPath(councilId, frameworkId),
      inQuarter: `?${new URLSearchParams({ quarter }).toString()}`,
    });
  }

  @Get('councils/:councilId/care-frameworks/:frameworkId/packages-waiting')
  async packagesWaiting(
    @CurrentPrincipal() principal: Principal,
    @Council() councilId: EntityId,
    @Framework() frameworkId: EntityId,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const [framework, packages] = await Promise.all([
      this.queries.ask(principal, ReadCareFramework, { councilId, frameworkId }),
      this.queries.ask(principal, ListCarePackages, { councilId, frameworkId }),
    ]);
    await this.pages.render(request, reply, 'commissioner-packages.njk', {
      framework,
      path: frameworkPath(councilId, frameworkId),
      waiting: packages.filter((p) => p.status !== 'accepted'),
      placed: packages.filter((p) => p.status === 'accepted').length,
    });
  }

  @Get('councils/:councilId/care-frameworks/:frameworkId/returns')
  async quarterlyReturns(
    @CurrentPrincipal() principal: Principal,
    @Council() councilId: EntityId,
    @Framework() frameworkId: EntityId,
    @Query() query: QuarterPageQuery,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const quarter = this.quarterOf(query);
    const returns = await this.queries.ask(principal, ReadQuarterlyReturns, {
      councilId,
      frameworkId,
      quarter,
    });
    await this.pages.render(request, reply, 'commissioner-returns.njk', {
      returns,
      quarter,
      path: frameworkPath(councilId, frameworkId),
    });
  }
}
