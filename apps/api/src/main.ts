import { createServer } from 'node:net';
import type { Pool } from 'pg';
import {
  allMigrations,
  loadEnvironment,
  requirePostgres,
  ServiceUnreachableError,
} from '@kpi/runtime';

/** Every interface, as Node listens by default (Fastify's default would be localhost only). */
const HOST = '::';

/** Starts the API: configuration, a free port, migrations, then HTTP on PORT. */
async function main(): Promise<void> {
  // Reads .env (real environment variables win) and exits naming any wrong setting.
  const { config } = loadEnvironment('api');
  await exitIfPortTaken(config.PORT);
  // Without the database the API can serve nothing: say so in one line. (Without Redis it
  // serves everything but /health's queue counts, and /health says Redis is down.)
  await requirePostgres(config.DATABASE_URL);

  // Nest and every module of the API load only now: a taken port is told in a fraction of a second.
  const [{ createApp }, { PG_POOL }, { migrate }, { Logger }] = await Promise.all([
    import('./app.factory'),
    import('./infrastructure/injection-tokens'),
    import('@kpi/event-store'),
    import('nestjs-pino'),
  ]);
  const app = await createApp(config);
  const logger = app.get(Logger);

  const migrations = await migrate(app.get<Pool>(PG_POOL), allMigrations);
  logger.log(
    `Migrations: ${migrations.applied.length} applied, ${migrations.alreadyApplied.length} already applied`,
    'Main',
  );

  await app.listen(config.PORT, HOST);
  logger.log(
    `kpi-ledger API listening on http://localhost:${config.PORT} (docs: http://localhost:${config.PORT}/api/docs)`,
    'Main',
  );
}

/**
 * A second `npm start` would otherwise build the whole app, fail in `listen` and bury
 * EADDRINUSE in a stack trace: say it in one line and exit before starting anything.
 */
async function exitIfPortTaken(port: number): Promise<void> {
  const problem = await new Promise<string | undefined>((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    probe.listen(port, HOST, () => probe.close(() => resolve(undefined)));
  });
  if (problem === undefined) return;
  console.error(
    problem === 'EADDRINUSE'
      ? `port ${port} is in use — another kpi-ledger? set PORT=… (in .env or the environment) to use another`
      : `port ${port} cannot be listened on (${problem}): set PORT=… (in .env or the environment) to use another`,
  );
  process.exit(1);
}

main().catch((error: unknown) => {
  console.error(
    'The API could not start:',
    error instanceof ServiceUnreachableError ? error.message : error,
  );
  process.exit(1);
});
