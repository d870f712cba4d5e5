import {
  capacityReturnDecider,
  ConflictError,
  quarterKeyOf,
  quarterlyReturnDecider,
  streamIds,
  type AmendProviderCapacityReturn as AmendCapacityCommand,
  type AmendProviderQuarterlyReturn as AmendQuarterlyCommand,
  type CapacityFiguresInput,
  type CapacityReturnState,
  type Decider,
  type Period,
  type ProviderCapacityReturnEvent,
  type ProviderQuarterlyReturnEvent,
  type QuarterlyReturnState,
  type ReturnOnFramework,
  type SubmitProviderCapacityReturn as SubmitCapacityCommand,
  type SubmitProviderQuarterlyReturn as SubmitQuarterlyCommand,
} from '@kpi/domain';
import {
  actingForProvider,
  frameworkViewer,
  handleCommand,
  type CommandContext,
  type CommandOutcome,
  type DomainEvent,
} from '@kpi/command-handling';
import type { PersonalDataVault } from '@kpi/personal-data';
import { sealProviderAmendmentReason } from './provider-amendment-reason';
import type {
  AmendProviderCapacityReturnInput,
  AmendProviderQuarterlyReturnInput,
  CapacityReturnAccepted,
  OnCouncilFramework,
  QuarterlyReturnAccepted,
  SubmitProviderCapacityReturnInput,
  SubmitProviderQuarterlyReturnInput,
} from './provider-returns.commands';

/**
 * A provider's returns to the council that commissions it (docs/rules/provider-returns.md;
 * docs/provider-returns.md): the monthly capacity return and the quarterly return. They are the
 * council's records, so they are written to the council's streams, naming the provider; only a
 * provider on the council's framework sends them, with its own token. Another council or a
 * provider not on the framework is told the framework does not exist (404); the council itself
 * is refused (409): the return is the provider's to make, the council reads it. The ids, the
 * month and the quarter come parsed (at the edge); the deciders check the figures and reason.
 */

/** The caller's provider returns its capacity for a month (this month or an earlier one). */
export async function submitProviderCapacityReturn(
  context: CommandContext,
  input: SubmitProviderCapacityReturnInput,
): Promise<CapacityReturnAccepted> {
  const { period } = input;
  const outcome = await providerReturnCommand(
    context,
    input,
    capacityReturn(period),
    (onFramework): SubmitCapacityCommand => ({
      type: 'SubmitProviderCapacityReturn',
      data: {
        ...onFramework,
        period,
        ...capacityFigures(input),
        submittedBy: context.actor,
        now: context.now,
      },
    }),
  );
  return capacityAccepted(outcome);
}

/** Corrects a capacity return: every figure again, with the reason (sealed in the vault). */
export async function amendProviderCapacityReturn(
  context: CommandContext,
  vault: PersonalDataVault,
  input: AmendProviderCapacityReturnInput,
): Promise<CapacityReturnAccepted> {
  const { period } = input;
  const outcome = await providerReturnCommand(
    context,
    input,
    capacityReturn(period),
    (onFramework): AmendCapacityCommand => ({
      type: 'AmendProviderCapacityReturn',
      data: {
        ...onFramework,
        period,
        ...capacityFigures(input),
        reason: input.reason,
        amendedBy: context.actor,
        now: context.now,
      },
    }),
    vault,
  );
  return capacityAccepted(outcome);
}

/** The caller's provider makes its quarterly return (from the quarter's last month onwards). */
export async function submitProviderQuarterlyReturn(
  context: CommandContext,
  { quarter, figures, ...ids }: SubmitProviderQuarterlyReturnInput,
): Promise<QuarterlyReturnAccepted> {
  const outcome = await providerReturnCommand(
    context,
    ids,
    quarterlyReturn(quarter),
    (onFramework): SubmitQuarterlyCommand => ({
      type: 'SubmitProviderQuarterlyReturn',
      data: { ...onFramework, quarter, figures, submittedBy: context.actor, now: context.now },
    }),
  );
  return quarterlyAccepted(outcome);
}

