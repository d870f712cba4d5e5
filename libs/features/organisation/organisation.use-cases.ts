import {
  NotFoundError,
  organisationDecider,
  regionDecider,
  serviceDecider,
  streamIds,
} from '@kpi/domain';
import { type CommandContext, handleCommand, loadState } from '@kpi/command-handling';
import type {
  AppointManagerInput,
  AssignRegionalManagerInput,
  EndManagerAppointmentInput,
  OrganisationOutcome,
  RegionOutcome,
  RegisterOrganisationInput,
  RegisterRegionInput,
  RegisterServiceInput,
  ServiceOutcome,
} from './organisation.commands';

/** Registers the caller's tenant as an organisation (a provider or a council). */
export function registerOrganisation(
  context: CommandContext,
  { name, kind }: RegisterOrganisationInput,
): Promise<OrganisationOutcome> {
  return handleCommand(context, streamIds.organisation(context.tenantId), organisationDecider, {
    type: 'RegisterOrganisation',
    data: {
      tenantId: context.tenantId,
      name,
      kind,
      registeredBy: context.actor,
      now: context.now,
    },
  });
}

/** Registers a region with its regional manager. */
export function registerRegion(
  context: CommandContext,
  { regionId, name, regionalManagerId }: RegisterRegionInput,
): Promise<RegionOutcome> {
  return handleCommand(context, streamIds.region(context.tenantId, regionId), regionDecider, {
    type: 'RegisterRegion',
    data: {
      regionId,
      name,
      regionalManagerId,
      registeredBy: context.actor,
      now: context.now,
    },
  });
}

/** Changes a region's regional manager (nothing is written when it is the same person). */
export function assignRegionalManager(
  context: CommandContext,
  { regionId, regionalManagerId }: AssignRegionalManagerInput,
): Promise<RegionOutcome> {
  return handleCommand(context, streamIds.region(context.tenantId, regionId), regionDecider, {
    type: 'AssignRegionalManager',
    data: {
      regionId,
      regionalManagerId,
      assignedBy: context.actor,
      now: context.now,
    },
  });
}

/** Registers a home or other service in one of the tenant's regions. */
export async function registerService(
  context: CommandContext,
  input: RegisterServiceInput,
): Promise<ServiceOutcome> {
  const { serviceId, regionId } = input;
  const region = await loadState(
    context,
    streamIds.region(context.tenantId, regionId),
    regionDecider,
  );
  if (region.status !== 'registered') throw new NotFoundError(`No region ${regionId}`);
  return handleCommand(context, streamIds.service(context.tenantId, serviceId), serviceDecider, {
    type: 'RegisterService',
    data: {
      serviceId,
      name: input.name,
      regionId,
      serviceType: input.serviceType,
      frameworkId: input.frameworkId,
      openedOn: input.openedOn,
      registeredBy: context.actor,
      now: context.now,
    },
  });
}

/** Appoints a manager to a service (an open appointment that began earlier hands over). */
export function appointManager(
  context: CommandContext,
  { serviceId, managerId, from, to }: AppointManagerInput,
): Promise<ServiceOutcome> {
  return handleCommand(context, streamIds.service(context.tenantId, serviceId), serviceDecider, {
    type: 'AppointManager',
    data: {
      serviceId,
      managerId,
      from,
      to: to ?? null,
      appointedBy: context.actor,
      now: context.now,
    },
  });
}

/** Ends the service's open manager appointment on `to`. */
export function endManagerAppointment(
  context: CommandContext,
  { serviceId, to }: EndManagerAppointmentInput,
): Promise<ServiceOutcome> {
  return handleCommand(context, streamIds.service(context.tenantId, serviceId), serviceDecider, {
    type: 'EndManagerAppointment',
    data: { serviceId, to, endedBy: context.actor, now: context.now },
  });
}
