import { FeatureCommand, type EntityId } from '@kpi/command-handling';
import type { CapacityFiguresInput, Period, QuarterlyReturnFigures } from '@kpi/domain';

/**
 * The commands of a provider's returns to the council that commissions it
 * (docs/rules/provider-returns.md; docs/provider-returns.md). The council and framework, the
 * month and the quarter are parsed at the edge; the figures and the reason are the deciders' to
 * check, every problem named in one answer.
 */

/** Whose framework the return is made on: the council's, which the provider is on. */
export interface OnCouncilFramework {
  councilId: EntityId;
  frameworkId: EntityId;
}

/** A capacity return for a month (this month or an earlier one of the contract, London). */
export interface SubmitProviderCapacityReturnInput
  extends OnCouncilFramework, CapacityFiguresInput {
  period: Period;
}

/** Every figure of a capacity return again, with the reason. */
export interface AmendProviderCapacityReturnInput extends SubmitProviderCapacityReturnInput {
  reason: unknown;
}

/** A quarterly return: the figures of every quarterly-return KPI. */
export interface SubmitProviderQuarterlyReturnInput extends OnCouncilFramework {
  /** `2026-27 Q1`, checked at the edge (the decider judges when it may be returned). */
  quarter: string;
  figures: unknown;
}

/** The figures of every KPI of a quarterly return again, with the reason. */
export interface AmendProviderQuarterlyReturnInput extends SubmitProviderQuarterlyReturnInput {
  reason: unknown;
}

/** A capacity return as stored: what a submission or an amendment answers. */
export interface CapacityReturnAccepted {
  streamId: string;
  providerId: string;
  period: string;
  careWorkers: number;
  packages: number;
  totalHours: number;
  /** Worked out: totalHours ÷ careWorkers to one decimal; null with no care workers. */
  averageHoursPerCareWorker: number | null;
  estimatedHoursAvailableNextMonth: number;
  /** True when the command had been carried out already (a retry): nothing new was written. */
  replayed: boolean;
}

/** A quarterly return as stored: what a submission or an amendment answers. */
export interface QuarterlyReturnAccepted {
  streamId: string;
  providerId: string;
  /** `2026-27 Q1`. */
  quarter: string;
  /** `2026-27-q1`: the quarter in amendment URLs. */
  quarterKey: string;
  figures: QuarterlyReturnFigures;
  replayed: boolean;
}

export class SubmitProviderCapacityReturn extends FeatureCommand<
  SubmitProviderCapacityReturnInput,
  CapacityReturnAccepted
> {}

export class AmendProviderCapacityReturn extends FeatureCommand<
  AmendProviderCapacityReturnInput,
  CapacityReturnAccepted
> {}

export class SubmitProviderQuarterlyReturn extends FeatureCommand<
  SubmitProviderQuarterlyReturnInput,
  QuarterlyReturnAccepted
> {}

export class AmendProviderQuarterlyReturn extends FeatureCommand<
  AmendProviderQuarterlyReturnInput,
  QuarterlyReturnAccepted
> {}
