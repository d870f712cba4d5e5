import { FeatureCommand, type CommandOutcome, type EntityId } from '@kpi/command-handling';
import type {
  CareFrameworkEvent,
  CareFrameworkState,
  CarePackageEvent,
  CarePackageState,
} from '@kpi/domain';

/*
 * The call-off commands the API offers (docs/rules/care-at-home-call-off.md). Ids arrive parsed
 * (`EntityId`); what the framework and package deciders judge — a name's length, a date, the
 * providers' list, hours a week, an instant not in the future — they still judge, naming the
 * field, because those rules are theirs (and some depend on the clock).
 */

/** A council's framework agreement: its providers in rotation order. */
export interface EstablishCareFrameworkInput {
  frameworkId: EntityId;
  name: string;
  /** `YYYY-MM-DD`: contract year 1 starts this day (the decider checks it). */
  contractStartDate: string;
  /** Provider tenant ids in rotation order (the decider names each bad one: `providers[2]`). */
  providers: readonly unknown[];
}

export interface AddProviderToCareFrameworkInput {
  frameworkId: EntityId;
  providerId: EntityId;
}

/** A new package of the council's, referred to one of its frameworks. */
export interface RegisterCarePackageInput {
  frameworkId: EntityId;
  /** Optional: by default derived from the command id, so a retried request refers it once. */
  packageId?: EntityId;
  hoursPerWeek: number;
  outcomes: string;
  /** `YYYY-MM-DD` (the decider checks it). */
  startDate: string;
  endDate?: string | null;
  urgent: boolean;
  communicationNeeds?: string | null;
  specialRequirements?: string | null;
}

/** A council's package, as a provider names it when it answers. */
export interface ProviderPackageInput {
  councilId: EntityId;
  packageId: EntityId;
}

export interface DeclineCarePackageInput extends ProviderPackageInput {
  reason?: string | null;
}

export interface RecordFamilyContactInput extends ProviderPackageInput {
  /** An instant with its offset, not in the future (the decider checks it against the clock). */
  contactedAt: string;
}

export interface RecordCareStartedInput extends ProviderPackageInput {
  /** `YYYY-MM-DD`, not in the future (the decider checks it against the clock). */
  startedOn: string;
}

/** What a framework command answers: the framework's stream and state after it. */
export type CareFrameworkOutcome = CommandOutcome<CareFrameworkEvent, CareFrameworkState>;

/** What a package command answers: the package's stream and its state after it. */
export type CarePackageOutcome = CommandOutcome<CarePackageEvent, CarePackageState>;

export class EstablishCareFramework extends FeatureCommand<
  EstablishCareFrameworkInput,
  CareFrameworkOutcome
> {}

export class AddProviderToCareFramework extends FeatureCommand<
  AddProviderToCareFrameworkInput,
  CareFrameworkOutcome
> {}

export class RegisterCarePackage extends FeatureCommand<
  RegisterCarePackageInput,
  CarePackageOutcome
> {}

export class AcceptCarePackage extends FeatureCommand<ProviderPackageInput, CarePackageOutcome> {}

export class DeclineCarePackage extends FeatureCommand<
  DeclineCarePackageInput,
  CarePackageOutcome
> {}

export class RecordFamilyContact extends FeatureCommand<
  RecordFamilyContactInput,
  CarePackageOutcome
> {}

export class RecordCareStarted extends FeatureCommand<RecordCareStartedInput, CarePackageOutcome> {}
