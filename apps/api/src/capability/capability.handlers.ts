import type { EventStore } from '@kpi/event-store';
import { londonDateOf } from '@kpi/domain';
import {
  readCapabilityCounters,
  ReadCapabilityCounters,
  readCapabilityTimeline,
  ReadCapabilityTimeline,
  readCapabilityWhy,
  ReadCapabilityWhy,
  readStagesByRegion,
  ReadStagesByRegion,
  recordCapabilityAppeal,
  RecordCapabilityAppeal,
  recordCapabilityReview,
  RecordCapabilityReview,
  recordSupervision,
  RecordSupervision,
  type CapabilityCountersPage,
  type CapabilityWhy,
  type StagesByRegion,
} from '@kpi/features/capability';
import type { Queryable } from '@kpi/projections';
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { commandHandler, queryHandler, type Clock } from '../http/buses';
import { CLOCK, EVENT_STORE, PG_POOL } from '../infrastructure/injection-tokens';

/** Counters: whether a Stage 3 review is due depends on today (London), from the clock. */
@QueryHandler(ReadCapabilityCounters)
export class ReadCapabilityCountersHandler implements IQueryHandler<
  ReadCapabilityCounters,
  CapabilityCountersPage
> {
  constructor(
    @Inject(PG_POOL) private readonly db: Queryable,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ tenantId, params }: ReadCapabilityCounters): Promise<CapabilityCountersPage> {
    return readCapabilityCounters(this.db, tenantId, params, londonDateOf(this.clock()));
  }
}

@QueryHandler(ReadStagesByRegion)
export class ReadStagesByRegionHandler implements IQueryHandler<
  ReadStagesByRegion,
  StagesByRegion
> {
  constructor(
    @Inject(PG_POOL) private readonly db: Queryable,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ tenantId, params }: ReadStagesByRegion): Promise<StagesByRegion> {
    return readStagesByRegion(this.db, tenantId, params, londonDateOf(this.clock()));
  }
}

/** "Why" also reads the cited returns' streams, and verifies hash chains when asked. */
@QueryHandler(ReadCapabilityWhy)
export class ReadCapabilityWhyHandler implements IQueryHandler<ReadCapabilityWhy, CapabilityWhy> {
  constructor(
    @Inject(PG_POOL) private readonly db: Queryable,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ tenantId, params }: ReadCapabilityWhy): Promise<CapabilityWhy> {
    return readCapabilityWhy(this.db, tenantId, params, { store: this.store, clock: this.clock });
  }
}

/** The handlers of the capability feature's commands and queries. */
export const capabilityHandlers = [
  commandHandler(RecordCapabilityReview, recordCapabilityReview),
  commandHandler(RecordCapabilityAppeal, recordCapabilityAppeal),
  commandHandler(RecordSupervision, recordSupervision),
  ReadCapabilityCountersHandler,
  ReadStagesByRegionHandler,
  queryHandler(ReadCapabilityTimeline, readCapabilityTimeline),
  ReadCapabilityWhyHandler,
];
