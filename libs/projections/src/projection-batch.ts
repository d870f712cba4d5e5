import {
  loadCheckpoint,
  saveCheckpoint,
  type EventStore,
  type GlobalCheckpoint,
} from '@kpi/event-store';
import type { Pool, PoolClient } from 'pg';
import type { Projection } from './projection';

export interface BatchOutcome {
  /** Events read from the log (relevant to the projection or not). */
  read: number;
  /** Events the projection applied. */
  applied: number;
  caughtUp: boolean;
  checkpoint: GlobalCheckpoint;
}

/**
 * The unit of work of every projection: inside `tx`, lock the checkpoint row, read the events
 * after it, apply the relevant ones to `table`, move the checkpoint. The caller commits.
 */
export async function applyNextBatch(
  tx: PoolClient,
  store: Pick<EventStore, 'readAll'>,
  projection: Projection,
  table: string,
  checkpointName: string,
  limit: number,
): Promise<BatchOutcome> {
  const checkpoint = await loadCheckpoint(tx, checkpointName, { forUpdate: true });
  const batch = await store.readAll(checkpoint, { limit });
  const relevant =
    projection.eventTypes === 'all'
      ? batch.events
      : batch.events.filter((e) => (projection.eventTypes as readonly string[]).includes(e.type));
  if (relevant.length > 0) await projection.apply(tx, table, relevant);
  if (batch.events.length > 0) await saveCheckpoint(tx, checkpointName, batch.checkpoint);
  return {
    read: batch.events.length,
    applied: relevant.length,
    caughtUp: batch.caughtUp,
    checkpoint: batch.checkpoint,
  };
}

export async function withTransaction<T>(
  pool: Pool,
  work: (tx: PoolClient) => Promise<T>,
): Promise<T> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    const result = await work(tx);
    await tx.query('COMMIT');
    return result;
  } catch (error) {
    await tx.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    tx.release();
  }
}
