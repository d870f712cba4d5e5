import type { Decider } from '../shared/decider';
import type { SignOffCommand } from './sign-off.commands';
import type { SignOffEvent } from './sign-off.events';

/** Whether the organisation signs its returns off, and since when (null: never turned on). */
export interface SignOffState {
  on: boolean;
  /** ISO-8601: when it was last turned on or off; null before either. */
  since: string | null;
  by: string | null;
}

/**
 * The organisation's sign-off setting (one stream per tenant). Turning it to what it is already
 * writes nothing, so a retried or repeated request is harmless.
 */
export const signOffDecider: Decider<SignOffCommand, SignOffState, SignOffEvent> = {
  initialState: () => ({ on: false, since: null, by: null }),

  decide(command, state) {
    switch (command.type) {
      case 'SetSignOff': {
        const { on, by, now } = command.data;
        if (on === state.on) return [];
        return [
          on
            ? { type: 'SignOffTurnedOn', data: { turnedOnBy: by, turnedOnAt: now.toISOString() } }
            : {
                type: 'SignOffTurnedOff',
                data: { turnedOffBy: by, turnedOffAt: now.toISOString() },
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
      case 'SignOffTurnedOn':
        return { on: true, since: event.data.turnedOnAt, by: event.data.turnedOnBy };
      case 'SignOffTurnedOff':
        return { on: false, since: event.data.turnedOffAt, by: event.data.turnedOffBy };
      default: {
        const unexpected: never = event;
        return unexpected;
      }
    }
  },
};
