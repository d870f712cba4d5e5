import { migrate } from '@kpi/event-store';
import {
  allMigrations,
  loadEnvironment,
  requirePostgres,
  ServiceUnreachableError,
} from '@kpi/runtime';
import { Logger } from 'nestjs-pino';
import type { Pool } from 'pg';
import { createApp } from './app.factory';
import { PG_POOL } from './infrastructure/injection-tokens';

/** Starts the API: configuration, migrations, then HTTP on PORT. */
async function main(): Promise<void> {
  // Reads .env (real environment variables win) and exits naming any wrong setting.
  const { config } = loadEnvironment('api');
  // Without the database the API can serve nothing: say so in one line. (Without Redis it
  // serves everything but /health's queue counts, and /health says Redis is down.)
  await requirePostgres(config.DATABASE_URL);
  const app = await createApp(config);
  const logger = app.get(Logger);

  const migrations = await migrate(app.get<Pool>(PG_POOL), allMigrations);
  logger.log(
    `Migrations: ${migrations.applied.length} applied, ${migrations.alreadyApplied.length} already applied`,
    'Main',
  );

  // Every interface, as Node listens by default (Fastify's default would be localhost only).
  await app.listen(config.PORT, '::');
  logger.log(`kpi-ledger API listening on port ${config.PORT} (docs at /api/docs)`, 'Main');
}

main().catch((error: unknown) => {
  console.error(
    'The API could not start:',
    error instanceof ServiceUnreachableError ? error.message : error,
  );
  process.exit(1);
});
