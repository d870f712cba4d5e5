import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import { CAPABILITY_READERS, OWN_CAPABILITY_RECORD_READERS } from '@kpi/domain';
import {
  ReadCapabilityTimeline,
  ReadCapabilityWhy,
  ReadStagesByRegion,
} from '@kpi/features/capability';
import { NamePeople } from '@kpi/features/accounts';
import { ListRegions } from '@kpi/features/organisation';
import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import { EntryIdInPath } from '../../capability/capability-path-params';
import { asOfInstant } from '../../capability/capability.query';
import {
  capabilityRecordRead,
  refuseUnlessMayReadRecordOf,
} from '../../capability/capability-record-access';
import { AccessLog } from '../../access-log/access-log.service';
import { Queries } from '../../http/buses';
import { IdInPath } from '../../http/path-params';
import { PageErrorsFilter } from '../page-errors.filter';
import { PageRenderer } from '../page-renderer';
import { peopleIn, timelineView, whyView } from './capability-view';
import { AsOfPageQuery, StagesPageQuery } from './hr-pages.query';

const Manager = () => IdInPath('managerId', 'mgr-siwan');

/**
 * HR's way through the capability procedure: managers by stage per region → a manager's
 * timeline (as of any date) → why an entry, with the chain-verified mark and the event ids.
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Roles(...CAPABILITY_READERS)
@Controller('app/capability')
export class HrPagesController {
  constructor(
    private readonly queries: Queries,
    private readonly pages: PageRenderer,
    private readonly accessLog: AccessLog,
  ) {}

  @Get()
  async stagesByRegion(
    @CurrentPrincipal() principal: Principal,
    @Query() query: StagesPageQuery,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const [regions, stages] = await Promise.all([
      this.queries.ask(principal, ListRegions, {}),
      this.queries.ask(
        principal,
        ReadStagesByRegion,
        query.regionId ? { regionId: query.regionId } : {},
      ),
    ]);
    await this.pages.render(request, reply, 'hr-stages.njk', {
      regionId: query.regionId ?? '',
      regionChoices: regions.map(({ regionId, name }) => ({ value: regionId, text: name })),
      regions: stages.regions,
    });
  }

  @Get('managers/:managerId/timeline')
  @Roles(...CAPABILITY_READERS, ...OWN_CAPABILITY_RECORD_READERS)
  async timeline(
    @CurrentPrincipal() principal: Principal,
    @Manager() managerId: EntityId,
    @Query() query: AsOfPageQuery,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const timeline = await this.accessLog.recorded(
      principal,
      capabilityRecordRead(principal, managerId, 'timeline page'),
      async () => {
        refuseUnlessMayReadRecordOf(principal, managerId);
        return this.queries.ask(principal, ReadCapabilityTimeline, {
          managerId,
          asOf: asOfInstant(query.asOf),
        });
      },
    );
    await this.pages.render(request, reply, 'hr-timeline.njk', {
      asOf: query.asOf ?? '',
      timeline: timelineView(timeline, query.asOf),
      canReadEveryRecord: principal.roles.some((role) => CAPABILITY_READERS.includes(role)),
    });
  }

  @Get('managers/:managerId/timeline/:entryId/why')
  @Roles(...CAPABILITY_READERS, ...OWN_CAPABILITY_RECORD_READERS)
  async why(
    @CurrentPrincipal() principal: Principal,
    @Manager() managerId: EntityId,
    @EntryIdInPath() entryId: string,
    @Query() query: AsOfPageQuery,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const why = await this.accessLog.recorded(
      principal,
      capabilityRecordRead(principal, managerId, `why page ${entryId}`),
      async () => {
        refuseUnlessMayReadRecordOf(principal, managerId);
        return this.queries.ask(principal, ReadCapabilityWhy, {
          managerId,
          entryId,
          asOf: asOfInstant(query.asOf),
          verify: true,
        });
      },
    );
    const names = await this.queries.ask(principal, NamePeople, { userIds: peopleIn(why) });
    await this.pages.render(request, reply, 'hr-why.njk', {
      asOf: query.asOf ?? '',
      why: whyView(why, query.asOf, names),
    });
  }
}
