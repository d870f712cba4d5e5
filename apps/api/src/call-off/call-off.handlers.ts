import type { FeatureQuery, FeatureQueryClass, Queryable } from '@kpi/projections';
import {
  acceptCarePackage,
  AcceptCarePackage,
  addProviderToCareFramework,
  AddProviderToCareFramework,
  CallOffReadRefused,
  declineCarePackage,
  DeclineCarePackage,
  establishCareFramework,
  EstablishCareFramework,
  listCarePackages,
  ListCarePackages,
  readCareFramework,
  ReadCareFramework,
  readCarePackage,
  ReadCarePackage,
  readLeagueTable,
  ReadLeagueTable,
  readProviderPerformance,
  ReadProviderPerformance,
  recordCareStarted,
  RecordCareStarted,
  recordFamilyContact,
  RecordFamilyContact,
  registerCarePackage,
  RegisterCarePackage,
  type CallOffReading,
} from '@kpi/features/call-off';
import type { EventStore } from '@kpi/event-store';
import { ForbiddenException, Inject, type Type } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { commandHandler, type Clock } from '../http/buses';
import { CLOCK, EVENT_STORE, PG_POOL } from '../infrastructure/injection-tokens';

/**
 * The `@QueryHandler` of a call-off query: its reader needs, besides the pool, the event store
 * (who may read a framework) and the clock (offers and KPI items as they stand now). A reader
 * refused (403) is answered as Forbidden; the 404s are the domain's NotFoundError already.
 */
function callOffQueryHandler<Params, Result>(
  type: FeatureQueryClass<Params, Result>,
  read: (
    db: Queryable,
    tenantId: string,
    params: Params,
    reading: CallOffReading,
  ) => Promise<Result>,
): Type<IQueryHandler> {
  @QueryHandler(type)
  class Handler implements IQueryHandler<FeatureQuery<Params, Result>, Result> {
    constructor(
      @Inject(PG_POOL) private readonly db: Queryable,
      @Inject(EVENT_STORE) private readonly store: EventStore,
      @Inject(CLOCK) private readonly clock: Clock,
    ) {}

    async execute({ tenantId, params }: FeatureQuery<Params, Result>): Promise<Result> {
      try {
        return await read(this.db, tenantId, params, { store: this.store, now: this.clock() });
      } catch (error) {
        if (error instanceof CallOffReadRefused) throw new ForbiddenException(error.message);
        throw error;
      }
    }
  }
  Object.defineProperty(Handler, 'name', { value: `${type.name}Handler` });
  return Handler;
}

/** The handlers of the call-off's commands and queries. */
export const callOffHandlers = [
  commandHandler(EstablishCareFramework, establishCareFramework),
  commandHandler(AddProviderToCareFramework, addProviderToCareFramework),
  commandHandler(RegisterCarePackage, registerCarePackage),
  commandHandler(AcceptCarePackage, acceptCarePackage),
  commandHandler(DeclineCarePackage, declineCarePackage),
  commandHandler(RecordFamilyContact, recordFamilyContact),
  commandHandler(RecordCareStarted, recordCareStarted),
  callOffQueryHandler(ReadCareFramework, readCareFramework),
  callOffQueryHandler(ListCarePackages, listCarePackages),
  callOffQueryHandler(ReadCarePackage, readCarePackage),
  callOffQueryHandler(ReadProviderPerformance, readProviderPerformance),
  callOffQueryHandler(ReadLeagueTable, readLeagueTable),
];
