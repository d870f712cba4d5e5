import type { AppConfig } from '@kpi/config';
import {
  createPostgresPool,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  type MigrationReport,
} from '@kpi/event-store';
import type { Logger } from '@kpi/logging';
import type { Pool } from 'pg';
import { eventTypeRegistry } from './event-types';
import { requirePostgres } from './services';

export interface Database {
  pool: Pool;
  store: PostgresEventStore;
}

/** Every migration of kpi-ledger, in order. */
export const allMigrations = eventStoreMigrations;

/**
 * Connects to PostgreSQL and opens the event store; applies pending migrations unless told not to.
 * A database that does not answer is a ServiceUnreachableError naming DATABASE_URL.
 */
export async function openDatabase(
  config: AppConfig,
  logger: Logger,
  options: { component: string; migrate?: boolean },
): Promise<Database> {
  await requirePostgres(config.DATABASE_URL);
  const pool = createPostgresPool({
    connectionString: config.DATABASE_URL,
    max: config.PG_POOL_MAX,
    idleInTransactionTimeoutMs: config.IDLE_IN_TRANSACTION_TIMEOUT_MS,
    applicationName: `kpi-ledger-${options.component}`,
  });
  pool.on('error', (error) => logger.warn({ err: error }, 'an idle database connection failed'));
  if (options.migrate !== false) await applyMigrations(pool, logger);
  return { pool, store: new PostgresEventStore(pool, eventTypeRegistry()) };
}

export async function applyMigrations(pool: Pool, logger: Logger): Promise<MigrationReport> {
  const report = await migrate(pool, allMigrations);
  if (report.applied.length > 0) logger.info({ applied: report.applied }, 'migrations applied');
  return report;
}
