import type { Principal } from '@kpi/auth';
import {
  addMonths,
  KPI_READERS,
  londonDateOf,
  londonPeriodOf,
  periodsBetween,
  RETURN_SUBMITTERS,
  type Period,
} from '@kpi/domain';
import { ReadKpiGrid, ReadReturnsDue } from '@kpi/features/monthly-returns';
import { ListRegions } from '@kpi/features/organisation';
import { Controller, Get, Inject, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import { Queries } from '../../http/buses';
import { CLOCK } from '../../infrastructure/injection-tokens';
import { PageErrorsFilter } from '../page-errors.filter';
import { PageRenderer } from '../page-renderer';
import { kpiGridView, RAG_LABELS } from './kpi-grid-view';
import { KpiGridPageQuery } from './kpi-pages.query';

/** Months the grid shows when the address names none: the last six that have ended. */
const DEFAULT_MONTHS = 6;

/** A provider's KPI grid and the returns it still owes, read by the API's own queries. */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Roles(...KPI_READERS)
@Controller('app')
export class KpiPagesController {
  constructor(
    private readonly queries: Queries,
    private readonly pages: PageRenderer,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  @Get('kpi-grid')
  async grid(
    @CurrentPrincipal() principal: Principal,
    @Query() query: KpiGridPageQuery,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const lastEnded = addMonths(londonPeriodOf(this.clock()), -1);
    const to = query.to ?? (query.from && query.from > lastEnded ? query.from : lastEnded);
    const from = query.from ?? (addMonths(to, 1 - DEFAULT_MONTHS) as Period);
    const span = { from, to, regionId: query.regionId };
    const [grid, regions] = await Promise.all([
      this.queries.ask(principal, ReadKpiGrid, span),
      this.queries.ask(principal, ListRegions, {}),
    ]);
    const downloads = new URLSearchParams({
      from,
      to,
      ...(span.regionId ? { regionId: span.regionId } : {}),
    });
    const notified = grid.services.find((s) => s.serviceId === query.serviceId);
    await this.pages.render(request, reply, 'kpi-grid.njk', {
      span,
      regionChoices: regions.map(({ regionId, name }) => ({ value: regionId, text: name })),
      regionName: regions.find(({ regionId }) => regionId === span.regionId)?.name ?? null,
      grid: kpiGridView(grid, periodsBetween(from, to)),
      ragLabels: Object.values(RAG_LABELS),
      downloads: downloads.toString(),
      canSubmit: principal.roles.some((role) => RETURN_SUBMITTERS.includes(role)),
      notice: query.notice
        ? { kind: query.notice, home: notified?.name ?? query.serviceId, period: query.period }
        : null,
    });
  }

  @Get('returns-due')
  async returnsDue(
    @CurrentPrincipal() principal: Principal,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const due = await this.queries.ask(principal, ReadReturnsDue, {
      asOf: londonDateOf(this.clock()),
    });
    await this.pages.render(request, reply, 'returns-due.njk', {
      due,
      canSubmit: principal.roles.some((role) => RETURN_SUBMITTERS.includes(role)),
    });
  }
}
