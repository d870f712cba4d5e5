import type { IndicatorValue } from '../kpi/indicator-value';
import type { BonusCompliance, Judgement } from '../kpi/judge-indicator.policy';
import type { PersonalText } from '../data-subject/personal-data';
import type { Period } from '../shared/period';

/** The framework version a return was judged by, kept with it so history keeps its colours. */
export interface JudgedBy {
  frameworkId: string;
  frameworkVersion: number;
}

/** A service's KPI return for a month, judged against the framework version in force then. */
export interface MonthlyReturnSubmitted {
  type: 'MonthlyReturnSubmitted';
  data: JudgedBy & {
    serviceId: string;
    period: Period;
    values: Record<string, IndicatorValue>;
    results: Record<string, Judgement>;
    /** null when the framework has no bonus scheme. */
    bonus: BonusCompliance | null;
    submittedBy: string;
    /** ISO-8601. */
    submittedAt: string;
    /** `YYYY-MM-DD`: the 20th of the following month. */
    dueDate: string;
    late: boolean;
  };
}

/**
 * New values for a submitted return, with the reason and who made the change. The original and
 * every amendment stay in the stream; the return is judged again as a whole.
 *
 * The reason is free text that can name children or staff: from schema version 2 it is sealed
 * in the personal-data vault under a data subject of its own (one per amendment), so it can be
 * erased by itself. Version 1 held the text, which is read as it was and cannot be erased.
 */
export interface MonthlyReturnAmended {
  type: 'MonthlyReturnAmended';
  data: JudgedBy & {
    serviceId: string;
    period: Period;
    /** 1 for the first amendment of this return. */
    amendmentNumber: number;
    /** Only the indicators whose values changed, with their new values… */
    changes: Record<string, IndicatorValue>;
    /** …and the return as a whole after the change. */
    values: Record<string, IndicatorValue>;
    results: Record<string, Judgement>;
    bonus: BonusCompliance | null;
    reason: PersonalText;
    amendedBy: string;
    amendedAt: string;
  };
}

export type MonthlyReturnEvent = MonthlyReturnSubmitted | MonthlyReturnAmended;

/**
 * Upcasters of the monthly-return events (libs/event-store EventTypeRegistry): an amendment
 * stored at version 1 has the same shape, its reason the text itself.
 */
export const MONTHLY_RETURN_UPCASTERS = {
  MonthlyReturnAmended: { 1: (data: unknown): unknown => data },
} as const;
