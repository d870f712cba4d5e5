import {
  InvalidCommandError,
  kpiFrameworkDecider,
  monthlyReturnDecider,
  NotFoundError,
  parsePeriod,
  serviceDecider,
  streamIds,
  versionInForce,
  foldEvents,
  type FrameworkVersion,
  type KpiFrameworkEvent,
} from '@kpi/domain';
import type { CommandContext } from './command-context';
import { entityId } from './entity-ids';
import { handleCommand, loadState, toDomainEvent } from './handle-command';

export interface SubmitMonthlyReturnInput {
  serviceId: unknown;
  period: unknown;
  values: unknown;
}

/**
 * Submits a service's return for a month. The service must be the tenant's (else 404, the same
 * as a service that does not exist); the return is judged by the framework version in force
 * for that month.
 */
export async function submitMonthlyReturn(
  context: CommandContext,
  input: SubmitMonthlyReturnInput,
) {
  const serviceId = entityId(input.serviceId, 'serviceId');
  const period = parsePeriod(input.period);
  const framework = await frameworkVersionFor(
    context,
    serviceId,
    (state) => versionInForce(state, period),
    period,
  );
  return handleCommand(
    context,
    streamIds.monthlyReturn(context.tenantId, serviceId, period),
    monthlyReturnDecider,
    {
      type: 'SubmitMonthlyReturn',
      data: {
        serviceId,
        period,
        values: input.values,
        framework,
        submittedBy: context.actor,
        now: context.now,
      },
    },
  );
}

export interface AmendMonthlyReturnInput extends SubmitMonthlyReturnInput {
  reason: unknown;
}

/** Amends a submitted return; it is judged again by the version it was first judged by. */
export async function amendMonthlyReturn(context: CommandContext, input: AmendMonthlyReturnInput) {
  const serviceId = entityId(input.serviceId, 'serviceId');
  const period = parsePeriod(input.period);
  const streamId = streamIds.monthlyReturn(context.tenantId, serviceId, period);
  const current = await loadState(context, streamId, monthlyReturnDecider);
  if (current.status === 'none')
    throw new NotFoundError(`${serviceId} has no return for ${period} to amend`);
  const framework = await frameworkVersionFor(
    context,
    serviceId,
    (state) => state.versions.find((v) => v.version === current.frameworkVersion) ?? null,
    period,
  );
  return handleCommand(context, streamId, monthlyReturnDecider, {
    type: 'AmendMonthlyReturn',
    data: {
      serviceId,
      period,
      values: input.values,
      reason: input.reason,
      framework,
      amendedBy: context.actor,
      now: context.now,
    },
  });
}

async function frameworkVersionFor(
  context: CommandContext,
  serviceId: string,
  pick: (framework: Awaited<ReturnType<typeof loadFramework>>) => FrameworkVersion | null,
  period: string,
): Promise<FrameworkVersion> {
  const service = await loadState(
    context,
    streamIds.service(context.tenantId, serviceId),
    serviceDecider,
  );
  if (service.status !== 'registered') throw new NotFoundError(`No service ${serviceId}`);
  const framework = await loadFramework(context, service.frameworkId);
  const version = pick(framework);
  if (!version) {
    throw InvalidCommandError.of(
      'period',
      `no version of framework ${service.frameworkId} is in force for ${period}`,
    );
  }
  return version;
}

function loadFramework(context: CommandContext, frameworkId: string) {
  return loadState(
    context,
    streamIds.kpiFramework(context.tenantId, frameworkId),
    kpiFrameworkDecider,
  );
}
