import { foldEvents, type Decider } from '@kpi/domain';

/**
 * Given / when / then for deciders (after Emmett's DeciderSpecification):
 *
 *   spec.given([returnSubmitted()]).when(amendReturn()).then([returnAmended()])
 *   spec.given([]).when(amendReturn()).thenThrows(NotFoundError, /no return/)
 */
export function deciderSpecification<Command, State, Event>(
  decider: Decider<Command, State, Event>,
) {
  return {
    given(history: readonly Event[]) {
      return {
        when(command: Command) {
          const decide = () => decider.decide(command, foldEvents(decider, history));
          return {
            then(expected: readonly Event[]): void {
              expect(decide()).toEqual(expected);
            },
            /** For events with parts worth checking one by one. */
            thenEvents(check: (events: Event[]) => void): void {
              check(decide());
            },
            thenThrows(
              errorType: new (...args: never[]) => Error,
              message?: string | RegExp,
            ): void {
              let thrown: unknown;
              try {
                decide();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toBeInstanceOf(errorType);
              if (message !== undefined) expect((thrown as Error).message).toMatch(message);
            },
            thenNothingHappened(): void {
              expect(decide()).toEqual([]);
            },
          };
        },
      };
    },
  };
}
