import type { Queryable } from '@kpi/projections';
import { readDeadlines, ReadDeadlines, type Deadlines } from '@kpi/features/deadlines';
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Clock } from '../http/buses';
import { CLOCK, PG_POOL } from '../infrastructure/injection-tokens';

/** Reads the deadlines as of now (the clock): what is upcoming and overdue depends on the day. */
@QueryHandler(ReadDeadlines)
export class ReadDeadlinesHandler implements IQueryHandler<ReadDeadlines, Deadlines> {
  constructor(
    @Inject(PG_POOL) private readonly db: Queryable,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ tenantId, params }: ReadDeadlines): Promise<Deadlines> {
    return readDeadlines(this.db, tenantId, params, this.clock());
  }
}

/** The handlers of the deadlines' queries (its commands are the jobs', not the API's). */
export const deadlinesHandlers = [ReadDeadlinesHandler];
