import {
  calendarDecider,
  careFrameworkDecider,
  NotFoundError,
  regionDecider,
  serviceDecider,
  streamIds,
  type CareFrameworkState,
  type ServiceState,
  type WorkingDayCalendar,
} from '@kpi/domain';
import type { EventStore } from '@kpi/event-store';
import type { CommandContext } from './command-context';
import { loadState } from './handle-command';

/*
 * What several features need to know of state that another feature writes, read through the
 * event-store port and folded with the domain's decider (features never import each other).
 */

/**
 * The state of one of the tenant's services, for commands that name one; another tenant's
 * service, or none, is "not found" alike (404).
 */
export async function registeredService(
  context: Pick<CommandContext, 'store' | 'tenantId'>,
  serviceId: string,
): Promise<Extract<ServiceState, { status: 'registered' }>> {
  const service = await loadState(
    context,
    streamIds.service(context.tenantId, serviceId),
    serviceDecider,
  );
  if (service.status !== 'registered') throw new NotFoundError(`No service ${serviceId}`);
  return service;
}

/** One of the tenant's regions (queries filtered by one); another tenant's, or none, is 404 alike. */
export async function registeredRegion(
  context: Pick<CommandContext, 'store' | 'tenantId'>,
  regionId: string,
): Promise<void> {
  const region = await loadState(
    context,
    streamIds.region(context.tenantId, regionId),
    regionDecider,
  );
  if (region.status !== 'registered') throw new NotFoundError(`No region ${regionId}`);
}

/**
 * For a query filtered by a service or a region: the first id given that names none of the
 * tenant's is "not found" (an unknown filter is no empty answer).
 */
export async function requireKnownIds(
  context: Pick<CommandContext, 'store' | 'tenantId'>,
  ids: { serviceId?: string; regionId?: string },
): Promise<void> {
  if (ids.serviceId !== undefined) await registeredService(context, ids.serviceId);
  if (ids.regionId !== undefined) await registeredRegion(context, ids.regionId);
}

/**
 * The England & Wales working-day calendar in force: the generated data file with the platform
 * stream's adjustments (`BankHolidayAdded`, `BankHolidayRemoved`) applied in order. One small
 * stream read; callers that count many deadlines load it once.
 */
export function loadWorkingDayCalendar(store: EventStore): Promise<WorkingDayCalendar> {
  return loadState({ store }, streamIds.calendar(), calendarDecider);
}

/** A council's care framework agreement (call-off and provider returns both check it). */
export type CareFramework = NonNullable<CareFrameworkState['framework']>;

/** A council's framework, for the council itself; 404 when it has none by that id. */
export async function councilFramework(
  context: Pick<CommandContext, 'store'>,
  councilId: string,
  frameworkId: string,
): Promise<CareFramework> {
  const { framework } = await loadState(
    context,
    streamIds.careFramework(councilId, frameworkId),
    careFrameworkDecider,
  );
  if (!framework) throw new NotFoundError(`No care framework ${frameworkId}`);
  return framework;
}

/**
 * Who is asking about a council's framework: the council itself, or a provider on it. Anyone
 * else — another council, a provider not on it — is told it does not exist (404).
 */
export type FrameworkViewer = { kind: 'council' } | { kind: 'provider'; providerId: string };

export async function frameworkViewer(
  context: Pick<CommandContext, 'store' | 'tenantId'>,
  councilId: string,
  frameworkId: string,
): Promise<{ framework: CareFramework; viewer: FrameworkViewer }> {
  const framework = await councilFramework(context, councilId, frameworkId);
  if (context.tenantId === councilId) return { framework, viewer: { kind: 'council' } };
  if (framework.providers.includes(context.tenantId))
    return { framework, viewer: { kind: 'provider', providerId: context.tenantId } };
  throw new NotFoundError(`No care framework ${frameworkId}`);
}
