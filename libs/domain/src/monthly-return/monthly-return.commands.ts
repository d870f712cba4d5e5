import type { FrameworkVersion } from '../kpi-framework/kpi-framework.decider';

export interface SubmitMonthlyReturn {
  type: 'SubmitMonthlyReturn';
  data: {
    serviceId: string;
    /** `YYYY-MM`, checked by the decider. */
    period: unknown;
    /** Indicator code → value (or `{ notApplicable: true, reason }`), checked by the decider. */
    values: unknown;
    /** The framework version in force for the period (the handler looks it up). */
    framework: FrameworkVersion;
    submittedBy: string;
    now: Date;
  };
}

export interface AmendMonthlyReturn {
  type: 'AmendMonthlyReturn';
  data: {
    serviceId: string;
    period: unknown;
    /** The indicators to change, with their new values. */
    values: unknown;
    reason: unknown;
    /** The version the return was judged by (the handler looks it up). */
    framework: FrameworkVersion;
    amendedBy: string;
    now: Date;
  };
}

export type MonthlyReturnCommand = SubmitMonthlyReturn | AmendMonthlyReturn;
