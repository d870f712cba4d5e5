import type { Principal } from '@kpi/auth';
import {
  addMonths,
  COMMENTARY_WRITERS,
  financialQuarterOf,
  financialYearOf,
  KPI_READERS,
  londonPeriodOf,
} from '@kpi/domain';
import { ReadBusinessPlanReport, ReadQuarterlyReport } from '@kpi/features/monthly-returns';
import { Controller, Get, Inject, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import { Queries } from '../../http/buses';
import { CLOCK } from '../../infrastructure/injection-tokens';
import { PageErrorsFilter } from '../page-errors.filter';
import { PageRenderer } from '../page-renderer';
import {
  BusinessPlanPageQuery,
  QuarterlyReportPageQuery,
  SERVICES_PER_PAGE,
} from './council-pages.query';
import { businessPlanView, quarterlyReportView } from './council-reports-view';

/** The quarters a picker offers: the last eight ended, newest first. */
const QUARTERS_OFFERED = 8;

/**
 * The council performance officer's reports: the quarterly report and the business plan,
 * read by the API's own queries (ReadQuarterlyReport, ReadBusinessPlanReport).
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Roles(...KPI_READERS)
@Controller('app/reports')
export class CouncilPagesController {
  constructor(
    private readonly queries: Queries,
    private readonly pages: PageRenderer,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  @Get('quarterly')
  async quarterly(
    @CurrentPrincipal() principal: Principal,
    @Query() query: QuarterlyReportPageQuery,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const offered = this.lastEndedQuarters();
    const quarter = query.quarter ?? offered[0]!;
    const offset = query.offset ?? 0;
    const report = await this.queries.ask(principal, ReadQuarterlyReport, {
      quarter,
      regionId: query.regionId,
      detail: query.detail,
      limit: SERVICES_PER_PAGE,
      offset,
    });
    const address = (changes: Record<string, string | number | undefined>) => {
      const params = { quarter, regionId: query.regionId, detail: query.detail, ...changes };
      const defined = Object.entries(params).filter(([, v]) => v !== undefined && v !== '');
      return `/app/reports/quarterly?${new URLSearchParams(defined.map(([k, v]): [string, string] => [k, String(v)]))}`;
    };
    const downloads = new URLSearchParams({
      quarter,
      ...(query.regionId ? { regionId: query.regionId } : {}),
    }).toString();
    await this.pages.render(request, reply, 'council-quarterly.njk', {
      quarter,
      regionId: query.regionId,
      detail: query.detail === 'months',
      quarters: offered.includes(quarter) ? offered : [quarter, ...offered],
      report: quarterlyReportView(report),
      paging: {
        first: offset + 1,
        last: offset + report.services.length,
        of: report.serviceCount,
        previous: offset > 0 ? address({ offset: Math.max(0, offset - SERVICES_PER_PAGE) }) : null,
        next: report.nextOffset !== null ? address({ offset: report.nextOffset }) : null,
      },
      canComment: principal.roles.some((role) => COMMENTARY_WRITERS.includes(role)),
      toggleMonths: address({
        detail: query.detail === 'months' ? undefined : 'months',
        offset: offset || undefined,
      }),
      downloads,
    });
  }

  @Get('business-plan')
  async businessPlan(
    @CurrentPrincipal() principal: Principal,
    @Query() query: BusinessPlanPageQuery,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const year = query.year ?? financialYearOf(londonPeriodOf(this.clock())).name;
    const report = await this.queries.ask(principal, ReadBusinessPlanReport, {
      year,
      regionId: query.regionId,
    });
    const downloads = new URLSearchParams({
      year,
      ...(query.regionId ? { regionId: query.regionId } : {}),
    }).toString();
    await this.pages.render(request, reply, 'council-business-plan.njk', {
      year: report.year,
      regionId: query.regionId,
      serviceCount: report.services.length,
      indicators: businessPlanView(report),
      downloads,
    });
  }

  /** The last ended quarters, newest first (`2026-27 Q1`, `2025-26 Q4`, …). */
  private lastEndedQuarters(): string[] {
    const thisQuarter = financialQuarterOf(londonPeriodOf(this.clock()));
    const quarters: string[] = [];
    for (let back = 1; quarters.length < QUARTERS_OFFERED; back++) {
      const quarter = financialQuarterOf(addMonths(londonPeriodOf(this.clock()), -back));
      if (quarter !== thisQuarter && !quarters.includes(quarter)) quarters.push(quarter);
    }
    return quarters;
  }
}
