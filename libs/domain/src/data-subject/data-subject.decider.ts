import type { Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError } from '../shared/domain-errors';
import { londonDateOf } from '../shared/period';
import type { DataSubjectCommand } from './data-subject.commands';
import { ERASURE_REASONS, type DataSubjectEvent, type ErasureReason } from './data-subject.events';

/** A data subject as the trail knows them: erased, or not (yet). */
export interface DataSubjectState {
  erasedAt: string | null;
}

/** A subject is erased once: a second erasure is a conflict naming the day of the first. */
export const dataSubjectDecider: Decider<DataSubjectCommand, DataSubjectState, DataSubjectEvent> = {
  initialState: () => ({ erasedAt: null }),

  decide(command, state) {
    switch (command.type) {
      case 'EraseDataSubject': {
        const { subjectId, reason, erasedBy, now } = command.data;
        if (state.erasedAt) {
          const erasedOn = londonDateOf(new Date(state.erasedAt));
          throw new ConflictError(`Data subject ${subjectId} was erased on ${erasedOn}`, {
            erasedOn,
          });
        }
        if (!(ERASURE_REASONS as readonly unknown[]).includes(reason)) {
          throw InvalidCommandError.of('reason', `must be one of ${ERASURE_REASONS.join(', ')}`);
        }
        return [
          {
            type: 'DataSubjectErased',
            data: {
              subjectId,
              reason: reason as ErasureReason,
              erasedBy,
              erasedAt: now.toISOString(),
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
      case 'DataSubjectErased':
        return { erasedAt: event.data.erasedAt };
      default: {
        const unexpected: never = event.type;
        return unexpected;
      }
    }
  },
};
