import type { Deadline, WorkDone } from './deadline';

/** Issued by the reminder job: tells whoever is responsible, unless the work is done. */
export interface SendDeadlineReminder {
  type: 'SendDeadlineReminder';
  data: {
    deadline: Deadline;
    reminder: string;
    to: string | null;
    work: readonly WorkDone[];
    /** Why nothing is owed (a month the return's framework does not collect): no reminder. */
    notOwed?: string;
    now: Date;
  };
}

/** Issued by the due job once the deadline has passed: judges it, once. */
export interface CloseDeadline {
  type: 'CloseDeadline';
  data: {
    deadline: Deadline;
    work: readonly WorkDone[];
    /** When the staff member left, for staff deadlines. */
    leftOn: string | null;
    /** Who is told when it is missed: a return's regional manager. */
    to: string | null;
    /**
     * Why nothing is owed (a month the return's framework does not collect): cancelled, never
     * missed, unless work met it anyway.
     */
    notOwed?: string;
    now: Date;
  };
}

export type DeadlineCommand = SendDeadlineReminder | CloseDeadline;
