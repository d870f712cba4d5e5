import type { AppConfig } from '@kpi/config';
import { verifyToken, type TokenAudience } from '@kpi/auth';
import {
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { principalOfSession } from '@kpi/features/accounts';
import type { Pool } from 'pg';
import type { Clock } from '../http/buses';
import { APP_CONFIG, CLOCK, PG_POOL } from '../infrastructure/injection-tokens';
import { IS_PUBLIC } from './auth.decorators';
import type { AuthenticatedRequest } from './authenticated-request';
import { sessionIdOf } from './session-cookie';

/**
 * Every endpoint needs `Authorization: Bearer <JWT>` (machines) or a `kpi_session` cookie
 * (people in a browser) unless it is marked `@Public()`. A bearer token wins when both are
 * sent. A bad or expired token raises libs/auth's errors, which the problem filter answers
 * with 401; an unknown, ended or removed session is a 401 too.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly audience: TokenAudience;

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.audience = {
      secret: config.JWT_SECRET,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    };
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerTokenOf(request.headers.authorization);
    if (token !== undefined) {
      request.principal = verifyToken(token, this.audience);
      return true;
    }
    const sessionId = sessionIdOf(request);
    if (sessionId === undefined) {
      throw new UnauthorizedException('Send a bearer token: "Authorization: Bearer <JWT>"');
    }
    const principal = await principalOfSession(this.pool, sessionId, this.clock());
    if (!principal) throw new UnauthorizedException('Your session has ended: sign in again');
    request.principal = principal;
    request.authenticatedBy = 'session-cookie';
    return true;
  }
}

/**
 * True when the request was let in by its session cookie rather than a bearer token: a
 * browser's request, which a cross-site page could have made it send. The CSRF check applies
 * to such requests with unsafe methods (POST, PUT, PATCH, DELETE); bearer-token callers are
 * machines and carry no ambient credential, so they need none. Call it after authentication.
 */
export function isCookieAuthenticated(request: FastifyRequest): boolean {
  return (request as AuthenticatedRequest).authenticatedBy === 'session-cookie';
}

function bearerTokenOf(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
