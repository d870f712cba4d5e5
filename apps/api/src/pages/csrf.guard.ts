import {
  ForbiddenException,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { isValidCsrfToken } from './page-csrf';

/**
 * Lets a form post through only with the CSRF token its page gave (`_csrf`), made from the
 * secret in this browser's cookie; else 403 (a page, like every other refusal).
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<FastifyRequest<{ Body?: { _csrf?: unknown } }>>();
    if (!isValidCsrfToken(request, request.body?._csrf)) {
      throw new ForbiddenException('The form had no valid security token (CSRF)');
    }
    return true;
  }
}
