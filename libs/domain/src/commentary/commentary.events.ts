import type { PersonalText } from '../data-subject/personal-data';

/**
 * Commentary on an indicator's period (docs/decisions/0038), by the people responsible: what
 * happened and what is being done. A revision is a new version; the earlier ones stay. Both
 * texts are about a service but may name staff or children: sealed in the personal-data vault
 * under a data subject of their own (one per version), so they can be erased.
 */
export interface IndicatorCommentaryWritten {
  type: 'IndicatorCommentaryWritten';
  data: {
    /** The service commented on; null for the organisation as a whole (the report's total). */
    serviceId: string | null;
    indicatorCode: string;
    /** A month `YYYY-MM` or a financial quarter `2026-27 Q1`. */
    period: string;
    /** 1 for the first commentary, n for the n-th revision. */
    version: number;
    whatHappened: PersonalText;
    whatIsBeingDone: PersonalText;
    writtenBy: string;
    writtenAt: string;
  };
}

export type CommentaryEvent = IndicatorCommentaryWritten;
