import {
  appointManager,
  assignRegionalManager,
  endManagerAppointment,
  registerOrganisation,
  registerRegion,
  registerService,
} from '@kpi/features/organisation';
import type { Principal } from '@kpi/auth';
import { ORGANISATION_ADMINS } from '@kpi/domain';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { CommandAcceptedDto, commandAccepted } from '../http/command-accepted';
import { CommandContexts } from '../http/command-contexts';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import {
  AppointManagerBody,
  AssignRegionalManagerBody,
  EndAppointmentBody,
  RegisterOrganisationBody,
  RegisterRegionBody,
  RegisterServiceBody,
} from './organisation.dto';

/** Regions, services (homes) and manager appointments: the structure returns are kept for. */
@ApiTags('organisation')
@ApiBearerAuth(BEARER_SCHEME)
@ApiIdempotencyKey()
@Roles(...ORGANISATION_ADMINS)
@Controller()
export class OrganisationController {
  constructor(private readonly contexts: CommandContexts) {}

  @Post('organisation')
  @ApiOperation({
    summary: "Register the caller's tenant as an organisation (a provider or a council)",
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 409)
  async registerOrganisation(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() body: RegisterOrganisationBody,
  ) {
    return commandAccepted(await this.contexts.run(principal, key, registerOrganisation, body));
  }

  @Post('regions')
  @ApiOperation({ summary: 'Register a region with its regional manager' })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 409)
  async registerRegion(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() body: RegisterRegionBody,
  ) {
    return commandAccepted(await this.contexts.run(principal, key, registerRegion, body));
  }

  @Post('regions/:regionId/regional-manager')
  @HttpCode(200)
  @ApiOperation({ summary: "Change a region's regional manager" })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async assignRegionalManager(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Param('regionId') regionId: string,
    @Body() body: AssignRegionalManagerBody,
  ) {
    return commandAccepted(
      await this.contexts.run(principal, key, assignRegionalManager, { regionId, ...body }),
    );
  }

  @Post('services')
  @ApiOperation({ summary: 'Register a home or other service in a region' })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async registerService(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() body: RegisterServiceBody,
  ) {
    return commandAccepted(await this.contexts.run(principal, key, registerService, body));
  }

  @Post('services/:serviceId/manager-appointments')
  @ApiOperation({
    summary: 'Appoint a manager to a service',
    description:
      'One manager per home at a time: an open appointment that began earlier ends the day before; other overlaps are refused (409).',
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async appointManager(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Param('serviceId') serviceId: string,
    @Body() body: AppointManagerBody,
  ) {
    return commandAccepted(
      await this.contexts.run(principal, key, appointManager, { serviceId, ...body }),
    );
  }

  @Post('services/:serviceId/manager-appointments/end')
  @HttpCode(200)
  @ApiOperation({ summary: "End the service's open manager appointment" })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async endAppointment(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Param('serviceId') serviceId: string,
    @Body() body: EndAppointmentBody,
  ) {
    return commandAccepted(
      await this.contexts.run(principal, key, endManagerAppointment, { serviceId, ...body }),
    );
  }
}
