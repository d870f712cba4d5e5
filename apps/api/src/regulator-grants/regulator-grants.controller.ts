import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import { GRANT_HOLDERS, REGULATOR_GRANTORS } from '@kpi/domain';
import {
  GrantRegulatorAccess,
  ListGrantsHeld,
  ListRegulatorGrants,
  RevokeRegulatorAccess,
} from '@kpi/features/regulator-grants';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Commands, Queries } from '../http/buses';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { IdInPath } from '../http/path-params';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import {
  GrantAnswerDto,
  GrantRegulatorAccessBody,
  RegulatorGrantListDto,
} from './regulator-grants.dto';

const GRANT_ID_EXAMPLE = 'grant-3f9a1c0e7b2d4a61';

/**
 * Grants of read access to an organisation's trail, made to a regulator organisation: the
 * grantor's admins make, list and revoke them; the regulator lists those it holds. Reading
 * under a grant: GrantedAuditController.
 */
@ApiTags('regulator-grants')
@ApiBearerAuth(BEARER_SCHEME)
@Controller()
export class RegulatorGrantsController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
  ) {}

  @Post('regulator-grants')
  @Roles(...REGULATOR_GRANTORS)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Grant a regulator organisation read access to your trail',
    description:
      "Opens your organisation's audit trail — all of it, or the streams of the services named — to the people with role `regulator` of the organisation named, for the events recorded in the period, until the expiry. Recorded as `RegulatorAccessGranted`; every read under it goes into the access log. A service that is not yours is 404 naming it.",
  })
  @ApiCreatedResponse({ type: GrantAnswerDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  grant(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() body: GrantRegulatorAccessBody,
  ): Promise<GrantAnswerDto> {
    return this.commands.execute(principal, key, GrantRegulatorAccess, {
      regulatorTenantId: body.regulatorTenantId,
      serviceIds: body.serviceIds ?? null,
      period: { from: body.period.from, to: body.period.to },
      expiresAt: new Date(body.expiresAt),
      reference: body.reference,
    });
  }

  @Get('regulator-grants')
  @Roles(...REGULATOR_GRANTORS)
  @ApiOperation({
    summary: 'The grants your organisation has made',
    description: 'Newest first, each with its status now: active, expired or revoked.',
  })
  @ApiOkResponse({ type: RegulatorGrantListDto })
  @ApiProblemResponses(401, 403)
  list(@CurrentPrincipal() principal: Principal): Promise<RegulatorGrantListDto> {
    return this.queries.ask(principal, ListRegulatorGrants, {});
  }

  @Post('regulator-grants/:grantId/revocation')
  @Roles(...REGULATOR_GRANTORS)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke a grant at once',
    description:
      'From this moment every read under it is refused (404). Recorded as `RegulatorAccessRevoked`; revoking again changes nothing. 404 when your organisation made no grant by that id.',
  })
  @ApiOkResponse({ type: GrantAnswerDto })
  @ApiProblemResponses(400, 401, 403, 404)
  revoke(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('grantId', GRANT_ID_EXAMPLE) grantId: EntityId,
  ): Promise<GrantAnswerDto> {
    return this.commands.execute(principal, key, RevokeRegulatorAccess, { grantId });
  }

  @Get('granted')
  @Roles(...GRANT_HOLDERS)
  @ApiOperation({
    summary: 'The grants your organisation holds that are active',
    description:
      "Grants made to your organisation, not revoked and not expired, soonest expiry first: what each opens (whose trail, which services, which period). Read a grantor's trail under one with GET /granted/{grantId}/audit/streams/{streamId}/events.",
  })
  @ApiOkResponse({ type: RegulatorGrantListDto })
  @ApiProblemResponses(401, 403)
  held(@CurrentPrincipal() principal: Principal): Promise<RegulatorGrantListDto> {
    return this.queries.ask(principal, ListGrantsHeld, {});
  }
}
