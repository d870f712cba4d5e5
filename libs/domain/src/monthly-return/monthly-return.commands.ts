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
    /** Whether the organisation has sign-off turned on (the handler looks it up). */
    signOff?: boolean;
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
    /** Whether the organisation has sign-off turned on (the handler looks it up). */
    signOff?: boolean;
    now: Date;
  };
}

/** A verifier found the return's current figures right (sign-off, docs/decisions/0037). */
export interface VerifyMonthlyReturn {
  type: 'VerifyMonthlyReturn';
  data: { serviceId: string; period: Period; verifiedBy: string; now: Date };
}

/** A verifier sends the return back to be amended, saying why. */
export interface SendBackMonthlyReturn {
  type: 'SendBackMonthlyReturn';
  data: {
    serviceId: string;
    period: Period;
    /** Why: 1 to MAX_REASON_LENGTH characters, not blank (checked at the edge). */
    reason: string;
    sentBackBy: string;
    now: Date;
  };
}

/** Makes the verified figures the return's published ones. */
export interface PublishMonthlyReturn {
  type: 'PublishMonthlyReturn';
  data: { serviceId: string; period: Period; publishedBy: string; now: Date };
}

export type MonthlyReturnCommand =
  | SubmitMonthlyReturn
  | AmendMonthlyReturn
  | VerifyMonthlyReturn
  | SendBackMonthlyReturn
  | PublishMonthlyReturn;
