import type { PostgresEventStore } from '@kpi/event-store';
import { eraseAccountOfSubject } from '@kpi/features/accounts';
import {
  eraseDataSubject,
  EraseDataSubject,
  type AlsoErase,
  type DataSubjectErasure,
} from '@kpi/personal-data';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { EVENT_STORE, PG_POOL } from '../infrastructure/injection-tokens';

/**
 * What features keep about a data subject outside the vault, erased in the same transaction:
 * an account's email, password and sessions (the account id is its person's subject id).
 */
const ALSO_ERASED: readonly AlsoErase[] = [eraseAccountOfSubject];

/**
 * Carries out an erasure: the key's destruction, the event and what features keep elsewhere
 * (`ALSO_ERASED`) in one transaction, so it needs the PostgreSQL store (its transactions) and
 * the pool.
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
    return eraseDataSubject(
      { ...issued, store: this.store, pool: this.pool, alsoErase: ALSO_ERASED },
      input,
    );
  }
}
