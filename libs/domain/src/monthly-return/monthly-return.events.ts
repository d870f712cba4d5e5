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
    /**
     * Present when the organisation had sign-off turned on (docs/decisions/0037): the figures
     * wait to be verified and published before reports, councils and the bonus use them.
     * Absent: they are the published figures at once, as before sign-off existed.
     */
    signOffRequired?: true;
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
    /**
     * Present when the new figures need verifying again (sign-off on, or the return still in
     * it): the figures published before stay the published ones until these are published.
     */
    signOffRequired?: true;
  };
}

/** The figures of a return (as last submitted or amended) checked and found right. */
export interface MonthlyReturnVerified {
  type: 'MonthlyReturnVerified';
  data: {
    serviceId: string;
    period: Period;
    /** Which figures were verified: 0 as submitted, n after the n-th amendment. */
    amendmentNumber: number;
    verifiedBy: string;
    verifiedAt: string;
  };
}

/**
 * A verifier sent the return back to the provider, saying why: the provider amends it and it is
 * submitted again. The reason can name people: sealed in the personal-data vault under a data
 * subject of its own, like an amendment's.
 */
export interface MonthlyReturnSentBack {
  type: 'MonthlyReturnSentBack';
  data: {
    serviceId: string;
    period: Period;
    amendmentNumber: number;
    reason: PersonalText;
    sentBackBy: string;
    sentBackAt: string;
  };
}

/**
 * Verified figures made the return's published ones: what councils, reports and the bonus see
 * when sign-off is on. Holds the figures themselves, so a read model takes them from this event.
 */
export interface MonthlyReturnPublished {
  type: 'MonthlyReturnPublished';
  data: JudgedBy & {
    serviceId: string;
    period: Period;
    amendmentNumber: number;
    values: Record<string, IndicatorValue>;
    results: Record<string, Judgement>;
    bonus: BonusCompliance | null;
    submittedAt: string;
    late: boolean;
    /** When the published figures were last changed (the submission or the amendment). */
    changedAt: string;
    publishedBy: string;
    publishedAt: string;
  };
}

export type MonthlyReturnEvent =
  | MonthlyReturnSubmitted
  | MonthlyReturnAmended
  | MonthlyReturnVerified
  | MonthlyReturnSentBack
  | MonthlyReturnPublished;

/** The events of a return's sign-off, after its figures: verified, sent back, published. */
export type MonthlyReturnSignOffEvent =
  MonthlyReturnVerified | MonthlyReturnSentBack | MonthlyReturnPublished;

/** The events that set a return's figures: its submission and its amendments. */
export type MonthlyReturnFiguresEvent = MonthlyReturnSubmitted | MonthlyReturnAmended;

/**
 * Upcasters of the monthly-return events (libs/event-store EventTypeRegistry): an amendment
 * stored at version 1 has the same shape, its reason the text itself.
 */
export const MONTHLY_RETURN_UPCASTERS = {
  MonthlyReturnAmended: { 1: (data: unknown): unknown => data },
} as const;
