import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { Migration } from './migrations';

/** Any number that is the same in every process: the key of the migration advisory lock. */
const MIGRATION_LOCK_KEY = 727_101;

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationChecksumError extends Error {
  constructor(readonly migrationId: string) {
    super(`Migration ${migrationId} was changed after it was applied; add a new migration instead`);
    this.name = 'MigrationChecksumError';
  }
}

/**
 * Applies the migrations not applied yet, in order, each in its own transaction, recording
 * each with a checksum. Safe to run from several processes at once (an advisory lock makes
 * them take turns) and to run again (applied ones are skipped). An applied migration whose
 * SQL has changed since is refused rather than silently ignored.
 */
export async function migrate(
  pool: Pool,
  migrations: readonly Migration[],
): Promise<MigrationReport> {
  assertOrdered(migrations);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        id         text        PRIMARY KEY,
        checksum   text        NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ id: string; checksum: string }>(
      'SELECT id, checksum FROM schema_migrations',
    );
    const applied = new Map(rows.map((r) => [r.id, r.checksum]));
    const report: MigrationReport = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const checksum = createHash('sha256').update(migration.sql).digest('hex');
      const existing = applied.get(migration.id);
      if (existing !== undefined) {
        if (existing !== checksum) throw new MigrationChecksumError(migration.id);
        report.alreadyApplied.push(migration.id);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)', [
          migration.id,
          checksum,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new Error(`Migration ${migration.id} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      report.applied.push(migration.id);
    }
    return report;
  } finally {
    await client
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    client.release();
  }
}

function assertOrdered(migrations: readonly Migration[]): void {
  const ids = migrations.map((m) => m.id);
  const sorted = [...ids].sort();
  if (new Set(ids).size !== ids.length || ids.some((id, i) => id !== sorted[i])) {
    throw new Error(`Migrations must have unique ids in ascending order: ${ids.join(', ')}`);
  }
}
