import {
  capacityReturnDecider,
  ConflictError,
  parseFinancialQuarter,
  parsePeriod,
  parseQuarterKey,
  quarterKeyOf,
  quarterlyReturnDecider,
  streamIds,
  type CapacityFiguresInput,
} from '@kpi/domain';
import { actingForProvider, frameworkViewer, type CareFramework } from './call-off.use-cases';
import type { CommandContext } from './command-context';
import { entityId } from './entity-ids';
import { handleCommand } from './handle-command';

/**
 * A provider's returns to the council that commissions it (seed 004 §95 and the KPI table;
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
  const { councilId, frameworkId } = frameworkIds(input);
  const period = parsePeriod(input.period);
  const { framework, providerId } = await providerOnFramework(context, councilId, frameworkId);
  return handleCommand(
    actingForProvider(context, councilId),
    streamIds.providerCapacityReturn(councilId, frameworkId, providerId, period),
    capacityReturnDecider,
    {
      type: 'SubmitProviderCapacityReturn',
      data: {
        frameworkId,
        providerId,
        contractStartDate: framework.contractStartDate,
        period,
        ...capacityFigures(input),
        submittedBy: context.actor,
        now: context.now,
      },
    },
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
  const { councilId, frameworkId } = frameworkIds(input);
  const period = parsePeriod(input.period);
  const { framework, providerId } = await providerOnFramework(context, councilId, frameworkId);
  return handleCommand(
    actingForProvider(context, councilId),
    streamIds.providerCapacityReturn(councilId, frameworkId, providerId, period),
    capacityReturnDecider,
    {
      type: 'AmendProviderCapacityReturn',
      data: {
        frameworkId,
        providerId,
        contractStartDate: framework.contractStartDate,
        period,
        ...capacityFigures(input),
        reason: input.reason,
        amendedBy: context.actor,
        now: context.now,
      },
    },
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
  const { councilId, frameworkId } = frameworkIds(input);
  const { quarter } = parseFinancialQuarter(input.quarter, 'quarter');
  const { framework, providerId } = await providerOnFramework(context, councilId, frameworkId);
  return handleCommand(
    actingForProvider(context, councilId),
    streamIds.providerQuarterlyReturn(councilId, frameworkId, providerId, quarterKeyOf(quarter)),
    quarterlyReturnDecider,
    {
      type: 'SubmitProviderQuarterlyReturn',
      data: {
        frameworkId,
        providerId,
        contractStartDate: framework.contractStartDate,
        quarter,
        figures: input.figures,
        submittedBy: context.actor,
        now: context.now,
      },
    },
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
  const { councilId, frameworkId } = frameworkIds(input);
  const { quarter } = parseQuarterKey(input.quarterKey, 'quarterKey');
  const { framework, providerId } = await providerOnFramework(context, councilId, frameworkId);
  return handleCommand(
    actingForProvider(context, councilId),
    streamIds.providerQuarterlyReturn(councilId, frameworkId, providerId, quarterKeyOf(quarter)),
    quarterlyReturnDecider,
    {
      type: 'AmendProviderQuarterlyReturn',
      data: {
        frameworkId,
        providerId,
        contractStartDate: framework.contractStartDate,
        quarter,
        figures: input.figures,
        reason: input.reason,
        amendedBy: context.actor,
        now: context.now,
      },
    },
  );
}

function frameworkIds(input: OnCouncilFramework): { councilId: string; frameworkId: string } {
  return {
    councilId: entityId(input.councilId, 'councilId'),
    frameworkId: entityId(input.frameworkId, 'frameworkId'),
  };
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

/**
 * The framework and the caller's provider on it. 404 for anyone not on it (frameworkViewer);
 * the council itself is refused with a 409: the return is its provider's to make.
 */
async function providerOnFramework(
  context: CommandContext,
  councilId: string,
  frameworkId: string,
): Promise<{ framework: CareFramework; providerId: string }> {
  const { framework, viewer } = await frameworkViewer(context, councilId, frameworkId);
  if (viewer.kind !== 'provider') {
    throw new ConflictError(
      `A provider on ${frameworkId} makes its own returns, with its own token; ${councilId} is the council and reads them`,
      { councilId, frameworkId },
    );
  }
  return { framework, providerId: viewer.providerId };
}
