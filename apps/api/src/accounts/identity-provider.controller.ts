import type { Principal } from '@kpi/auth';
import type { AppConfig } from '@kpi/config';
import { ACCOUNT_ADMINS } from '@kpi/domain';
import {
  SetIdentityProvider,
  ShowIdentityProvider,
  type IdentityProviderView,
} from '@kpi/features/accounts';
import { Body, Controller, Get, Inject, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import {
  ORGANISATION_SIGN_IN_PATH,
  organisationSignInRedirectUri,
} from '../auth/organisation-sign-in';
import { Commands, Queries } from '../http/buses';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { APP_CONFIG } from '../infrastructure/injection-tokens';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { IdentityProviderDto, SetIdentityProviderBody } from './identity-provider.dto';

/**
 * An organisation's own identity provider (OpenID Connect), set by its admins: people then
 * sign in there, with the roles its claims give (docs/decisions/0030).
 */
@ApiTags('accounts')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...ACCOUNT_ADMINS)
@Controller('accounts/identity-provider')
export class IdentityProviderController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Put()
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: "Set the organisation's identity provider, and how its claims give roles",
    description:
      'Replaces the settings there were. The issuer must answer OpenID Connect discovery (400 naming `issuer` if not). The client secret is kept out of the event log and never shown again. Register the answer’s `redirectUri` for the client at the provider; people sign in from the sign-in page with your organisation id, or from `signInLink`.',
  })
  @ApiOkResponse({ type: IdentityProviderDto })
  @ApiProblemResponses(400, 401, 403)
  async set(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() body: SetIdentityProviderBody,
    @Req() request: FastifyRequest,
  ): Promise<IdentityProviderDto> {
    const view = await this.commands.execute(principal, key, SetIdentityProvider, {
      issuer: body.issuer,
      clientId: body.clientId,
      clientSecret: body.clientSecret,
      roleClaim: body.roleClaim,
      roleMappings: body.roleMappings.map(({ claimValue, roles }) => ({ claimValue, roles })),
      additionalScopes: body.additionalScopes ?? [],
    });
    return this.withLinks(view, principal, request);
  }

  @Get()
  @ApiOperation({ summary: "The organisation's identity provider (never its client secret)" })
  @ApiOkResponse({ type: IdentityProviderDto })
  @ApiProblemResponses(401, 403, 404)
  async show(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<IdentityProviderDto> {
    const view = await this.queries.ask(principal, ShowIdentityProvider, {});
    return this.withLinks(view, principal, request);
  }

  private withLinks(
    view: IdentityProviderView,
    principal: Principal,
    request: FastifyRequest,
  ): IdentityProviderDto {
    const redirectUri = organisationSignInRedirectUri(request, this.config);
    const start = new URL(ORGANISATION_SIGN_IN_PATH, redirectUri);
    start.searchParams.set('organisation', principal.tenantId);
    return { ...view, redirectUri, signInLink: start.href };
  }
}
