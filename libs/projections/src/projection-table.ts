import {
  loadCheckpoint,
  resetCheckpoint,
  START_OF_LOG,
  type EventStore,
  type GlobalCheckpoint,
} from '@kpi/event-store';
import type { Pool, PoolClient } from 'pg';
import { applyNextBatch, withTransaction, type GlobalLogReader } from './projection-batch';
import { checkpointNameOf, type Projection, type RunnerLogger } from './projection';

export interface RebuildProgress {
  /** Events read from the log so far. */
  processed: number;
  /** Events in the log when the rebuild started (it may grow meanwhile). */
  total: number;
}

export interface RebuildOptions {
  batchSize?: number;
  onProgress?: (progress: RebuildProgress) => void;
  logger?: RunnerLogger;
}

export interface RebuildResult {
  eventsProcessed: number;
  checkpoint: GlobalCheckpoint;
}

export class RebuildAlreadyRunningError extends Error {
  constructor(readonly projection: string) {
    super(`A rebuild of projection "${projection}" is already running`);
    this.name = 'RebuildAlreadyRunningError';
  }
}

const rebuildCheckpointOf = (name: string) => `projection-rebuild:${name}`;
const rebuildTableOf = (table: string) => `${table}__rebuild`;

/**
 * Makes sure a projection's table and checkpoint exist at the version of the code; when the
 * stored version differs, rebuilds it from the log first.
 */
export async function ensureProjectionReady(
  pool: Pool,
  store: GlobalLogReader & Partial<Pick<EventStore, 'countEventsAfter'>>,
  projection: Projection,
  options: RebuildOptions = {},
): Promise<void> {
  const stored = await withTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `projection-setup:${projection.name}`,
    ]);
    const { rows } = await tx.query<{ version: number }>(
      'SELECT version FROM projections WHERE name = $1',
      [projection.name],
    );
    if (rows[0]) {
      if (rows[0].version === projection.version && projection.upgradeTable)
        await tx.query(projection.upgradeTable(projection.table));
      return rows[0].version;
    }
    await tx.query(`DROP TABLE IF EXISTS ${projection.table}`);
    await tx.query(projection.createTable(projection.table));
    await resetCheckpoint(tx, checkpointNameOf(projection.name), START_OF_LOG);
    await recordVersion(tx, projection, false);
    return projection.version;
  });
  if (stored !== projection.version) {
    if (projection.rebuildable === false) {
      throw new Error(
        `${projection.name} is at version ${stored} in the database and ${projection.version} in the code, and is not rebuildable (it appends events): migrate its state explicitly`,
      );
    }
    options.logger?.warn(
      { projection: projection.name, storedVersion: stored, version: projection.version },
      'projection version changed: rebuilding from the log',
    );
    await rebuildProjection(pool, store, projection, options);
  }
}

/**
 * Rebuilds a projection from the start of the log into a fresh table, then swaps it in.
 * The live table keeps serving (and its runner keeps running) until the swap, which happens in
 * one transaction holding the live checkpoint's row lock: the last events are applied to the
 * new table, it takes the live table's name, and the live checkpoint moves to where it got.
 */
export async function rebuildProjection(
  pool: Pool,
  store: GlobalLogReader & Partial<Pick<EventStore, 'countEventsAfter'>>,
  projection: Projection,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  if (projection.rebuildable === false) {
    throw new Error(`${projection.name} appends events and is never rebuilt from the log`);
  }
  const lock = await pool.connect();
  const lockKey = rebuildCheckpointOf(projection.name);
  try {
    const { rows } = await lock.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
      [lockKey],
    );
    if (!rows[0]?.locked) throw new RebuildAlreadyRunningError(projection.name);

    const buildTable = rebuildTableOf(projection.table);
    const buildCheckpoint = rebuildCheckpointOf(projection.name);
    await withTransaction(pool, async (tx) => {
      await tx.query(`DROP TABLE IF EXISTS ${buildTable}`);
      await tx.query(projection.createTable(buildTable));
      await resetCheckpoint(tx, buildCheckpoint, START_OF_LOG);
    });

    const total = store.countEventsAfter ? await store.countEventsAfter(START_OF_LOG) : 0;
    let processed = 0;
    options.onProgress?.({ processed, total });
    for (;;) {
      const outcome = await withTransaction(pool, (tx) =>
        applyNextBatch(
          tx,
          store,
          projection,
          buildTable,
          buildCheckpoint,
          options.batchSize ?? 5000,
        ),
      );
      processed += outcome.read;
      options.onProgress?.({ processed, total: Math.max(total, processed) });
      if (outcome.caughtUp) break;
    }

    const checkpoint = await withTransaction(pool, async (tx) => {
      const liveCheckpoint = checkpointNameOf(projection.name);
      await tx.query(
        `INSERT INTO checkpoints (name, transaction_id, global_position) VALUES ($1, '0', 0) ON CONFLICT (name) DO NOTHING`,
        [liveCheckpoint],
      );
      await loadCheckpoint(tx, liveCheckpoint, { forUpdate: true });
      for (;;) {
        const outcome = await applyNextBatch(
          tx,
          store,
          projection,
          buildTable,
          buildCheckpoint,
          options.batchSize ?? 5000,
        );
        processed += outcome.read;
        if (outcome.caughtUp) break;
      }
      const reached = await loadCheckpoint(tx, buildCheckpoint);
      await tx.query(`DROP TABLE IF EXISTS ${projection.table}`);
      await tx.query(`ALTER TABLE ${buildTable} RENAME TO ${projection.table}`);
      await resetCheckpoint(tx, liveCheckpoint, reached);
      await tx.query('DELETE FROM checkpoints WHERE name = $1', [buildCheckpoint]);
      await recordVersion(tx, projection, true);
      return reached;
    });
    options.onProgress?.({ processed, total: Math.max(total, processed) });
    return { eventsProcessed: processed, checkpoint };
  } finally {
    // If the unlock fails the session may still hold the lock: discard the connection.
    const unlockFailed = await lock
      .query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey])
      .then(
        () => undefined,
        (error: Error) => error,
      );
    lock.release(unlockFailed);
  }
}

async function recordVersion(
  tx: PoolClient,
  projection: Projection,
  rebuilt: boolean,
): Promise<void> {
  await tx.query(
    `INSERT INTO projections (name, version, table_name, rebuilt_at, updated_at)
     VALUES ($1, $2, $3, CASE WHEN $4 THEN clock_timestamp() END, clock_timestamp())
     ON CONFLICT (name) DO UPDATE SET version = excluded.version, table_name = excluded.table_name,
       rebuilt_at = COALESCE(excluded.rebuilt_at, projections.rebuilt_at), updated_at = excluded.updated_at`,
    [projection.name, projection.version, projection.table, rebuilt],
  );
}
