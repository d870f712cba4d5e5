import type { Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError, type FieldProblem } from '../shared/domain-errors';
import type { ComplimentCommand } from './complaint.commands';
import type { ComplimentEvent } from './complaint.events';
import { pastDate, requiredText } from '../shared/command-fields';
import { MAX_COMPLAINT_SUMMARY } from './complaint.decider';
import { DATA_SUBJECT_ID_RULE, isDataSubjectId } from '../data-subject/personal-data';

/** Whether the compliment has been logged (it is logged once and never changes). */
export interface ComplimentState {
  logged: boolean;
}

export const complimentDecider: Decider<ComplimentCommand, ComplimentState, ComplimentEvent> = {
  initialState: () => ({ logged: false }),

  decide(command, state) {
    switch (command.type) {
      case 'LogCompliment': {
        const { complimentId, serviceId, loggedBy, now } = command.data;
        if (state.logged) throw new ConflictError(`Compliment ${complimentId} is already logged`);
        const problems: FieldProblem[] = [];
        const receivedOn = pastDate(command.data.receivedOn, 'receivedOn', now, problems);
        const summary = requiredText(
          command.data.summary,
          'summary',
          MAX_COMPLAINT_SUMMARY,
          problems,
        );
        const given = command.data.subjectId;
        if (given !== undefined && given !== null && !isDataSubjectId(given)) {
          problems.push({ field: 'subjectId', reason: DATA_SUBJECT_ID_RULE });
        }
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'ComplimentLogged',
            data: {
              complimentId,
              serviceId,
              receivedOn: receivedOn!,
              subjectId: isDataSubjectId(given) ? given : command.data.newSubjectId,
              summary: summary!,
              loggedBy,
              loggedAt: now.toISOString(),
            },
          },
        ];
      }
      default: {
        const unexpected: never = command.type;
        return unexpected;
      }
    }
  },

  evolve(_state, event) {
    switch (event.type) {
      case 'ComplimentLogged':
        return { logged: true };
      default: {
        const unexpected: never = event.type;
        return unexpected;
      }
    }
  },
};
