/**
 * The commands of a provider's returns to the council that commissions it
 * (docs/rules/provider-returns.md). The use case checks that the caller is a provider on the
 * council's framework and passes the framework's contract start date; the deciders check everything
 * the caller typed, naming each field as the request names it.
 */

/** What the framework tells the deciders: returns start with the contract. */
export interface ReturnOnFramework {
  frameworkId: string;
  providerId: string;
  /** `YYYY-MM-DD`: nothing is returned for a month or quarter that ended before it. */
  contractStartDate: string;
}

/**
 * The figures of a capacity return as typed (checked by the decider). There is no
 * `averageHoursPerCareWorker` to give: it is worked out; sending one is refused.
 */
export interface CapacityFiguresInput {
  careWorkers: unknown;
  packages: unknown;
  totalHours: unknown;
  estimatedHoursAvailableNextMonth: unknown;
  /** Only ever present to be refused (400 naming it): it is computed. */
  averageHoursPerCareWorker?: unknown;
}

export interface SubmitProviderCapacityReturn {
  type: 'SubmitProviderCapacityReturn';
  data: ReturnOnFramework &
    CapacityFiguresInput & {
      /** `YYYY-MM`: this month or an earlier one (London). */
      period: unknown;
      submittedBy: string;
      now: Date;
    };
}

/** A correction: every figure again (not only those that change), with the reason. */
export interface AmendProviderCapacityReturn {
  type: 'AmendProviderCapacityReturn';
  data: ReturnOnFramework &
    CapacityFiguresInput & {
      period: unknown;
      reason: unknown;
      amendedBy: string;
      now: Date;
    };
}

export type ProviderCapacityReturnCommand =
  SubmitProviderCapacityReturn | AmendProviderCapacityReturn;

export interface SubmitProviderQuarterlyReturn {
  type: 'SubmitProviderQuarterlyReturn';
  data: ReturnOnFramework & {
    /** `2026-27 Q1`: from the quarter's last month onwards. */
    quarter: unknown;
    /** KPI code → `{ numerator, denominator }`, for every quarterly-return KPI. */
    figures: unknown;
    submittedBy: string;
    now: Date;
  };
}

/** A correction: the figures of every KPI again, with the reason. */
export interface AmendProviderQuarterlyReturn {
  type: 'AmendProviderQuarterlyReturn';
  data: ReturnOnFramework & {
    quarter: unknown;
    figures: unknown;
    reason: unknown;
    amendedBy: string;
    now: Date;
  };
}

export type ProviderQuarterlyReturnCommand =
  SubmitProviderQuarterlyReturn | AmendProviderQuarterlyReturn;