/** Corrects a quarterly return: the figures of every KPI again, with the reason (sealed). */
export async function amendProviderQuarterlyReturn(
  context: CommandContext,
  vault: PersonalDataVault,
  { quarter, figures, reason, ...ids }: AmendProviderQuarterlyReturnInput,
): Promise<QuarterlyReturnAccepted> {
  const outcome = await providerReturnCommand(
    context,
    ids,
    quarterlyReturn(quarter),
    (onFramework): AmendQuarterlyCommand => ({
      type: 'AmendProviderQuarterlyReturn',
      data: {
        ...onFramework,
        quarter,
        figures,
        reason,
        amendedBy: context.actor,
        now: context.now,
      },
    }),
    vault,
  );
  return quarterlyAccepted(outcome);
}

/** What a capacity command answers: the return as its (last) event stored it. */
function capacityAccepted({
  streamId,
  events,
  replayed,
}: CommandOutcome<ProviderCapacityReturnEvent, CapacityReturnState>): CapacityReturnAccepted {
  const { data } = events[events.length - 1]!;
  return {
    streamId,
    providerId: data.providerId,
    period: data.period,
    careWorkers: data.careWorkers,
    packages: data.packages,
    totalHours: data.totalHours,
    averageHoursPerCareWorker: data.averageHoursPerCareWorker,
    estimatedHoursAvailableNextMonth: data.estimatedHoursAvailableNextMonth,
    replayed,
  };
}

/** What a quarterly command answers: the return as its (last) event stored it. */
function quarterlyAccepted({
  streamId,
  events,
  replayed,
}: CommandOutcome<ProviderQuarterlyReturnEvent, QuarterlyReturnState>): QuarterlyReturnAccepted {
  const { data } = events[events.length - 1]!;
  return {
    streamId,
    providerId: data.providerId,
    quarter: data.quarter,
    quarterKey: quarterKeyOf(data.quarter),
    figures: data.figures,
    replayed,
  };
}

type ReturnIds = OnCouncilFramework & { providerId: string };

/** Which return a command is for: its decider and its stream on the council's framework. */
interface ReturnOf<Command, State, Event extends DomainEvent> {
  decider: Decider<Command, State, Event>;
  streamId(ids: ReturnIds): string;
}

const capacityReturn = (period: Period) => ({
  decider: capacityReturnDecider,
  streamId: ({ councilId, frameworkId, providerId }: ReturnIds) =>
    streamIds.providerCapacityReturn(councilId, frameworkId, providerId, period),
});

const quarterlyReturn = (quarter: string) => ({
  decider: quarterlyReturnDecider,
  streamId: ({ councilId, frameworkId, providerId }: ReturnIds) =>
    streamIds.providerQuarterlyReturn(councilId, frameworkId, providerId, quarterKeyOf(quarter)),
});

/**
 * A provider's return command on the council's stream: the caller must be a provider on the
 * council's framework (404 for anyone not on it; 409 for the council itself: the return is its
 * provider's to make). The command, told the framework's contract start, is then handled in
 * the council's tenant, the provider named in the actor.
 */
async function providerReturnCommand<
  Command,
  State,
  Event extends ProviderCapacityReturnEvent | ProviderQuarterlyReturnEvent,
>(
  context: CommandContext,
  { councilId, frameworkId }: OnCouncilFramework,
  target: ReturnOf<Command, State, Event>,
  command: (onFramework: ReturnOnFramework) => Command,
  /** For an amendment: the vault its reason is sealed in. */
  vault?: PersonalDataVault,
): Promise<CommandOutcome<Event, State>> {
  const { framework, viewer } = await frameworkViewer(context, councilId, frameworkId);
  if (viewer.kind !== 'provider') {
    throw new ConflictError(
      `A provider on ${frameworkId} makes its own returns, with its own token; ${councilId} is the council and reads them`,
      { councilId, frameworkId },
    );
  }
  const { providerId } = viewer;
  const asCouncilRecord = actingForProvider(context, councilId);
  return handleCommand(
    asCouncilRecord,
    target.streamId({ councilId, frameworkId, providerId }),
    target.decider,
    command({ frameworkId, providerId, contractStartDate: framework.contractStartDate }),
    vault ? { beforeAppend: sealProviderAmendmentReason<Event>(vault, asCouncilRecord) } : {},
  );
}

/** Only what the return holds: the figures as typed (an average sent is passed on, to be refused). */
function capacityFigures(input: CapacityFiguresInput): CapacityFiguresInput {
  return {
    careWorkers: input.careWorkers,
    packages: input.packages,
    totalHours: input.totalHours,
    estimatedHoursAvailableNextMonth: input.estimatedHoursAvailableNextMonth,
    averageHoursPerCareWorker: input.averageHoursPerCareWorker,
  };
}
