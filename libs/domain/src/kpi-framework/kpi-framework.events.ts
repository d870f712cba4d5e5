import type { IndicatorDefinition } from '../kpi/indicator';
import type { BonusRule } from '../kpi/judge-indicator.policy';
import type { Period } from '../shared/period';

/** A new version of a framework's indicator set takes effect from a month on. */
export interface KpiFrameworkVersionPublished {
  type: 'KpiFrameworkVersionPublished';
  data: {
    frameworkId: string;
    name: string;
    /** 1 for the first version. */
    version: number;
    effectiveFrom: Period;
    indicators: IndicatorDefinition[];
    /** null: the framework has no bonus scheme. */
    bonusRule: BonusRule | null;
    publishedBy: string;
    /** ISO-8601. */
    publishedAt: string;
  };
}

export type KpiFrameworkEvent = KpiFrameworkVersionPublished;
