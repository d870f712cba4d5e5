import type { Principal } from '@kpi/auth';
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { PrincipalDto } from './principal.dto';

@ApiTags('auth')
@ApiBearerAuth(BEARER_SCHEME)
@Controller('me')
export class MeController {
  @Get()
  @ApiOperation({
    summary: 'Who the bearer token says you are',
    description: 'Handy to check a token: its user, tenant and roles as the API sees them.',
  })
  @ApiOkResponse({ type: PrincipalDto })
  @ApiProblemResponses(401)
  me(@CurrentPrincipal() principal: Principal): PrincipalDto {
    return { userId: principal.userId, tenantId: principal.tenantId, roles: principal.roles };
  }
}
