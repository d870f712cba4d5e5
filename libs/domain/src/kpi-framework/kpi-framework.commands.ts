import type { BonusRule } from '../kpi/judge-indicator.policy';

export interface PublishKpiFrameworkVersion {
  type: 'PublishKpiFrameworkVersion';
  data: {
    frameworkId: string;
    name: string;
    /** `YYYY-MM`: the first month judged by this version. */
    effectiveFrom: unknown;
    indicators: unknown;
    bonusRule: BonusRule | null;
    publishedBy: string;
    now: Date;
  };
}

export type KpiFrameworkCommand = PublishKpiFrameworkVersion;
