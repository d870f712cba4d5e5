import type { Decider } from '../shared/decider';
import { InvalidCommandError } from '../shared/domain-errors';
import type { CommentaryCommand } from './commentary.commands';
import type { CommentaryEvent } from './commentary.events';

/** The longest text of a commentary: checked at the edge, where it is typed. */
export const MAX_COMMENTARY_LENGTH = 4000;

/** The commentary of one indicator's period: how many versions it has. */
export interface CommentaryState {
  versions: number;
}

/**
 * One stream per scope (service or organisation), indicator and period; each command writes the
 * next version, the earlier ones kept. Texts are trimmed; both are required.
 */
export const commentaryDecider: Decider<CommentaryCommand, CommentaryState, CommentaryEvent> = {
  initialState: () => ({ versions: 0 }),

  decide(command, state) {
    switch (command.type) {
      case 'WriteIndicatorCommentary': {
        const { serviceId, indicatorCode, period, writtenBy, now } = command.data;
        const whatHappened = command.data.whatHappened.trim();
        const whatIsBeingDone = command.data.whatIsBeingDone.trim();
        const problems = [
          ...(whatHappened === ''
            ? [{ field: 'whatHappened', reason: 'is required: what happened' }]
            : []),
          ...(whatIsBeingDone === ''
            ? [{ field: 'whatIsBeingDone', reason: 'is required: what is being done' }]
            : []),
        ];
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'IndicatorCommentaryWritten',
            data: {
              serviceId,
              indicatorCode,
              period,
              version: state.versions + 1,
              whatHappened,
              whatIsBeingDone,
              writtenBy,
              writtenAt: now.toISOString(),
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

  evolve(state, event) {
    switch (event.type) {
      case 'IndicatorCommentaryWritten':
        return { versions: event.data.version };
      default: {
        const unexpected: never = event.type;
        return unexpected;
      }
    }
  },
};
