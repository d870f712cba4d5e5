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

/** Where a browser lands: who they are, their organisation, and the pages their roles open. */
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
