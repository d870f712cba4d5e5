import type { IndicatorDefinition } from '../../kpi/indicator';
import type { BonusRule } from '../../kpi/judge-indicator.policy';
import { BUSINESS_PLAN_FRAMEWORK_ID, BUSINESS_PLAN_INDICATORS } from './business-plan.preset';
import {
  CHILDRENS_HOMES_BONUS_RULE,
  CHILDRENS_HOMES_FRAMEWORK_ID,
  CHILDRENS_HOMES_INDICATORS,
} from './childrens-homes.preset';
import {
  DIRECT_SERVICES_RESPITE_FRAMEWORK_ID,
  DIRECT_SERVICES_RESPITE_INDICATORS,
} from './direct-services-respite.preset';
import { DIRECT_SERVICES_FRAMEWORK_ID, DIRECT_SERVICES_INDICATORS } from './direct-services.preset';

/** A starting point a tenant publishes as a framework's version (docs/kpi-frameworks.md). */
export interface FrameworkPreset {
  /** The framework it is published as unless another id is given. */
  frameworkId: string;
  name: string;
  indicators: IndicatorDefinition[];
  bonusRule: BonusRule | null;
}

export const FRAMEWORK_PRESET_NAMES = [
  'childrens-homes',
  'direct-services',
  'direct-services-respite',
  'business-plan',
] as const;
export type FrameworkPresetName = (typeof FRAMEWORK_PRESET_NAMES)[number];

export const FRAMEWORK_PRESETS: Readonly<Record<FrameworkPresetName, FrameworkPreset>> = {
  'childrens-homes': {
    frameworkId: CHILDRENS_HOMES_FRAMEWORK_ID,
    name: "Children's homes — operational KPIs",
    indicators: CHILDRENS_HOMES_INDICATORS,
    bonusRule: CHILDRENS_HOMES_BONUS_RULE,
  },
  'direct-services': {
    frameworkId: DIRECT_SERVICES_FRAMEWORK_ID,
    name: 'Direct services — dataset',
    indicators: DIRECT_SERVICES_INDICATORS,
    bonusRule: null,
  },
  'direct-services-respite': {
    frameworkId: DIRECT_SERVICES_RESPITE_FRAMEWORK_ID,
    name: 'Direct services — respite dataset',
    indicators: DIRECT_SERVICES_RESPITE_INDICATORS,
    bonusRule: null,
  },
  'business-plan': {
    frameworkId: BUSINESS_PLAN_FRAMEWORK_ID,
    name: 'Business plan — performance and activity indicators',
    indicators: BUSINESS_PLAN_INDICATORS,
    bonusRule: null,
  },
};

export const isFrameworkPresetName = (name: unknown): name is FrameworkPresetName =>
  (FRAMEWORK_PRESET_NAMES as readonly unknown[]).includes(name);
