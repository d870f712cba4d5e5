import type { EventStore } from '@kpi/event-store';
import type { CommandContext } from './command-context';

/** Who issued a command, for which tenant, when and under which id: its context but the store. */
export type Issued = Omit<CommandContext, 'store'>;

/**
 * A command a feature offers, as data: what is asked (`input`, already parsed into typed values
 * at the edge) and who asked (`issued`). `Result` is what carrying it out answers, so whoever
 * dispatches the command (the API's command bus) gets a typed answer. Each feature declares
 * one subclass per command (`class SubmitMonthlyReturn extends FeatureCommand<…> {}`); the
 * class is what the bus routes by.
 */
export abstract class FeatureCommand<Input, Result> {
  /** Never set: carries the result type for the bus. */
  declare readonly resultType?: Result;

  constructor(
    readonly input: Input,
    readonly issued: Issued,
  ) {}
}

/** A command class of a feature: what a controller names to dispatch one. */
export type FeatureCommandClass<Input, Result> = new (
  input: Input,
  issued: Issued,
) => FeatureCommand<Input, Result>;

/** The context a command is carried out in: who issued it, against `store`. */
export function commandContext(store: EventStore, issued: Issued): CommandContext {
  return { store, ...issued };
}
