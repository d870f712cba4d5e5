import { NotFoundError, serviceDecider, streamIds, type ServiceState } from '@kpi/domain';
import type { CommandContext } from './command-context';
import { loadState } from './handle-command';

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
