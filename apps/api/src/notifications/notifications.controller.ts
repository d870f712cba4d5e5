import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import { NOTIFICATION_BOUNCE_READERS } from '@kpi/domain';
import {
  ClearBounce,
  INBOX_SIZE,
  ListBounces,
  MarkNotificationsRead,
  ReadMyNotifications,
  SetNotificationPreference,
} from '@kpi/features/notifications';
import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Commands, Queries } from '../http/buses';
import { IdInPath } from '../http/path-params';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import {
  BounceClearedDto,
  BounceDto,
  InboxDto,
  MarkNotificationsReadBody,
  NotificationPreferenceBody,
  NotificationPreferenceDto,
  NotificationsReadDto,
} from './notifications.dto';

/**
 * Notifications that reach people (docs/decisions/0036): the signed-in person's own, how they
 * want them emailed, marking them read; the admin's bounced addresses.
 */
@ApiTags('notifications')
@ApiBearerAuth(BEARER_SCHEME)
@Controller()
export class NotificationsController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
  ) {}

  @Get('me/notifications')
  @ApiOperation({
    summary: 'Your notifications, newest first',
    description: `What the system told you (returns due and overdue, a Stage 3 review due, an action overdue, a complaint's response due, a package offered, a provider's notification or hand-back notice to the council): the newest ${INBOX_SIZE}, how many are unread, whether each was emailed, and how you receive them. Each reaches you once, whatever number of rules matched.`,
  })
  @ApiOkResponse({ type: InboxDto })
  @ApiProblemResponses(401)
  mine(@CurrentPrincipal() principal: Principal): Promise<InboxDto> {
    return this.queries.ask(principal, ReadMyNotifications, {
      accountId: principal.userId,
      limit: INBOX_SIZE,
    });
  }

  @Put('me/notification-preference')
  @ApiOperation({
    summary: 'Choose how you receive notifications by email',
    description:
      '`immediate` (the default) or `daily-digest`: one email at 07:00 (London) listing the notifications of the day before. It applies to notifications made from now on.',
  })
  @ApiOkResponse({ type: NotificationPreferenceDto })
  @ApiProblemResponses(400, 401)
  setPreference(
    @CurrentPrincipal() principal: Principal,
    @Body() { mode }: NotificationPreferenceBody,
  ): Promise<NotificationPreferenceDto> {
    return this.commands.execute(principal, undefined, SetNotificationPreference, { mode });
  }

  @Post('me/notifications/read')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mark notifications of yours read',
    description: 'Those named, or (no `notificationIds`) all of yours. Ids not yours are ignored.',
  })
  @ApiOkResponse({ type: NotificationsReadDto })
  @ApiProblemResponses(400, 401)
  markRead(
    @CurrentPrincipal() principal: Principal,
    @Body() { notificationIds }: MarkNotificationsReadBody,
  ): Promise<NotificationsReadDto> {
    return this.commands.execute(principal, undefined, MarkNotificationsRead, {
      notificationIds: notificationIds ?? 'all',
    });
  }

  @Get('notifications/bounces')
  @Roles(...NOTIFICATION_BOUNCE_READERS)
  @ApiOperation({
    summary: "The organisation's email addresses that bounced",
    description:
      "Addresses the SMTP server refused for good (5xx): notifications to them are held (kept in the person's page, not emailed) until the address changes or an admin clears the bounce.",
  })
  @ApiOkResponse({ type: BounceDto, isArray: true })
  @ApiProblemResponses(401, 403)
  bounces(@CurrentPrincipal() principal: Principal): Promise<BounceDto[]> {
    return this.queries.ask(principal, ListBounces, {});
  }

  @Post('notifications/bounces/:accountId/clearance')
  @HttpCode(200)
  @Roles(...NOTIFICATION_BOUNCE_READERS)
  @ApiOperation({
    summary: "Clear a person's bounce",
    description:
      'Their next notifications are emailed again (those held meanwhile stay in their page). 404 when no address of theirs bounced.',
  })
  @ApiOkResponse({ type: BounceClearedDto })
  @ApiProblemResponses(401, 403, 404)
  clear(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('accountId', 'acc-3f9a1c0e7b2d4a61') accountId: EntityId,
  ): Promise<BounceClearedDto> {
    return this.commands.execute(principal, undefined, ClearBounce, { accountId });
  }
}
