import { FeatureCommand, type EntityId } from '@kpi/command-handling';
import type { Period, SignOffStage } from '@kpi/domain';

/** Sign-off of the organisation's monthly returns turned on or off (docs/decisions/0037). */
export interface SetSignOffInput {
  on: boolean;
}

/** The organisation's sign-off setting after the command. */
export interface SignOffSetting {
  on: boolean;
  /** When it was last turned on or off (ISO-8601), and by whom; null before either. */
  since: string | null;
  by: string | null;
  /** True when it was so already: nothing was written. */
  unchanged: boolean;
}

/** Which return a sign-off step is about. */
export interface ReturnRef {
  serviceId: EntityId;
  period: Period;
}

/** A return sent back, and why (1 to MAX_REASON_LENGTH characters, checked at the edge). */
export interface SendBackMonthlyReturnInput extends ReturnRef {
  reason: string;
}

/** A return after a sign-off step. */
export interface SignOffStep {
  streamId: string;
  serviceId: string;
  period: Period;
  signOff: SignOffStage;
  /** Which figures the step was about: 0 as submitted, n after the n-th amendment. */
  amendmentNumber: number;
  /** The amendment number of the published figures; null while none are. */
  publishedAmendment: number | null;
  /** True when the command had been carried out already (a retry). */
  replayed: boolean;
}

export class SetSignOff extends FeatureCommand<SetSignOffInput, SignOffSetting> {}
export class VerifyMonthlyReturn extends FeatureCommand<ReturnRef, SignOffStep> {}
export class SendBackMonthlyReturn extends FeatureCommand<
  SendBackMonthlyReturnInput,
  SignOffStep
> {}
export class PublishMonthlyReturn extends FeatureCommand<ReturnRef, SignOffStep> {}
