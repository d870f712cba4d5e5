import {
  handleCommand,
  loadState,
  type CommandContext,
  type CommandOutcome,
} from '@kpi/command-handling';
import {
  monthlyReturnDecider,
  signOffDecider,
  streamIds,
  type MonthlyReturnCommand,
  type MonthlyReturnEvent,
  type MonthlyReturnState,
  type SignOffState,
} from '@kpi/domain';
import type { PersonalDataVault } from '@kpi/personal-data';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import { sealAmendmentReason } from './amendment-reason';
import type {
  ReturnRef,
  SendBackMonthlyReturnInput,
  SetSignOffInput,
  SignOffSetting,
  SignOffStep,
} from './sign-off.commands';

/*
 * Sign-off of monthly returns (docs/decisions/0037): when the organisation has it on, a return
 * goes submitted → verified → published, or is sent back to be amended; only published figures
 * reach the KPI grid, the reports and the bonus.
 */

/** Turns the organisation's sign-off on or off; to what it is already, nothing is written. */
export async function setSignOff(
  context: CommandContext,
  { on }: SetSignOffInput,
): Promise<SignOffSetting> {
  const { state, events } = await handleCommand(
    context,
    streamIds.signOff(context.tenantId),
    signOffDecider,
    { type: 'SetSignOff', data: { on, by: context.actor, now: context.now } },
  );
  return { ...state, unchanged: events.length === 0 };
}

/** The organisation's sign-off setting, read from its stream. */
export class ReadSignOffSetting extends FeatureQuery<Record<string, never>, SignOffState> {}

export function readSignOffSetting(
  _db: Queryable,
  tenantId: string,
  _params: Record<string, never>,
  { store }: Pick<QueryReading, 'store'>,
): Promise<SignOffState> {
  return loadState({ store }, streamIds.signOff(tenantId), signOffDecider);
}

/** Verifies the return's current figures: not by whoever gave them (403). */
export function verifyMonthlyReturn(
  context: CommandContext,
  { serviceId, period }: ReturnRef,
): Promise<SignOffStep> {
  return step(context, {
    type: 'VerifyMonthlyReturn',
    data: { serviceId, period, verifiedBy: context.actor, now: context.now },
  });
}

/** Sends the return back to be amended; the reason is sealed in the personal-data vault. */
export function sendBackMonthlyReturn(
  context: CommandContext,
  vault: PersonalDataVault,
  { serviceId, period, reason }: SendBackMonthlyReturnInput,
): Promise<SignOffStep> {
  return step(
    context,
    {
      type: 'SendBackMonthlyReturn',
      data: { serviceId, period, reason, sentBackBy: context.actor, now: context.now },
    },
    sealAmendmentReason(vault, context),
  );
}

/** Publishes the verified figures: what councils, reports and the bonus use from now on. */
export function publishMonthlyReturn(
  context: CommandContext,
  { serviceId, period }: ReturnRef,
): Promise<SignOffStep> {
  return step(context, {
    type: 'PublishMonthlyReturn',
    data: { serviceId, period, publishedBy: context.actor, now: context.now },
  });
}

async function step(
  context: CommandContext,
  command: MonthlyReturnCommand & { data: ReturnRef },
  beforeAppend?: (events: MonthlyReturnEvent[]) => Promise<MonthlyReturnEvent[]>,
): Promise<SignOffStep> {
  const { serviceId, period } = command.data;
  const outcome = await handleCommand(
    context,
    streamIds.monthlyReturn(context.tenantId, serviceId, period),
    monthlyReturnDecider,
    command,
    { beforeAppend },
  );
  return signOffStep(outcome);
}

function signOffStep({
  streamId,
  state,
  replayed,
}: CommandOutcome<MonthlyReturnEvent, MonthlyReturnState>): SignOffStep {
  if (state.status !== 'submitted' || state.signOff === null)
    throw new Error(`${streamId} is not in sign-off after a sign-off step`);
  return {
    streamId,
    serviceId: state.serviceId,
    period: state.period,
    signOff: state.signOff.stage,
    amendmentNumber: state.amendments,
    publishedAmendment: state.signOff.publishedAmendment,
    replayed,
  };
}
