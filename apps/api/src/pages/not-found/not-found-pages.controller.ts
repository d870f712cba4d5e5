import { Controller, Get, NotFoundException, Req, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import { PageErrorsFilter } from '../page-errors.filter';

/**
 * Any /app/... address no page answers: the "Page not found" page (PageErrorsFilter), not the
 * API's problem+json. The router prefers every static or parameterised route to this wildcard,
 * so it only answers what nothing else does. Signed in like every page: an anonymous browser
 * is sent to sign in first, then back here.
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Controller('app')
export class NotFoundPagesController {
  @Get('*')
  notFound(@Req() request: AuthenticatedRequest): never {
    throw new NotFoundException(`There is no page at ${request.url.split('?')[0]}`);
  }
}
