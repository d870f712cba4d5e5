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
import { APP_CONFIG } from '../infrastructure/injection-tokens';
import { IS_PUBLIC } from './auth.decorators';
import type { AuthenticatedRequest } from './authenticated-request';

/**
 * Every endpoint needs `Authorization: Bearer <JWT>` unless it is marked `@Public()`.
 * A bad or expired token raises libs/auth's errors, which the problem filter answers with 401.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly audience: TokenAudience;

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.audience = {
      secret: config.JWT_SECRET,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    };
  }

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerTokenOf(request.headers.authorization);
    if (token === undefined) {
      throw new UnauthorizedException('Send a bearer token: "Authorization: Bearer <JWT>"');
    }
    request.principal = verifyToken(token, this.audience);
    return true;
  }
}

function bearerTokenOf(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
