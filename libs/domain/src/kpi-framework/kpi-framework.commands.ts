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
    /**
     * The months from `effectiveFrom` on that already have returns judged on this framework
     * (read by the use case): a version may not cover them, so history never changes colour.
     * 'unknown' when the caller cannot tell: then no version may start in an ended month.
     */
    judged: readonly JudgedMonth[] | 'unknown';
    publishedBy: string;
    now: Date;
  };
}

/** Returns of one month judged by one version of the framework, and whose they are. */
export interface JudgedMonth {
  period: Period;
  version: number;
  serviceIds: readonly string[];
}

export type KpiFrameworkCommand = PublishKpiFrameworkVersion;
