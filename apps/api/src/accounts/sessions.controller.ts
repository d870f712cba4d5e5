import type { AppConfig } from '@kpi/config';
import type { EventStore } from '@kpi/event-store';
import {
  acceptInvitation,
  SESSION_ABSOLUTE_MS,
  signIn,
  SignInLockedError,
  SignInRefusedError,
  signOut,
} from '@kpi/features/accounts';
import {
  Body,
  Controller,
  Delete,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Param,
  Post,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { Public } from '../auth/auth.decorators';
import { clearedSessionCookie, sessionCookie, sessionIdOf } from '../auth/session-cookie';
import type { Clock } from '../http/buses';
import { APP_CONFIG, CLOCK, EVENT_STORE, PG_POOL } from '../infrastructure/injection-tokens';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { currentCorrelationId } from '../request-context';
import { AcceptInvitationBody, SessionDto, SignInBody } from './accounts.dto';

/** Accepting an invitation, signing in and out: a browser's way in (machines use tokens). */
@ApiTags('accounts')
@Controller()
export class SessionsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('invitations/:token/acceptance')
  @HttpCode(204)
  @ApiParam({ name: 'token', description: 'The invitation token the admin was given.' })
  @ApiOperation({
    summary: 'Accept an invitation, setting a password',
    description: 'At least 12 characters and not the email address; the token works once.',
  })
  @ApiNoContentResponse({ description: 'The account is active: sign in with POST /sessions.' })
  @ApiProblemResponses(400, 404, 409)
  async accept(@Param('token') token: string, @Body() { password }: AcceptInvitationBody) {
    await acceptInvitation(this.store, this.pool, {
      invitationToken: token,
      password,
      now: this.clock(),
      correlationId: currentCorrelationId(),
    });
  }

  @Public()
  @Post('sessions')
  @ApiOperation({
    summary: 'Sign in with email and password',
    description:
      'Sets the `kpi_session` cookie (HttpOnly, SameSite=Lax, Secure, Path=/) to a new session id. Sessions end after 30 minutes unused or 12 hours. Five failed sign-ins in 15 minutes lock the email for 15 minutes (429).',
  })
  @ApiCreatedResponse({ type: SessionDto })
  @ApiProblemResponses(400, 401)
  async signIn(
    @Body() { email, password }: SignInBody,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionDto> {
    try {
      const signedIn = await signIn(this.pool, {
        email,
        password,
        ip: request.ip,
        now: this.clock(),
        presentedSessionId: sessionIdOf(request),
      });
      void reply.header(
        'set-cookie',
        sessionCookie(signedIn.sessionId, SESSION_ABSOLUTE_MS / 1000, this.config.NODE_ENV),
      );
      return { ...signedIn.principal, expiresAt: signedIn.expiresAt.toISOString() };
    } catch (error) {
      if (error instanceof SignInRefusedError) throw new UnauthorizedException(error.message);
      if (error instanceof SignInLockedError) {
        const seconds = Math.ceil((error.until.getTime() - this.clock().getTime()) / 1000);
        void reply.header('retry-after', String(Math.max(seconds, 1)));
        throw new HttpException(error.message, HttpStatus.TOO_MANY_REQUESTS);
      }
      throw error;
    }
  }

  @Public()
  @Delete('sessions/current')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sign out: the session cookie’s session ends and the cookie is cleared',
  })
  @ApiNoContentResponse()
  async signOut(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const sessionId = sessionIdOf(request);
    if (sessionId) await signOut(this.pool, sessionId, this.clock());
    void reply.header('set-cookie', clearedSessionCookie(this.config.NODE_ENV));
  }
}
