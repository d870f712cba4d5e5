import { createHash } from 'node:crypto';
import {
  handleCommand,
  loadState,
  registeredService,
  type CommandContext,
  type CommandOutcome,
} from '@kpi/command-handling';
import { NotFoundError, streamIds } from '@kpi/domain';
import type { GrantAnswer, GrantRegulatorAccessInput } from './regulator-grants.commands';
import { regulatorGrantDecider, type RegulatorGrantState } from './regulator-grant.decider';
import type { RegulatorGrantEvent } from './regulator-grant.events';
import { grantViewAt } from './regulator-grant-view';

/**
 * Grants a regulator organisation read access to the tenant's trail. Each service named must
 * be one of the tenant's (404 naming the first that is not). The grant id derives from the
 * command id, so a request retried with its Idempotency-Key is the same grant.
 */
export async function grantRegulatorAccess(
  context: CommandContext,
  { regulatorTenantId, serviceIds, period, expiresAt, reference }: GrantRegulatorAccessInput,
): Promise<GrantAnswer> {
  for (const serviceId of new Set(serviceIds ?? [])) await registeredService(context, serviceId);
  const grantId = grantIdFor(context.commandId);
  const outcome = await handleCommand(
    context,
    streamIds.regulatorGrant(context.tenantId, grantId),
    regulatorGrantDecider,
    {
      type: 'GrantRegulatorAccess',
      data: {
        grantId,
        grantorTenantId: context.tenantId,
        regulatorTenantId,
        scope: serviceIds === null ? { kind: 'organisation' } : { kind: 'services', serviceIds },
        period,
        expiresAt,
        reference,
        grantedBy: context.actor,
        now: context.now,
      },
    },
  );
  return answer(context, outcome);
}

/** Revokes one of the tenant's grants (404 when it has none by that id); again changes nothing. */
export async function revokeRegulatorAccess(
  context: CommandContext,
  { grantId }: { grantId: string },
): Promise<GrantAnswer> {
  const streamId = streamIds.regulatorGrant(context.tenantId, grantId);
  const state = await loadState(context, streamId, regulatorGrantDecider);
  if (state.status === 'none') throw new NotFoundError(`No grant ${grantId}`);
  const outcome = await handleCommand(context, streamId, regulatorGrantDecider, {
    type: 'RevokeRegulatorAccess',
    data: { grantId, revokedBy: context.actor, now: context.now },
  });
  return answer(context, outcome);
}

/** `grant-` and 16 hex digits of the command id's hash: a valid entity id, the same on a retry. */
export function grantIdFor(commandId: string): string {
  return `grant-${createHash('sha256').update(commandId).digest('hex').slice(0, 16)}`;
}

function answer(
  context: CommandContext,
  outcome: CommandOutcome<RegulatorGrantEvent, RegulatorGrantState>,
): GrantAnswer {
  const { grant, revokedAt, revokedBy } = outcome.state;
  return {
    ...grantViewAt(
      {
        ...grant!,
        streamId: outcome.streamId,
        grantorTenantId: context.tenantId,
        revokedAt,
        revokedBy,
      },
      context.now,
    ),
    replayed: outcome.replayed,
  };
}
