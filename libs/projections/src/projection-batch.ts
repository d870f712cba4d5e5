import {
  isAfterInLog,
  loadCheckpoint,
  loadCheckpoints,
  saveCheckpoint,
  saveCheckpoints,
  type EventStore,
  type GlobalCheckpoint,
  type GlobalLogBatch,
  type ReadAllOptions,
} from '@kpi/event-store';
import type { Pool, PoolClient } from 'pg';
import { checkpointNameOf, type Projection } from './projection';

export interface BatchOutcome {
  /** Events read from the log (relevant to the projection or not). */
  read: number;
  /** Events the projection applied. */
  applied: number;
  caughtUp: boolean;
  checkpoint: GlobalCheckpoint;
}

/**
 * Where projections read the log from. The PostgreSQL store can read on the batch's own
 * connection (`readAllUsing`), so a batch needs one connection, not two.
 */
export type GlobalLogReader = Pick<EventStore, 'readAll'> & {
  readAllUsing?(
    db: PoolClient,
    after: GlobalCheckpoint,
    options?: ReadAllOptions,
  ): Promise<GlobalLogBatch>;
};

/**
 * The unit of work of every projection: inside `tx`, lock the checkpoint row, read the events
 * after it, apply the relevant ones to `table`, move the checkpoint. The caller commits.
 */
export async function applyNextBatch(
  tx: PoolClient,
  store: GlobalLogReader,
  projection: Projection,
  table: string,
  checkpointName: string,
  limit: number,
): Promise<BatchOutcome> {
  const checkpoint = await loadCheckpoint(tx, checkpointName, { forUpdate: true });
  const batch = await readBatch(tx, store, checkpoint, limit, [projection]);
  const relevant = batch.events;
  if (relevant.length > 0) await projection.apply(tx, table, relevant);
  if (batch.read > 0) await saveCheckpoint(tx, checkpointName, batch.checkpoint);
  return {
    read: batch.read,
    applied: relevant.length,
    caughtUp: batch.caughtUp,
    checkpoint: batch.checkpoint,
  };
}

/**
 * {@link applyNextBatch} for several projections at once, reading the log once: lock their
 * checkpoint rows, read after the earliest, give each projection the events after its own
 * checkpoint, move them all to the end of the batch. The caller commits.
 */
export async function applyNextBatchToAll(
  tx: PoolClient,
  store: GlobalLogReader,
  projections: readonly Projection[],
  limit: number,
): Promise<BatchOutcome> {
  const names = projections.map((p) => checkpointNameOf(p.name));
  const checkpoints = await loadCheckpoints(tx, names, { forUpdate: true });
  const earliest = [...checkpoints.values()].reduce((a, b) => (isAfterInLog(b, a) ? a : b));
  const batch = await readBatch(tx, store, earliest, limit, projections);
  let applied = 0;
  for (const projection of projections) {
    const own = checkpoints.get(checkpointNameOf(projection.name))!;
    const relevant = batch.events.filter(
      (e) =>
        isAfterInLog({ transactionId: e.transactionId, globalPosition: e.globalPosition }, own) &&
        (projection.eventTypes === 'all' ||
          (projection.eventTypes as readonly string[]).includes(e.type)),
    );
    if (relevant.length > 0) await projection.apply(tx, projection.table, relevant);
    applied += relevant.length;
  }
  if (batch.read > 0) await saveCheckpoints(tx, names, batch.checkpoint);
  return {
    read: batch.read,
    applied,
    caughtUp: batch.caughtUp,
    checkpoint: batch.checkpoint,
  };
}

/**
 * The next `limit` events of the log after `after`, on the batch's connection when the store
 * can: only those of the types the projections apply (all when one of them takes every type),
 * so a reactor that acts on a few types is not sent every submission's data.
 */
function readBatch(
  tx: PoolClient,
  store: GlobalLogReader,
  after: GlobalCheckpoint,
  limit: number,
  projections: readonly Projection[],
): Promise<GlobalLogBatch> {
  const types = projections.some((p) => p.eventTypes === 'all')
    ? undefined
    : [...new Set(projections.flatMap((p) => p.eventTypes as readonly string[]))];
  const options: ReadAllOptions = types ? { limit, types } : { limit };
  return store.readAllUsing
    ? store.readAllUsing(tx, after, options)
    : store.readAll(after, options);
}

/** Runs `work` in a transaction on a pooled connection, returned (or discarded if broken) after. */
export async function withTransaction<T>(
  pool: Pool,
  work: (tx: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return await inTransaction(client, work);
  } catch (error) {
    broken = (error as { connectionBroken?: Error }).connectionBroken;
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Runs `work` between BEGIN and COMMIT on `client`; rolls back on failure. When the rollback
 * itself fails the connection is unusable: the error carries it as `connectionBroken`.
 */
export async function inTransaction<T>(
  client: PoolClient,
  work: (tx: PoolClient) => Promise<T>,
): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      if (typeof error === 'object' && error !== null) {
        Object.assign(error, { connectionBroken: rollbackError as Error });
      }
    }
    throw error;
  }
}
