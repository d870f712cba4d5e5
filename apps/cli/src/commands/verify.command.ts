import { SigningKeyRing } from '@kpi/audit-bundle';
import { loadEnvironment, openDatabase } from '@kpi/runtime';
import { readSealFile, verifySeals } from '@kpi/seals';
import { progressBar } from '../progress-bar';

export interface VerifyOptions {
  stream?: string;
  tenant?: string;
  sealsFile?: string;
}

/**
 * `cli verify`: recomputes every hash chain (or one stream's, or one tenant's), then checks the
 * seals (docs/decisions/0035): each seal's signature, and every stream's sealed head against the
 * last seal — a stream rewritten before it, hashes and all, is named — and with `--seals-file`
 * that each seal kept outside the database is in the log. Prints the report as JSON; exits with
 * status 2 when anything does not hold, so scripts can alert on it.
 */
export async function verifyCommand(options: VerifyOptions): Promise<void> {
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
    const seals = await verifySeals(
      pool,
      store,
      SigningKeyRing.fromConfig(config.AUDIT_SIGNING_KEYS),
      {
        ...(options.sealsFile ? { externalSeals: await readSealFile(options.sealsFile) } : {}),
        streamFilter: (streamId) =>
          (options.stream === undefined || streamId === options.stream) &&
          (options.tenant === undefined || streamId.startsWith(`${options.tenant}:`)),
      },
    );
    console.log(JSON.stringify({ ...report, seals }, null, 2));
    if (report.brokenLinks.length > 0 || seals.problems.length > 0) process.exitCode = 2;
  } finally {
    bar.stop();
    await pool.end();
  }
}
