import type { AppConfig } from '@kpi/config';
import {
  SESSION_ABSOLUTE_MS,
  signIn,
  SignInLockedError,
  SignInRefusedError,
  signOut,
} from '@kpi/features/accounts';
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
import type { FastifyReply } from 'fastify';
import type { Pool } from 'pg';
import { Public } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import { clearedSessionCookie, sessionCookie, sessionIdOf } from '../../auth/session-cookie';
import type { Clock } from '../../http/buses';
import { APP_CONFIG, CLOCK, PG_POOL } from '../../infrastructure/injection-tokens';
import { CsrfGuard } from '../csrf.guard';
import { PageErrorsFilter } from '../page-errors.filter';
import { PageRenderer } from '../page-renderer';
import { formText, type FormBody } from './form-text';
import { safeReturnPath } from './return-path';
import { blankSignInPage, withProblems, type SignInPage } from './sign-in-page';

const NOTICES = new Set<SignInPage['notice']>(['signed-out', 'invitation-accepted']);

/** A time of day as a person in the UK reads it, e.g. "2:35pm". */
const ukTime = (at: Date) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: 'numeric',
    minute: '2-digit',
    hour12: true,
  })
    .format(at)
    .replace(' ', '');

/**
 * Signing in and out with a form: the accounts core's sign-in (a new session id every time,
 * the one the browser held ended), its lockout, and sign-out. Both forms carry a CSRF token.
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Controller('app')
export class SignInPagesController {
  constructor(
    private readonly pages: PageRenderer,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('sign-in')
  signInForm(
    @Query('returnTo') returnTo: unknown,
    @Query('notice') notice: unknown,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.show(request, reply, {
      ...blankSignInPage(safeReturnPath(returnTo)),
      notice: NOTICES.has(notice as SignInPage['notice']) ? (notice as SignInPage['notice']) : null,
    });
  }

  @Public()
  @Post('sign-in')
  @UseGuards(CsrfGuard)
  async signIn(
    @Body() body: FormBody,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const email = formText(body, 'email').trim();
    const password = formText(body, 'password');
    const page: SignInPage = {
      ...blankSignInPage(safeReturnPath(formText(body, 'returnTo'))),
      email,
    };
    const missing = [
      ...(email === '' ? [['email', 'Enter your email address']] : []),
      ...(password === '' ? [['password', 'Enter your password']] : []),
    ];
    if (missing.length > 0) return this.showErrors(request, reply, page, missing, 400);
    const now = this.clock();
    try {
      const signedIn = await signIn(this.pool, {
        email,
        password,
        ip: request.ip,
        now,
        presentedSessionId: sessionIdOf(request),
      });
      void reply.header(
        'set-cookie',
        sessionCookie(signedIn.sessionId, SESSION_ABSOLUTE_MS / 1000, this.config.NODE_ENV),
      );
      await reply.redirect(page.returnTo, 303);
    } catch (error) {
      if (error instanceof SignInRefusedError) {
        const wrong = 'Enter a correct email address and password';
        return this.showErrors(request, reply, page, [['email', wrong]], 401);
      }
      if (error instanceof SignInLockedError) {
        const seconds = Math.ceil((error.until.getTime() - now.getTime()) / 1000);
        void reply.header('retry-after', String(Math.max(seconds, 1)));
        const locked = `There have been too many failed sign-ins. Try again after ${ukTime(error.until)}`;
        return this.showErrors(request, reply, page, [['email', locked]], 429);
      }
      throw error;
    }
  }

  /** Ends this browser's session, forgets its cookie and shows the sign-in page. */
  @Public()
  @Post('sign-out')
  @UseGuards(CsrfGuard)
  async signOut(
    // The form's fields (its CSRF token) are read by the guard; declared so they are allowed.
    @Body() _form: FormBody,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const sessionId = sessionIdOf(request);
    if (sessionId) await signOut(this.pool, sessionId, this.clock());
    void reply.header('set-cookie', clearedSessionCookie(this.config.NODE_ENV));
    await reply.redirect('/app/sign-in?notice=signed-out', 303);
  }

  private show(request: AuthenticatedRequest, reply: FastifyReply, page: SignInPage, status = 200) {
    return this.pages.render(request, reply, 'sign-in.njk', { ...page }, status);
  }

  private showErrors(
    request: AuthenticatedRequest,
    reply: FastifyReply,
    page: SignInPage,
    problems: string[][],
    status: number,
  ): Promise<void> {
    return this.show(request, reply, withProblems(page, problems), status);
  }
}
