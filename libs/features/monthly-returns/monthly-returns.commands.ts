import { FeatureCommand, type EntityId } from '@kpi/command-handling';
import type { BonusCompliance, Judgement, Period, SignOffStage } from '@kpi/domain';
import type { AppendResult } from '@kpi/event-store';

/** A service's return for a month: indicator code → value, checked against the framework. */
export interface SubmitMonthlyReturnInput {
  serviceId: EntityId;
  period: Period;
  /** Indicator code → value; which codes and what values only the framework version knows. */
  values: Record<string, unknown>;
}

/** New values for some indicators of a submitted return, and why. */
export interface AmendMonthlyReturnInput extends SubmitMonthlyReturnInput {
  reason: string;
}

/** A return as judged: what a submission or an amendment answers. */
export interface JudgedReturn {
  streamId: string;
  serviceId: string;
  period: Period;
  frameworkId: string;
  frameworkVersion: number;
  /** `YYYY-MM-DD`: the 20th of the following month. */
  dueDate: string;
  /** Whether the submission was late; null on an amendment. */
  late: boolean | null;
  results: Record<string, Judgement>;
  bonus: BonusCompliance | null;
  /** Amendments so far. */
  amendments: number;
  /**
   * Where its figures are in sign-off (docs/decisions/0037): `submitted` when they wait to be
   * verified; null when sign-off was off (published as given).
   */
  signOff: SignOffStage | null;
  /** True when the command had been carried out already (a retry): nothing new was written. */
  replayed: boolean;
  /** The event written (or, on a retry, found): its id and places in its stream and the log. */
  appended: AppendResult['events'];
}

export class SubmitMonthlyReturn extends FeatureCommand<SubmitMonthlyReturnInput, JudgedReturn> {}

export class AmendMonthlyReturn extends FeatureCommand<AmendMonthlyReturnInput, JudgedReturn> {}
