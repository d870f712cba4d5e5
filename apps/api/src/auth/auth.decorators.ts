import type { Principal } from '@kpi/auth';
import type { Role } from '@kpi/domain';
import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from './authenticated-request';

export const IS_PUBLIC = 'kpi:is-public';
export const REQUIRED_ROLES = 'kpi:required-roles';

/** Lets callers in without a token. Only for endpoints that expose no tenant data. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Lets in only callers holding at least one of these roles (403 otherwise). */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/** The caller, as verified from their bearer token. The tenant of a request comes only from here. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const { principal } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!principal) {
      throw new Error('@CurrentPrincipal() used on a route that is not authenticated (@Public?)');
    }
    return principal;
  },
);
