import type { EventStore } from '@kpi/event-store';

/**
 * What a reader may use besides the read models: the event store (a stream read where a read
 * model would be behind, or a hash chain to verify) and the time it reads at, so what is
 * overdue or due today is judged by the same clock as the commands.
 */
export interface QueryReading {
  store: EventStore;
  now: Date;
  clock: () => Date;
}

/**
 * A question a feature answers from its read models, as data: the tenant asking and what is
 * asked (`params`, already parsed at the edge). `Result` types the query bus's answer. Each
 * feature declares one subclass per query; the class is what the bus routes by.
 */
export abstract class FeatureQuery<Params, Result> {
  /** Never set: carries the result type for the bus. */
  declare readonly resultType?: Result;

  constructor(
    readonly tenantId: string,
    readonly params: Params,
  ) {}
}

/** A query class of a feature: what a controller names to ask one. */
export type FeatureQueryClass<Params, Result> = new (
  tenantId: string,
  params: Params,
) => FeatureQuery<Params, Result>;
