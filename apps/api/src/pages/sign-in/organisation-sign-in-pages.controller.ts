import type { AppConfig } from '@kpi/config';
import { isEntityId } from '@kpi/command-handling';
import type { EventStore } from '@kpi/event-store';
import {
  finishIdentityProviderSignIn,
  IDENTITY_PROVIDER_SIGN_IN_MS,
  IdentityProviderAccountRefusedError,
  IdentityProviderSignInError,
  SESSION_ABSOLUTE_MS,
  startIdentityProviderSignIn,
  type IdentityRefusal,
  type SignInFailure,
} from '@kpi/features/accounts';
import { Controller, Get, Inject, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Pool } from 'pg';
import { Public } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import {
  identityProviderClientOptions,
  ORGANISATION_SIGN_IN_COOKIE,
  organisationSignInCookie,
  organisationSignInRedirectUri,
} from '../../auth/organisation-sign-in';
import { cookieOf, sessionCookie, sessionIdOf } from '../../auth/session-cookie';
import type { Clock } from '../../http/buses';
import { APP_CONFIG, CLOCK, EVENT_STORE, PG_POOL } from '../../infrastructure/injection-tokens';
import { currentCorrelationId } from '../../request-context';
import { PageErrorsFilter } from '../page-errors.filter';
import { PageRenderer } from '../page-renderer';
import { safeReturnPath } from './return-path';
import { blankSignInPage, withProblems, type SignInPage } from './sign-in-page';

/** What the refusal page says when a sign-in through the identity provider fails, and its status. */
const REFUSALS: Record<
  SignInFailure | IdentityRefusal,
  { status: number; title: string; advice: string }
> = {
  'no-sign-in-under-way': {
    status: 400,
    title: 'Your sign-in has expired',
    advice:
      'Signing in through your organisation must be finished within 10 minutes, in the browser it was started in, and works once. Start again.',
  },
  'no-identity-provider': {
    status: 400,
    title: 'Your organisation does not sign in this way any more',
    advice: 'Sign in with your email address and password, or ask your administrator.',
  },
  unreachable: {
    status: 502,
    title: 'Your organisation’s sign-in service could not be reached',
    advice: 'Try again in a few minutes. If it keeps happening, tell your administrator.',
  },
  'refused-by-provider': {
    status: 401,
    title: 'Your organisation’s sign-in did not let you in',
    advice: 'You may have cancelled it. Start again, or ask your organisation’s IT support.',
  },
  'invalid-answer': {
    status: 401,
    title: 'Your sign-in could not be checked',
    advice: 'The answer from your organisation’s sign-in service was not valid. Start again.',
  },
  'no-role': {
    status: 403,
    title: 'Your account gives you no role in KPI ledger',
    advice:
      'You signed in at your organisation, but none of your groups or roles there is one KPI ledger knows. Ask your KPI ledger administrator to give you access.',
  },
  'no-email': {
    status: 403,
    title: 'Your organisation’s sign-in did not share your email address',
    advice:
      'KPI ledger needs it to show who you are. Ask your administrator to let KPI ledger read your email address.',
  },
  'access-removed': {
    status: 403,
    title: 'Your access to KPI ledger was removed',
    advice: 'If you need access again, ask your organisation’s KPI ledger administrator.',
  },
};

/**
 * Signing in through the organisation's own identity provider (OpenID Connect): the sign-in
 * page's second form names the organisation, this sends the browser to its provider and takes
 * it back (docs/decisions/0030). Both are GETs: starting holds nothing of the person's, and
 * the return is checked by the state and the browser's sign-in cookie, not a form token.
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Controller('app/sign-in/organisation')
export class OrganisationSignInPagesController {
  constructor(
    private readonly pages: PageRenderer,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  async start(
    @Query('organisation') organisation: unknown,
    @Query('returnTo') returnTo: unknown,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const tenantId = typeof organisation === 'string' ? organisation.trim().toLowerCase() : '';
    const page = { ...blankSignInPage(safeReturnPath(returnTo)), organisation: tenantId };
    if (tenantId === '') {
      return this.signInPage(request, reply, page, 'Enter your organisation id', 400);
    }
    const unknown = 'There is no organisation with that id that signs in with its own account';
    if (!isEntityId(tenantId)) return this.signInPage(request, reply, page, unknown, 404);
    try {
      const started = await startIdentityProviderSignIn(
        this.pool,
        {
          tenantId,
          redirectUri: organisationSignInRedirectUri(request, this.config),
          returnTo: page.returnTo,
          now: this.clock(),
        },
        identityProviderClientOptions(this.config),
      );
      const maxAge = IDENTITY_PROVIDER_SIGN_IN_MS / 1000;
      void reply.header(
        'set-cookie',
        organisationSignInCookie(started.signInId, maxAge, this.config.NODE_ENV),
      );
      await reply.redirect(started.authorizationUrl, 303);
    } catch (error) {
      if (!(error instanceof IdentityProviderSignInError)) throw error;
      if (error.failure === 'no-identity-provider') {
        return this.signInPage(request, reply, page, unknown, 404);
      }
      return this.refusal(request, reply, error.failure);
    }
  }

  @Public()
  @Get('callback')
  async callback(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply): Promise<void> {
    // The sign-in under way is used up whatever happens: the browser forgets its cookie.
    void reply.header('set-cookie', organisationSignInCookie('', 0, this.config.NODE_ENV));
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    try {
      const signedIn = await finishIdentityProviderSignIn(
        this.store,
        this.pool,
        {
          signInId: cookieOf(request, ORGANISATION_SIGN_IN_COOKIE),
          callbackQuery: query,
          now: this.clock(),
          presentedSessionId: sessionIdOf(request),
          correlationId: currentCorrelationId(),
        },
        identityProviderClientOptions(this.config),
      );
      void reply.header(
        'set-cookie',
        sessionCookie(signedIn.sessionId, SESSION_ABSOLUTE_MS / 1000, this.config.NODE_ENV),
      );
      await reply.redirect(safeReturnPath(signedIn.returnTo), 303);
    } catch (error) {
      if (error instanceof IdentityProviderSignInError) {
        return this.refusal(request, reply, error.failure);
      }
      if (error instanceof IdentityProviderAccountRefusedError) {
        return this.refusal(request, reply, error.reason);
      }
      throw error;
    }
  }

  private signInPage(
    request: AuthenticatedRequest,
    reply: FastifyReply,
    page: SignInPage,
    problem: string,
    status: number,
  ): Promise<void> {
    const shown = withProblems(page, [['organisation', problem]]);
    return this.pages.render(request, reply, 'sign-in.njk', { ...shown }, status);
  }

  private refusal(
    request: AuthenticatedRequest,
    reply: FastifyReply,
    why: SignInFailure | IdentityRefusal,
  ): Promise<void> {
    const { status, title, advice } = REFUSALS[why];
    return this.pages.render(request, reply, 'sign-in-refused.njk', { title, advice }, status);
  }
}
