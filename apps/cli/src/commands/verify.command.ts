import { loadEnvironment, openDatabase } from '@kpi/runtime';
import { progressBar } from '../progress-bar';

/**
 * `cli verify`: recomputes every hash chain (or one stream's, or one tenant's) and prints the
 * report as JSON. Exits with status 2 when any link is broken, so scripts can alert on it.
 */
export async function verifyCommand(options: { stream?: string; tenant?: string }): Promise<void> {
  const { config, logger } = loadEnvironment('cli', { logTo: 'stderr' });
  const { pool, store } = await openDatabase(config, logger, { component: 'cli' });
  const { rows } = await pool.query<{ count: string }>(
    `SELECT count(*) FROM streams WHERE ($1::text IS NULL OR stream_id = $1) AND ($2::text IS NULL OR tenant_id = $2)`,
    [options.stream ?? null, options.tenant ?? null],
  );
  const bar = progressBar('verify', 'streams');
  try {
    const report = await store.verify({
      ...(options.stream ? { streamId: options.stream } : {}),
      ...(options.tenant ? { tenantId: options.tenant } : {}),
      onProgress: ({ streamsChecked }) => bar.update(streamsChecked, Number(rows[0]!.count)),
    });
    bar.stop();
    console.log(JSON.stringify(report, null, 2));
    if (report.brokenLinks.length > 0) process.exitCode = 2;
  } finally {
    bar.stop();
    await pool.end();
  }
}
