import {
  capacityReturnDecider,
  ConflictError,
  parseFinancialQuarter,
  parsePeriod,
  parseQuarterKey,
  quarterKeyOf,
  quarterlyReturnDecider,
  streamIds,
  type AmendProviderCapacityReturn,
  type AmendProviderQuarterlyReturn,
  type CapacityFiguresInput,
  type Decider,
  type Period,
  type ReturnOnFramework,
  type SubmitProviderCapacityReturn,
  type SubmitProviderQuarterlyReturn,
} from '@kpi/domain';
import {
  actingForProvider,
  frameworkViewer,
  type CommandContext,
  entityId,
  handleCommand,
  type DomainEvent,
} from '@kpi/command-handling';

/**
 * A provider's returns to the council that commissions it (docs/rules/provider-returns.md;
 * docs/provider-returns.md): the monthly capacity return and the quarterly return. They are the
 * council's records, so they are written to the council's streams, naming the provider; only a
 * provider on the council's framework sends them, with its own token. Another council or a
 * provider not on the framework is told the framework does not exist (404); the council itself
 * is refused (409): the return is the provider's to make, the council reads it.
 */

interface OnCouncilFramework {
  councilId: unknown;
  frameworkId: unknown;
}

export interface SubmitProviderCapacityReturnInput
  extends OnCouncilFramework, CapacityFiguresInput {
  period: unknown;
}

/** The caller's provider returns its capacity for a month (this month or an earlier one). */
export async function submitProviderCapacityReturn(
  context: CommandContext,
  input: SubmitProviderCapacityReturnInput,
) {
  const ids = frameworkIds(input);
  const period = parsePeriod(input.period);
  return providerReturnCommand(
    context,
    ids,
    capacityReturn(period),
    (onFramework): SubmitProviderCapacityReturn => ({
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
}

export interface AmendProviderCapacityReturnInput extends SubmitProviderCapacityReturnInput {
  reason: unknown;
}

/** Corrects a capacity return: every figure again, with the reason. */
export async function amendProviderCapacityReturn(
  context: CommandContext,
  input: AmendProviderCapacityReturnInput,
) {
  const ids = frameworkIds(input);
  const period = parsePeriod(input.period);
  return providerReturnCommand(
    context,
    ids,
    capacityReturn(period),
    (onFramework): AmendProviderCapacityReturn => ({
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
  );
}

export interface SubmitProviderQuarterlyReturnInput extends OnCouncilFramework {
  /** `2026-27 Q1`. */
  quarter: unknown;
  figures: unknown;
}

/** The caller's provider makes its quarterly return (from the quarter's last month onwards). */
export async function submitProviderQuarterlyReturn(
  context: CommandContext,
  input: SubmitProviderQuarterlyReturnInput,
) {
  const ids = frameworkIds(input);
  const { quarter } = parseFinancialQuarter(input.quarter, 'quarter');
  return providerReturnCommand(
    context,
    ids,
    quarterlyReturn(quarter),
    (onFramework): SubmitProviderQuarterlyReturn => ({
      type: 'SubmitProviderQuarterlyReturn',
      data: {
        ...onFramework,
        quarter,
        figures: input.figures,
        submittedBy: context.actor,
        now: context.now,
      },
    }),
  );
}

export interface AmendProviderQuarterlyReturnInput extends OnCouncilFramework {
  /** `2026-27-q1`, as in the URL. */
  quarterKey: unknown;
  figures: unknown;
  reason: unknown;
}

/** Corrects a quarterly return: the figures of every KPI again, with the reason. */
export async function amendProviderQuarterlyReturn(
  context: CommandContext,
  input: AmendProviderQuarterlyReturnInput,
) {
  const ids = frameworkIds(input);
  const { quarter } = parseQuarterKey(input.quarterKey, 'quarterKey');
  return providerReturnCommand(
    context,
    ids,
    quarterlyReturn(quarter),
    (onFramework): AmendProviderQuarterlyReturn => ({
      type: 'AmendProviderQuarterlyReturn',
      data: {
        ...onFramework,
        quarter,
        figures: input.figures,
        reason: input.reason,
        amendedBy: context.actor,
        now: context.now,
      },
    }),
  );
}

interface FrameworkIds {
  councilId: string;
  frameworkId: string;
}

function frameworkIds(input: OnCouncilFramework): FrameworkIds {
  return {
    councilId: entityId(input.councilId, 'councilId'),
    frameworkId: entityId(input.frameworkId, 'frameworkId'),
  };
}

type ReturnIds = FrameworkIds & { providerId: string };

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
async function providerReturnCommand<Command, State, Event extends DomainEvent>(
  context: CommandContext,
  { councilId, frameworkId }: FrameworkIds,
  target: ReturnOf<Command, State, Event>,
  command: (onFramework: ReturnOnFramework) => Command,
) {
  const { framework, viewer } = await frameworkViewer(context, councilId, frameworkId);
  if (viewer.kind !== 'provider') {
    throw new ConflictError(
      `A provider on ${frameworkId} makes its own returns, with its own token; ${councilId} is the council and reads them`,
      { councilId, frameworkId },
    );
  }
  const { providerId } = viewer;
  return handleCommand(
    actingForProvider(context, councilId),
    target.streamId({ councilId, frameworkId, providerId }),
    target.decider,
    command({ frameworkId, providerId, contractStartDate: framework.contractStartDate }),
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
