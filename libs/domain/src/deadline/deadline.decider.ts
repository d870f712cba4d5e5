import type { Decider } from '../shared/decider';
import { isReminderDue, judgeDeadline } from './deadline';
import type { DeadlineCommand } from './deadline.commands';
import type { DeadlineEvent } from './deadline.events';

export interface DeadlineState {
  remindersSent: readonly string[];
  passed: boolean;
}

/**
 * One deadline's stream: its reminders and its passing. Jobs fire at least once; this makes
 * each reminder and the judgement happen exactly once, and never after the work is done.
 */
export const deadlineDecider: Decider<DeadlineCommand, DeadlineState, DeadlineEvent> = {
  initialState: () => ({ remindersSent: [], passed: false }),

  decide(command, state) {
    if (state.passed) return [];
    switch (command.type) {
      case 'SendDeadlineReminder': {
        const { deadline, reminder, to, work, notOwed, now } = command.data;
        if (notOwed !== undefined) return [];
        if (state.remindersSent.includes(reminder) || !isReminderDue(deadline, work)) return [];
        return [
          {
            type: 'DeadlineReminderSent',
            data: { deadline, reminder, to, sentAt: now.toISOString() },
          },
        ];
      }
      case 'CloseDeadline': {
        const { deadline, work, leftOn, to, notOwed, now } = command.data;
        const judged = judgeDeadline(deadline, work, leftOn);
        return [
          {
            type: 'DeadlinePassed',
            data: {
              deadline,
              to,
              judgedAt: now.toISOString(),
              ...(judged.outcome !== 'met' && notOwed !== undefined
                ? { outcome: 'cancelled' as const, reason: notOwed }
                : judged),
            },
          },
        ];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'DeadlineReminderSent':
        return { ...state, remindersSent: [...state.remindersSent, event.data.reminder] };
      case 'DeadlinePassed':
        return { ...state, passed: true };
    }
  },
};
