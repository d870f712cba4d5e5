import type { EventStore } from '@kpi/event-store';
import { InvalidCommandError } from '@kpi/domain';
import {
  acceptInvitation,
  invitationStanding,
  MINIMUM_PASSWORD_LENGTH,
  type InvitationStanding,
} from '@kpi/features/accounts';
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

const ASK_THE_ADMIN =
  'Ask your organisation’s admin to invite you again: they will give you a new link.';

/** What a link that no longer sets a password says, and what to do: unknown is 404, the rest 410. */
const ENDED: Record<Exclude<InvitationStanding, 'open'>, EndedInvitation> = {
  unknown: {
    status: 404,
    title: 'This invitation link does not work',
    advice: `Check you copied the whole link. If it still does not work: ${ASK_THE_ADMIN}`,
    canSignIn: false,
  },
  used: {
    status: 410,
    title: 'This invitation has been used',
    advice: `The password has been set with it: sign in with your email address and that password. If you did not set it yourself: ${ASK_THE_ADMIN}`,
    canSignIn: true,
  },
  expired: {
    status: 410,
    title: 'This invitation has expired',
    advice: `An invitation can be used for 7 days. ${ASK_THE_ADMIN}`,
    canSignIn: false,
  },
  withdrawn: {
    status: 410,
    title: 'This invitation has been withdrawn',
    advice: `Your organisation removed the access it was for. If you should have access: ${ASK_THE_ADMIN}`,
    canSignIn: false,
  },
};

interface EndedInvitation {
  status: number;
  title: string;
  advice: string;
  canSignIn: boolean;
}

/**
 * The link an admin's invitation gives a person: they choose a password (the accounts core's
 * rules) and then sign in. A link that can no longer set one (unknown, used, expired or
 * withdrawn) shows a page saying so and what to do, not the form.
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
  async form(
    @Param('token') token: string,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!(await this.showEnded(token, request, reply))) await this.show(request, reply, {});
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
    if (await this.showEnded(token, request, reply)) return;
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

  /** Shows the page of an invitation that can no longer set a password; false when it can. */
  private async showEnded(
    token: string,
    request: AuthenticatedRequest,
    reply: FastifyReply,
  ): Promise<boolean> {
    const standing = await invitationStanding(this.pool, token, this.clock());
    if (standing === 'open') return false;
    const { status, ...page } = ENDED[standing];
    await this.pages.render(request, reply, 'invitation-ended.njk', { standing, ...page }, status);
    return true;
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
