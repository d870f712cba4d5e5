import type { PostgresEventStore } from '@kpi/event-store';
import { eraseDataSubject, EraseDataSubject, type DataSubjectErasure } from '@kpi/personal-data';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { EVENT_STORE, PG_POOL } from '../infrastructure/injection-tokens';

/**
 * Carries out an erasure: the key's destruction and the event in one transaction, so it needs
 * the PostgreSQL store (its transactions) and the pool.
 */
@CommandHandler(EraseDataSubject)
export class EraseDataSubjectHandler implements ICommandHandler<
  EraseDataSubject,
  DataSubjectErasure
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  execute({ input, issued }: EraseDataSubject): Promise<DataSubjectErasure> {
    return eraseDataSubject({ ...issued, store: this.store, pool: this.pool }, input);
  }
}
