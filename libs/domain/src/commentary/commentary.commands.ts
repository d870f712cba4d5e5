/** Writes (or revises) the commentary on an indicator's period. */
export interface WriteIndicatorCommentary {
  type: 'WriteIndicatorCommentary';
  data: {
    serviceId: string | null;
    indicatorCode: string;
    period: string;
    whatHappened: string;
    whatIsBeingDone: string;
    writtenBy: string;
    now: Date;
  };
}

export type CommentaryCommand = WriteIndicatorCommentary;
