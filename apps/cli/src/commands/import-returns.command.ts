import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  importReturns,
  readReturnsFile,
  type ReturnsImportReport,
} from '@kpi/features/monthly-returns';
import { loadEnvironment, openDatabase } from '@kpi/runtime';
import { progressBar } from '../progress-bar';

export interface ImportReturnsOptions {
  tenant: string;
  dryRun?: boolean;
  by: string;
}

/**
 * `cli import-returns <file> --tenant <t> [--dry-run]`: monthly returns from a CSV or Excel file
 * in the KPI grid's layout, checked whole before anything is stored (docs/decisions/0024).
 * Prints the report as JSON; exits with status 2 when the file has bad rows (nothing stored).
 */
export async function importReturnsCommand(
  path: string,
  options: ImportReturnsOptions,
): Promise<void> {
  const { config, logger } = loadEnvironment('cli', { logTo: 'stderr' });
  const file = await readReturnsFile(await readFile(path));
  const { pool, store } = await openDatabase(config, logger, { component: 'cli' });
  const bars = {
    checking: progressBar('checking', 'returns'),
    storing: progressBar('storing', 'returns'),
  };
  try {
    const commandId = randomUUID();
    const report = await importReturns(
      {
        store,
        tenantId: options.tenant,
        actor: options.by,
        correlationId: commandId,
        commandId,
        now: new Date(),
      },
      file,
      {
        dryRun: options.dryRun === true,
        onProgress: ({ phase, done, total }) => {
          if (phase === 'storing') bars.checking.stop();
          bars[phase].update(done, total);
        },
      },
    );
    bars.checking.stop();
    bars.storing.stop();
    console.error(summary(path, report));
    console.log(JSON.stringify(report, null, 2));
    if (report.problems.length > 0) process.exitCode = 2;
  } finally {
    bars.checking.stop();
    bars.storing.stop();
    await pool.end();
  }
}

/** What the import did, in a line (the report itself goes to stdout as JSON). */
export function summary(path: string, report: ReturnsImportReport): string {
  const { rows, returns, toStore, unchanged, stored, events, problems, dryRun } = report;
  const read = `${path}: ${rows} rows, ${returns} returns`;
  if (problems.length > 0)
    return `${read}; ${problems.length} problems: nothing stored (fix them and import again)`;
  if (dryRun)
    return `${read}; dry run: ${toStore} would be stored, ${unchanged} already stored (skipped)`;
  return `${read}; ${stored} stored (${events} events), ${unchanged} already stored (skipped)`;
}
