import type { EventStore } from '@kpi/event-store';
import {
  amendProviderCapacityReturn,
  AmendProviderCapacityReturn,
  amendProviderQuarterlyReturn,
  AmendProviderQuarterlyReturn,
  readCapacityReturns,
  ReadCapacityReturns,
  readQuarterlyReturnDraft,
  ReadQuarterlyReturnDraft,
  readQuarterlyReturns,
  ReadQuarterlyReturns,
  submitProviderCapacityReturn,
  SubmitProviderCapacityReturn,
  submitProviderQuarterlyReturn,
  SubmitProviderQuarterlyReturn,
} from '@kpi/features/provider-returns';
import type { FeatureQuery, FeatureQueryClass, Queryable } from '@kpi/projections';
import { Inject, type Type } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { commandHandler } from '../http/buses';
import { EVENT_STORE, PG_POOL } from '../infrastructure/injection-tokens';

/**
 * The `@QueryHandler` of a provider-returns query: its reader needs the read models and the
 * event store too (who sees what is the council's framework stream's to say).
 */
function queryHandlerWithStore<Params, Result>(
  type: FeatureQueryClass<Params, Result>,
  read: (db: Queryable, tenantId: string, params: Params, store: EventStore) => Promise<Result>,
): Type<IQueryHandler> {
  @QueryHandler(type)
  class Handler implements IQueryHandler<FeatureQuery<Params, Result>, Result> {
    constructor(
      @Inject(PG_POOL) private readonly db: Queryable,
      @Inject(EVENT_STORE) private readonly store: EventStore,
    ) {}

    execute({ tenantId, params }: FeatureQuery<Params, Result>): Promise<Result> {
      return read(this.db, tenantId, params, this.store);
    }
  }
  Object.defineProperty(Handler, 'name', { value: `${type.name}Handler` });
  return Handler;
}

/** The handlers of the feature's commands and queries. */
export const providerReturnsHandlers = [
  commandHandler(SubmitProviderCapacityReturn, submitProviderCapacityReturn),
  commandHandler(AmendProviderCapacityReturn, amendProviderCapacityReturn),
  commandHandler(SubmitProviderQuarterlyReturn, submitProviderQuarterlyReturn),
  commandHandler(AmendProviderQuarterlyReturn, amendProviderQuarterlyReturn),
  queryHandlerWithStore(ReadCapacityReturns, readCapacityReturns),
  queryHandlerWithStore(ReadQuarterlyReturns, readQuarterlyReturns),
  queryHandlerWithStore(ReadQuarterlyReturnDraft, readQuarterlyReturnDraft),
];
