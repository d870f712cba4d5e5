import { FeatureCommand, type CommandOutcome, type EntityId } from '@kpi/command-handling';
import type { BonusRule, KpiFrameworkEvent, KpiFrameworkState, Period } from '@kpi/domain';

/** A new version of a framework, judging months from `effectiveFrom` on. */
export interface PublishFrameworkVersionInput {
  frameworkId: EntityId;
  /** 1 to 200 characters, checked by the framework decider. */
  name: string;
  effectiveFrom: Period;
  /**
   * The indicator definitions, checked by the framework decider (each rule of a definition —
   * units, targets, floors, aggregation — is the domain's, and named in its refusal).
   */
  indicators: unknown;
  bonusRule?: BonusRule | null;
}

/** The children's-homes preset, in force from a month. */
export interface PublishChildrensHomesPresetInput {
  effectiveFrom: Period;
}

/**
 * A preset (docs/kpi-frameworks.md#presets), published as a version of `frameworkId` (the
 * preset's own framework when left out), in force from a month. `preset` is checked by the
 * use case, which names it in its refusal.
 */
export interface PublishPresetInput {
  preset: string;
  frameworkId?: EntityId;
  effectiveFrom: Period;
}

/** What publishing answers: the framework's stream, the version written, the framework after. */
export type FrameworkOutcome = CommandOutcome<KpiFrameworkEvent, KpiFrameworkState>;

export class PublishFrameworkVersion extends FeatureCommand<
  PublishFrameworkVersionInput,
  FrameworkOutcome
> {}

export class PublishChildrensHomesPreset extends FeatureCommand<
  PublishChildrensHomesPresetInput,
  FrameworkOutcome
> {}

export class PublishPreset extends FeatureCommand<PublishPresetInput, FrameworkOutcome> {}
