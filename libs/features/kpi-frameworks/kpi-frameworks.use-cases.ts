import {
  CHILDRENS_HOMES_BONUS_RULE,
  CHILDRENS_HOMES_FRAMEWORK_ID,
  CHILDRENS_HOMES_INDICATORS,
  FRAMEWORK_PRESET_NAMES,
  FRAMEWORK_PRESETS,
  InvalidCommandError,
  isFrameworkPresetName,
  kpiFrameworkDecider,
  streamIds,
} from '@kpi/domain';
import { type CommandContext, entityId, handleCommand } from '@kpi/command-handling';
import type { JudgedMonthsReader } from './judged-months';
import type {
  FrameworkOutcome,
  PublishChildrensHomesPresetInput,
  PublishFrameworkVersionInput,
  PublishPresetInput,
} from './kpi-frameworks.commands';

/**
 * Publishes a new version of a framework (the first publishes the framework). With
 * `judgedMonths`, the version may start in an ended month whose returns are not judged yet;
 * without it (a caller that cannot tell), only from the current month on.
 */
export async function publishFrameworkVersion(
  context: CommandContext,
  { frameworkId, name, effectiveFrom, indicators, bonusRule }: PublishFrameworkVersionInput,
  judgedMonths?: JudgedMonthsReader,
): Promise<FrameworkOutcome> {
  const judged = judgedMonths
    ? await judgedMonths(context.tenantId, frameworkId, effectiveFrom)
    : 'unknown';
  return handleCommand(
    context,
    streamIds.kpiFramework(context.tenantId, frameworkId),
    kpiFrameworkDecider,
    {
      type: 'PublishKpiFrameworkVersion',
      data: {
        frameworkId,
        name,
        effectiveFrom,
        indicators,
        bonusRule: bonusRule ?? null,
        judged,
        publishedBy: context.actor,
        now: context.now,
      },
    },
  );
}

/** The preset's framework id, a constant of the domain. */
const CHILDRENS_HOMES = entityId(CHILDRENS_HOMES_FRAMEWORK_ID, 'frameworkId');

/** Publishes the children's-homes preset for a tenant, in force from a month. */
export function publishChildrensHomesPreset(
  context: CommandContext,
  { effectiveFrom }: PublishChildrensHomesPresetInput,
  judgedMonths?: JudgedMonthsReader,
): Promise<FrameworkOutcome> {
  return publishFrameworkVersion(
    context,
    {
      frameworkId: CHILDRENS_HOMES,
      name: "Children's homes — operational KPIs",
      effectiveFrom,
      indicators: CHILDRENS_HOMES_INDICATORS,
      bonusRule: CHILDRENS_HOMES_BONUS_RULE,
    },
    judgedMonths,
  );
}

/**
 * Publishes a preset (`direct-services`, `direct-services-respite`, `business-plan`,
 * `childrens-homes`) as a version of its framework, or of `frameworkId` when given (a second
 * framework from the same starting point), in force from a month.
 */
export function publishPreset(
  context: CommandContext,
  { preset, frameworkId, effectiveFrom }: PublishPresetInput,
  judgedMonths?: JudgedMonthsReader,
): Promise<FrameworkOutcome> {
  if (!isFrameworkPresetName(preset))
    throw InvalidCommandError.of('preset', `must be one of ${FRAMEWORK_PRESET_NAMES.join(', ')}`);
  const { name, indicators, bonusRule } = FRAMEWORK_PRESETS[preset];
  return publishFrameworkVersion(
    context,
    {
      frameworkId: frameworkId ?? entityId(FRAMEWORK_PRESETS[preset].frameworkId, 'frameworkId'),
      name,
      effectiveFrom,
      indicators,
      bonusRule,
    },
    judgedMonths,
  );
}
