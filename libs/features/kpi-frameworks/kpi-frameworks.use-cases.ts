import {
  CHILDRENS_HOMES_BONUS_RULE,
  CHILDRENS_HOMES_FRAMEWORK_ID,
  CHILDRENS_HOMES_INDICATORS,
  kpiFrameworkDecider,
  streamIds,
  type BonusRule,
} from '@kpi/domain';
import { type CommandContext, entityId, handleCommand } from '@kpi/command-handling';

export interface PublishFrameworkVersionInput {
  frameworkId: unknown;
  name: string;
  effectiveFrom: unknown;
  indicators: unknown;
  bonusRule?: BonusRule | null;
}

export function publishFrameworkVersion(
  context: CommandContext,
  input: PublishFrameworkVersionInput,
) {
  const frameworkId = entityId(input.frameworkId, 'frameworkId');
  return handleCommand(
    context,
    streamIds.kpiFramework(context.tenantId, frameworkId),
    kpiFrameworkDecider,
    {
      type: 'PublishKpiFrameworkVersion',
      data: {
        frameworkId,
        name: input.name,
        effectiveFrom: input.effectiveFrom,
        indicators: input.indicators,
        bonusRule: input.bonusRule ?? null,
        publishedBy: context.actor,
        now: context.now,
      },
    },
  );
}

/** Publishes the children's-homes preset for a tenant, in force from a month. */
export function publishChildrensHomesPreset(context: CommandContext, effectiveFrom: string) {
  return publishFrameworkVersion(context, {
    frameworkId: CHILDRENS_HOMES_FRAMEWORK_ID,
    name: "Children's homes — operational KPIs",
    effectiveFrom,
    indicators: CHILDRENS_HOMES_INDICATORS,
    bonusRule: CHILDRENS_HOMES_BONUS_RULE,
  });
}
