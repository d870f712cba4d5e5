/**
 * A decider (Chassaing; Emmett): the whole behaviour of an aggregate as three pure functions.
 * `decide` returns the events a command produces (or throws a DomainError); `evolve` folds an
 * event into the state; `initialState` is the state before any event.
 */
export interface Decider<Command, State, Event> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Folds a history into the current state. */
export function foldEvents<State, Event>(
  decider: Pick<Decider<unknown, State, Event>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}
