import {
  NotFoundError,
  organisationDecider,
  regionDecider,
  serviceDecider,
  streamIds,
} from '@kpi/domain';
import { type CommandContext, entityId, handleCommand, loadState } from '@kpi/command-handling';

/** Registers the caller's tenant as an organisation (a provider or a council). */
export function registerOrganisation(
  context: CommandContext,
  input: { name: unknown; kind: unknown },
) {
  return handleCommand(context, streamIds.organisation(context.tenantId), organisationDecider, {
    type: 'RegisterOrganisation',
    data: {
      tenantId: context.tenantId,
      name: input.name,
      kind: input.kind,
      registeredBy: context.actor,
      now: context.now,
    },
  });
}

export interface RegisterRegionInput {
  regionId: unknown;
  name: unknown;
  regionalManagerId: unknown;
}

export function registerRegion(context: CommandContext, input: RegisterRegionInput) {
  const regionId = entityId(input.regionId, 'regionId');
  return handleCommand(context, streamIds.region(context.tenantId, regionId), regionDecider, {
    type: 'RegisterRegion',
    data: {
      regionId,
      name: input.name,
      regionalManagerId: entityId(input.regionalManagerId, 'regionalManagerId'),
      registeredBy: context.actor,
      now: context.now,
    },
  });
}

export function assignRegionalManager(
  context: CommandContext,
  input: { regionId: unknown; regionalManagerId: unknown },
) {
  const regionId = entityId(input.regionId, 'regionId');
  return handleCommand(context, streamIds.region(context.tenantId, regionId), regionDecider, {
    type: 'AssignRegionalManager',
    data: {
      regionId,
      regionalManagerId: entityId(input.regionalManagerId, 'regionalManagerId'),
      assignedBy: context.actor,
      now: context.now,
    },
  });
}

export interface RegisterServiceInput {
  serviceId: unknown;
  name: unknown;
  regionId: unknown;
  serviceType: unknown;
  frameworkId: unknown;
  openedOn: unknown;
}

/** Registers a home or other service in one of the tenant's regions. */
export async function registerService(context: CommandContext, input: RegisterServiceInput) {
  const serviceId = entityId(input.serviceId, 'serviceId');
  const regionId = entityId(input.regionId, 'regionId');
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
      frameworkId: entityId(input.frameworkId, 'frameworkId'),
      openedOn: input.openedOn,
      registeredBy: context.actor,
      now: context.now,
    },
  });
}

export function appointManager(
  context: CommandContext,
  input: { serviceId: unknown; managerId: unknown; from: unknown; to?: unknown },
) {
  const serviceId = entityId(input.serviceId, 'serviceId');
  return handleCommand(context, streamIds.service(context.tenantId, serviceId), serviceDecider, {
    type: 'AppointManager',
    data: {
      serviceId,
      managerId: entityId(input.managerId, 'managerId'),
      from: input.from,
      to: input.to ?? null,
      appointedBy: context.actor,
      now: context.now,
    },
  });
}

export function endManagerAppointment(
  context: CommandContext,
  input: { serviceId: unknown; to: unknown },
) {
  const serviceId = entityId(input.serviceId, 'serviceId');
  return handleCommand(context, streamIds.service(context.tenantId, serviceId), serviceDecider, {
    type: 'EndManagerAppointment',
    data: { serviceId, to: input.to, endedBy: context.actor, now: context.now },
  });
}
