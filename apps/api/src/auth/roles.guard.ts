import type { Role } from '@kpi/domain';
import {
  ForbiddenException,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { REQUIRED_ROLES } from './auth.decorators';
import type { AuthenticatedRequest } from './authenticated-request';

/** Refuses (403) a caller holding none of the roles named by `@Roles(...)`. Runs after authentication. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required || required.length === 0) return true;
    const { principal } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (principal?.roles.some((role) => required.includes(role))) return true;
    throw new ForbiddenException(`This needs one of the roles: ${required.join(', ')}`);
  }
}
