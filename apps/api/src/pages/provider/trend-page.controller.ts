import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import {
  addMonths,
  InvalidCommandError,
  KPI_READERS,
  londonPeriodOf,
  periodsBetween,
} from '@kpi/domain';
import { ReadKpiGrid } from '@kpi/features/monthly-returns';
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
import { TrendPageQuery } from './trend-page.query';
import { trendView } from './trend-view';

/** How far back the trend reaches: 24 months, ending with the last month that has ended. */
export const TREND_MONTHS = 24;

/** A home's KPI trend over 24 months: an SVG line chart drawn here, the figures in a table. */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Roles(...KPI_READERS)
@Controller('app/services/:serviceId/trend')
export class TrendPageController {
  constructor(
    private readonly queries: Queries,
    private readonly pages: PageRenderer,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  @Get()
  async trend(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @Query() query: TrendPageQuery,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const to = addMonths(londonPeriodOf(this.clock()), -1);
    const from = addMonths(to, 1 - TREND_MONTHS);
    const grid = await this.queries.ask(principal, ReadKpiGrid, { from, to, serviceId });
    const view = trendView(grid, periodsBetween(from, to), query.indicator ?? null);
    if (query.indicator && view.indicator?.code !== query.indicator) {
      throw InvalidCommandError.of(
        'indicator',
        `is not an indicator of this home (${query.indicator})`,
      );
    }
    await this.pages.render(request, reply, 'trend.njk', {
      home: grid.services[0] ?? { serviceId, name: serviceId },
      from,
      to,
      ...view,
    });
  }
}
