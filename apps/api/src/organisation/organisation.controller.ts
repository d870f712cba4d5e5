import {
  AppointManager,
  AssignRegionalManager,
  EndManagerAppointment,
  RegisterOrganisation,
  RegisterRegion,
  RegisterService,
} from '@kpi/features/organisation';
import type { EntityId } from '@kpi/command-handling';
import type { Principal } from '@kpi/auth';
import { ORGANISATION_ADMINS } from '@kpi/domain';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
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
import { Commands } from '../http/buses';
import { IdInPath } from '../http/path-params';
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
  constructor(private readonly commands: Commands) {}

  @Post('organisation')
  @ApiOperation({
    summary: "Register the caller's tenant as an organisation (a provider or a council)",
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 409)
  async registerOrganisation(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() { name, kind }: RegisterOrganisationBody,
  ): Promise<CommandAcceptedDto> {
    return commandAccepted(
      await this.commands.execute(principal, key, RegisterOrganisation, { name, kind }),
    );
  }

  @Post('regions')
  @ApiOperation({ summary: 'Register a region with its regional manager' })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 409)
  async registerRegion(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() { regionId, name, regionalManagerId }: RegisterRegionBody,
  ): Promise<CommandAcceptedDto> {
    return commandAccepted(
      await this.commands.execute(principal, key, RegisterRegion, {
        regionId,
        name,
        regionalManagerId,
      }),
    );
  }

  @Post('regions/:regionId/regional-manager')
  @HttpCode(200)
  @ApiOperation({ summary: "Change a region's regional manager" })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async assignRegionalManager(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('regionId', 'north-wales') regionId: EntityId,
    @Body() { regionalManagerId }: AssignRegionalManagerBody,
  ): Promise<CommandAcceptedDto> {
    return commandAccepted(
      await this.commands.execute(principal, key, AssignRegionalManager, {
        regionId,
        regionalManagerId,
      }),
    );
  }

  @Post('services')
  @ApiOperation({ summary: 'Register a home or other service in a region' })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async registerService(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() { serviceId, name, regionId, serviceType, frameworkId, openedOn }: RegisterServiceBody,
  ): Promise<CommandAcceptedDto> {
    return commandAccepted(
      await this.commands.execute(principal, key, RegisterService, {
        serviceId,
        name,
        regionId,
        serviceType,
        frameworkId,
        openedOn,
      }),
    );
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
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @Body() { managerId, from, to }: AppointManagerBody,
  ): Promise<CommandAcceptedDto> {
    return commandAccepted(
      await this.commands.execute(principal, key, AppointManager, {
        serviceId,
        managerId,
        from,
        to: to ?? null,
      }),
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
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @Body() { to }: EndAppointmentBody,
  ): Promise<CommandAcceptedDto> {
    return commandAccepted(
      await this.commands.execute(principal, key, EndManagerAppointment, { serviceId, to }),
    );
  }
}
