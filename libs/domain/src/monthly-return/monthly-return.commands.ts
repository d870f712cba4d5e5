import type { FrameworkVersion } from '../kpi-framework/kpi-framework.decider';
import type { Period } from '../shared/period';

export interface SubmitMonthlyReturn {
  type: 'SubmitMonthlyReturn';
  data: {
    serviceId: string;
    period: Period;
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
    period: Period;
    /** The indicators to change, with their new values. */
    values: unknown;
    /** Why: 1 to MAX_REASON_LENGTH characters, not blank (checked at the edge, where it is typed). */
    reason: string;
    /** The version the return was judged by (the handler looks it up). */
    framework: FrameworkVersion;
    amendedBy: string;
    now: Date;
  };
}

export type MonthlyReturnCommand = SubmitMonthlyReturn | AmendMonthlyReturn;
