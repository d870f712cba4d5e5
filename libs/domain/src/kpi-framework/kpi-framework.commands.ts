import type { BonusRule } from '../kpi/judge-indicator.policy';
import type { Period } from '../shared/period';

export interface PublishKpiFrameworkVersion {
  type: 'PublishKpiFrameworkVersion';
  data: {
    frameworkId: string;
    name: string;
    /** The first month judged by this version (parsed at the edge). */
    effectiveFrom: Period;
    indicators: unknown;
    bonusRule: BonusRule | null;
    publishedBy: string;
    now: Date;
  };
}

export type KpiFrameworkCommand = PublishKpiFrameworkVersion;
