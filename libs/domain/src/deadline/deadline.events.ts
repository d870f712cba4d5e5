import type { Deadline, DeadlineOutcome } from './deadline';

/** A reminder went out before a deadline (the work was not done yet). */
export interface DeadlineReminderSent {
  type: 'DeadlineReminderSent';
  data: {
    deadline: Deadline;
    reminder: string;
    /** Who was told: the regional manager for returns; null when nobody is on record. */
    to: string | null;
    sentAt: string;
  };
}

/**
 * A deadline passed: met (by which work), missed, or cancelled (the staff member left). A missed
 * return is flagged overdue to `to`, the regional manager.
 */
export interface DeadlinePassed {
  type: 'DeadlinePassed';
  data: {
    deadline: Deadline;
    to: string | null;
    judgedAt: string;
  } & DeadlineOutcome;
}

export type DeadlineEvent = DeadlineReminderSent | DeadlinePassed;
