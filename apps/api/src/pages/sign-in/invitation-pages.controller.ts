import type { EventStore } from '@kpi/event-store';
import { InvalidCommandError } from '@kpi/domain';
import { acceptInvitation, MINIMUM_PASSWORD_LENGTH } from '@kpi/features/accounts';
import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Pool } from 'pg';
import { Public } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import type { Clock } from '../../http/buses';
import { CLOCK, EVENT_STORE, PG_POOL } from '../../infrastructure/injection-tokens';
import { currentCorrelationId } from '../../request-context';
import { CsrfGuard } from '../csrf.guard';
import { PageErrorsFilter } from '../page-errors.filter';
import { PageRenderer } from '../page-renderer';
import { formText, type FormBody } from './form-text';

const PASSWORDS_DIFFER = 'Enter the same password twice';

/**
 * The link an admin's invitation gives a person: they choose a password (the accounts core's
 * rules) and then sign in. An unknown or used invitation is the 404 page.
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Controller('app/invitations')
export class InvitationPagesController {
  constructor(
    private readonly pages: PageRenderer,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Public()
  @Get(':token')
  form(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.show(request, reply, {});
  }

  @Public()
  @Post(':token')
  @UseGuards(CsrfGuard)
  async accept(
    @Param('token') token: string,
    @Body() body: FormBody,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const password = formText(body, 'password');
    if (password !== formText(body, 'confirmPassword')) {
      return this.show(request, reply, { confirmPassword: PASSWORDS_DIFFER }, 400);
    }
    try {
      await acceptInvitation(this.store, this.pool, {
        invitationToken: token,
        password,
        now: this.clock(),
        correlationId: currentCorrelationId(),
      });
    } catch (error) {
      if (!(error instanceof InvalidCommandError)) throw error;
      const errorOf = Object.fromEntries(
        error.problems.map(({ field, reason }) => [field, `Your password ${reason}`]),
      );
      return this.show(request, reply, errorOf, 400);
    }
    await reply.redirect('/app/sign-in?notice=invitation-accepted', 303);
  }

  private show(
    request: AuthenticatedRequest,
    reply: FastifyReply,
    errorOf: Record<string, string>,
    status = 200,
  ): Promise<void> {
    const errors = Object.entries(errorOf).map(([field, text]) => ({ text, href: `#${field}` }));
    return this.pages.render(
      request,
      reply,
      'accept-invitation.njk',
      { minimumLength: MINIMUM_PASSWORD_LENGTH, errors, errorOf },
      status,
    );
  }
}
