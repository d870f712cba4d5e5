import type { Principal } from '@kpi/auth';
import { dateInWords, isNotificationMode, londonDateOf } from '@kpi/domain';
import {
  INBOX_SIZE,
  MarkNotificationsRead,
  ReadMyNotifications,
  SetNotificationPreference,
  type EmailStatus,
} from '@kpi/features/notifications';
import {
  Body,
  Controller,
  Get,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import { Commands, Queries } from '../../http/buses';
import { CsrfGuard } from '../csrf.guard';
import { PageErrorsFilter } from '../page-errors.filter';
import { PageRenderer } from '../page-renderer';
import { formText, type FormBody } from '../sign-in/form-text';

const EMAIL_TEXT: Readonly<Record<EmailStatus, string>> = {
  waiting: 'Not emailed yet',
  sent: 'Emailed',
  'in-digest': 'In your daily digest',
  held: 'Not emailed: your address bounced',
  'not-sent': 'Not emailed',
};

const SAVED_TEXT: Readonly<Record<string, string>> = {
  preference: 'Your choice is saved: it applies to notifications from now on.',
  read: 'Every notification is marked as read.',
};

/**
 * The signed-in person's notifications (docs/decisions/0036): newest first, unread ones marked,
 * whether each was emailed; how they want them emailed (at once or a daily digest); mark all
 * read. Plain forms with CSRF tokens: no JavaScript needed.
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Controller('app/notifications')
export class NotificationsPagesController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  list(
    @CurrentPrincipal() principal: Principal,
    @Query('saved') saved: string | undefined,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.show(principal, request, reply, {
      savedText: (saved && SAVED_TEXT[saved]) ?? null,
    });
  }

  @Post('preference')
  @UseGuards(CsrfGuard)
  async setPreference(
    @CurrentPrincipal() principal: Principal,
    @Body() body: FormBody,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const mode = formText(body, 'mode');
    if (!isNotificationMode(mode)) {
      const error = 'Choose at once or a daily digest';
      return this.show(principal, request, reply, { error }, 400);
    }
    await this.commands.execute(principal, undefined, SetNotificationPreference, { mode });
    await reply.redirect('/app/notifications?saved=preference', 303);
  }

  @Post('read')
  @UseGuards(CsrfGuard)
  async markAllRead(
    @CurrentPrincipal() principal: Principal,
    // The form's fields (its CSRF token) are read by the guard; declared so they are allowed.
    @Body() _form: FormBody,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.commands.execute(principal, undefined, MarkNotificationsRead, {
      notificationIds: 'all',
    });
    await reply.redirect('/app/notifications?saved=read', 303);
  }

  private async show(
    principal: Principal,
    request: AuthenticatedRequest,
    reply: FastifyReply,
    { savedText = null, error = null }: { savedText?: string | null; error?: string | null },
    status = 200,
  ): Promise<void> {
    const inbox = await this.queries.ask(principal, ReadMyNotifications, {
      accountId: principal.userId,
      limit: INBOX_SIZE,
    });
    const modeItems = [
      {
        value: 'immediate',
        text: 'At once',
        hint: { text: 'An email for each notification, as it happens.' },
      },
      {
        value: 'daily-digest',
        text: 'A daily digest',
        hint: { text: 'One email at 7am listing the notifications of the day before.' },
      },
    ];
    await this.pages.render(
      request,
      reply,
      'notifications.njk',
      {
        inbox,
        notifications: inbox.notifications.map((n) => ({
          ...n,
          occurredOn: dateInWords(londonDateOf(new Date(n.occurredAt))),
          emailText: EMAIL_TEXT[n.email.status],
          factRows: Object.entries(n.facts).map(([key, value]) => ({
            key: { text: key },
            value: { text: value },
          })),
        })),
        modeItems: modeItems.map((item) => ({ ...item, checked: item.value === inbox.mode })),
        savedText,
        errors: error ? [{ text: error, href: '#mode' }] : [],
        modeError: error,
      },
      status,
    );
  }
}
