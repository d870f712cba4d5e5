import { ForbiddenException, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Lets a form post through only with the CSRF token its page gave (`_csrf`), checked by
 * @fastify/csrf-protection against the secret in this browser's cookie; else 403.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  canActivate(context: ExecutionContext): boolean {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    let passed = false;
    // The plugin's check answers a failure through `reply.send(error)`: catch it instead, so the
    // 403 is a page like every other refusal.
    const refusal = { send: () => undefined } as unknown as FastifyReply;
    fastify.csrfProtection(request, refusal, () => {
      passed = true;
    });
    if (!passed) {
      throw new ForbiddenException('The form had no valid security token (CSRF)');
    }
    return true;
  }
}
