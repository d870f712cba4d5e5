import type { Principal } from '@kpi/auth';
import {
  ACCOUNT_ADMINS,
  CAPABILITY_READERS,
  KPI_READERS,
  LEAGUE_TABLE_READERS,
  OWN_CAPABILITY_RECORD_READERS,
  RETURN_SUBMITTERS,
  type Role,
} from '@kpi/domain';
import { Controller, Get, Redirect, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import { PageErrorsFilter } from '../page-errors.filter';
import { PageRenderer } from '../page-renderer';

const holdsAny = (roles: readonly Role[], of: readonly Role[]) =>
  roles.some((role) => of.includes(role));

/**
 * Who the person is, as GOV.UK summary-list rows: their email (a session's; a bearer token
 * carries none), ids, organisation, roles, and the manager id their account is linked to.
 */
function detailsOf({ email, userId, tenantId, roles, managerId }: Principal) {
  const rows: [string, string][] = [
    ...(email ? [['Email address', email] as [string, string]] : []),
    ['User ID', userId],
    ['Organisation', tenantId],
    ['Roles', roles.join(', ')],
    ...(managerId ? [['Manager id', managerId] as [string, string]] : []),
  ];
  return rows.map(([key, value]) => ({ key: { text: key }, value: { text: value } }));
}

/**
 * Where a browser lands: who they are (their email and linked manager id when signed in to an
 * account), their organisation, and the pages their roles open.
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Controller()
export class HomePagesController {
  constructor(private readonly pages: PageRenderer) {}

  /** The API answers JSON at its own paths; a browser opening the root wants the pages. */
  @Public()
  @Get()
  @Redirect('/app', 302)
  root(): void {}

  @Get('app')
  whoAmI(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply): Promise<void> {
    const roles = request.principal?.roles ?? [];
    return this.pages.render(request, reply, 'who-am-i.njk', {
      details: request.principal ? detailsOf(request.principal) : [],
      canReadKpis: holdsAny(roles, KPI_READERS),
      canSubmitReturns: holdsAny(roles, RETURN_SUBMITTERS),
      canReadCapability: holdsAny(roles, CAPABILITY_READERS),
      canReadCallOff: holdsAny(roles, LEAGUE_TABLE_READERS),
      canManagePeople: holdsAny(roles, ACCOUNT_ADMINS),
      ownCapabilityRecordHref:
        request.principal?.managerId && holdsAny(roles, OWN_CAPABILITY_RECORD_READERS)
          ? `/app/capability/managers/${encodeURIComponent(request.principal.managerId)}/timeline`
          : null,
    });
  }
}
