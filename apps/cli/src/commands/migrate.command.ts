import { applyMigrations, loadEnvironment, openDatabase } from '@kpi/runtime';

/** `cli migrate`: applies pending migrations (also done on every start of api and worker). */
export async function migrateCommand(): Promise<void> {
  const { config, logger } = loadEnvironment('cli', { logTo: 'stderr' });
  const { pool } = await openDatabase(config, logger, { component: 'cli', migrate: false });
  try {
    const report = await applyMigrations(pool, logger);
    console.log(JSON.stringify(report));
  } finally {
    await pool.end();
  }
}
