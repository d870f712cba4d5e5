import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import {
  financialQuarterOf,
  LEAGUE_TABLE_READERS,
  londonPeriodOf,
  parseFinancialQuarter,
  PROVIDER_NOTIFICATION_ACKNOWLEDGERS,
  type ProviderNotificationKind,
} from '@kpi/domain';
import { ReadCareFramework } from '@kpi/features/call-off';
import {
  AcknowledgeProviderNotification,
  ListHandBackNotices,
  ListProviderNotifications,
  ReadProviderNotificationCounts,
} from '@kpi/features/provider-notices';
import {
  Body,
  Controller,
  Get,
  Inject,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import { Commands, Queries } from '../../http/buses';
import { IdInPath } from '../../http/path-params';
import { IsEntityId } from '../../http/query-params';
import { CLOCK } from '../../infrastructure/injection-tokens';
import { CsrfGuard } from '../csrf.guard';
import { PageErrorsFilter } from '../page-errors.filter';
import { PageRenderer } from '../page-renderer';
import type { FormBody } from '../sign-in/form-text';
import { QuarterPageQuery } from './commissioner-pages.query';
import { frameworkPath } from './commissioner-view';

/** The quarter shown, and the notification just acknowledged (the page after the form). */
class NoticesPageQuery extends QuarterPageQuery {
  @IsOptional()
  @IsEntityId()
  acknowledged?: string;
}

const Council = () => IdInPath('councilId', 'southwark');
const Framework = () => IdInPath('frameworkId', 'care-at-home-2026');

/** The kinds in the words a commissioner reads (seed 004 §72–73). */
const KIND_NAMES: Record<ProviderNotificationKind, string> = {
  'refused-entry': 'Entry refused',
  'hospital-admission': 'Hospital admission',
  'safeguarding-concern': 'Safeguarding concern',
  'missed-call': 'Missed call',
  death: 'Death',
};

/** `2026-04-02T08:30:00.000Z` → `2 Apr 2026, 09:30` (London). */
const londonTime = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/London',
  }).format(new Date(iso));

/**
 * What a framework's providers told the council in a quarter (seed 004 §72–73: counts per
 * provider, each notification, late ones flagged, acknowledged or a button to acknowledge) and
 * the packages they are handing back (§51): docs/decisions/0041.
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Controller('app/councils/:councilId/care-frameworks/:frameworkId/notices')
export class ProviderNoticesPagesController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
    private readonly pages: PageRenderer,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  @Get()
  @Roles(...LEAGUE_TABLE_READERS)
  async notices(
    @CurrentPrincipal() principal: Principal,
    @Council() councilId: EntityId,
    @Framework() frameworkId: EntityId,
    @Query() query: NoticesPageQuery,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const quarter = query.quarter ?? financialQuarterOf(londonPeriodOf(this.clock()));
    const params = { councilId, frameworkId, quarter: parseFinancialQuarter(quarter) };
    const [, counts, list, handBacks] = await Promise.all([
      // Another council's framework, like none, is not found (404), as on the framework's pages.
      this.queries.ask(principal, ReadCareFramework, { councilId, frameworkId }),
      this.queries.ask(principal, ReadProviderNotificationCounts, params),
      this.queries.ask(principal, ListProviderNotifications, params),
      this.queries.ask(principal, ListHandBackNotices, {
        councilId,
        frameworkId,
        pendingOnly: true,
      }),
    ]);
    await this.pages.render(request, reply, 'commissioner-notices.njk', {
      quarter,
      path: frameworkPath(councilId, frameworkId),
      csvHref: `/councils/${encodeURIComponent(councilId)}/provider-notifications/counts.csv?${new URLSearchParams({ quarter }).toString()}`,
      mayAcknowledge: principal.roles.some((r) => PROVIDER_NOTIFICATION_ACKNOWLEDGERS.includes(r)),
      kindNames: KIND_NAMES,
      counts: counts.providers,
      acknowledged: query.acknowledged ?? null,
      notifications: list.notifications.map((n) => ({
        ...n,
        // Just acknowledged by this person: shown so before the read model has caught up.
        justAcknowledged: n.notificationId === query.acknowledged && !n.acknowledgedAt,
        kindName: KIND_NAMES[n.kind],
        occurredText: londonTime(n.occurredAt),
        notifiedText: londonTime(n.notifiedAt),
        dueText: londonTime(n.dueBy),
        acknowledgedText: n.acknowledgedAt ? londonTime(n.acknowledgedAt) : null,
      })),
      handBacks: handBacks.notices.map((h) => ({
        ...h,
        noticeText: londonTime(h.noticeGivenAt),
        handBackText: londonTime(h.handBackAt),
      })),
    });
  }

  @Post(':notificationId/acknowledgement')
  @Roles(...PROVIDER_NOTIFICATION_ACKNOWLEDGERS)
  @UseGuards(CsrfGuard)
  async acknowledge(
    @CurrentPrincipal() principal: Principal,
    @Council() councilId: EntityId,
    @Framework() frameworkId: EntityId,
    @IdInPath('notificationId', '1c9e2f3a-4b5c-8d6e-9f70-8a1b2c3d4e5f') notificationId: EntityId,
    @Query() query: QuarterPageQuery,
    // The form's fields (its CSRF token) are read by the guard; declared so they are allowed.
    @Body() _form: FormBody,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // One acknowledgement per notification and person: a second click replays the first.
    await this.commands.execute(
      principal,
      `acknowledge-${notificationId}`,
      AcknowledgeProviderNotification,
      { councilId, notificationId },
    );
    const back = new URLSearchParams({
      ...(query.quarter ? { quarter: query.quarter } : {}),
      acknowledged: notificationId,
    });
    await reply.redirect(
      `${frameworkPath(councilId, frameworkId)}/notices?${back.toString()}`,
      303,
    );
  }
}
