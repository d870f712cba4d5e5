import type { Pool, PoolClient } from 'pg';
import { START_OF_LOG, type GlobalCheckpoint } from './event-store.port';

/** Where each named reader of the global log has got to. */
export interface CheckpointStore {
  load(name: string): Promise<GlobalCheckpoint>;
  save(name: string, checkpoint: GlobalCheckpoint): Promise<void>;
}

type Queryable = Pick<Pool, 'query'> | PoolClient;

/**
 * Checkpoints in the `checkpoints` table. Pass a client holding a transaction to save a
 * checkpoint atomically with the work it stands for (projections do).
 */
export class PostgresCheckpointStore implements CheckpointStore {
  constructor(private readonly db: Queryable) {}

  async load(name: string): Promise<GlobalCheckpoint> {
    return loadCheckpoint(this.db, name);
  }

  async save(name: string, checkpoint: GlobalCheckpoint): Promise<void> {
    return saveCheckpoint(this.db, name, checkpoint);
  }
}

export async function loadCheckpoint(
  db: Queryable,
  name: string,
  options: { forUpdate?: boolean } = {},
): Promise<GlobalCheckpoint> {
  const { rows } = await db.query<{ transaction_id: string; global_position: string }>(
    `SELECT transaction_id::text, global_position FROM checkpoints WHERE name = $1 ${options.forUpdate ? 'FOR UPDATE' : ''}`,
    [name],
  );
  const row = rows[0];
  return row
    ? { transactionId: Number(row.transaction_id), globalPosition: Number(row.global_position) }
    : START_OF_LOG;
}

/** Several checkpoints in one statement (missing ones are at the start of the log). */
export async function loadCheckpoints(
  db: Queryable,
  names: readonly string[],
  options: { forUpdate?: boolean } = {},
): Promise<Map<string, GlobalCheckpoint>> {
  const { rows } = await db.query<{
    name: string;
    transaction_id: string;
    global_position: string;
  }>(
    `SELECT name, transaction_id::text, global_position FROM checkpoints WHERE name = ANY ($1::text[])
      ORDER BY name ${options.forUpdate ? 'FOR UPDATE' : ''}`,
    [names],
  );
  const found = new Map(
    rows.map((r) => [
      r.name,
      { transactionId: Number(r.transaction_id), globalPosition: Number(r.global_position) },
    ]),
  );
  return new Map(names.map((name) => [name, found.get(name) ?? START_OF_LOG]));
}

/** Moves several checkpoints forward to the same position, in one statement (see saveCheckpoint). */
export async function saveCheckpoints(
  db: Queryable,
  names: readonly string[],
  checkpoint: GlobalCheckpoint,
): Promise<void> {
  await db.query(
    `INSERT INTO checkpoints (name, transaction_id, global_position, updated_at)
     SELECT name, $2::text::xid8, $3, clock_timestamp() FROM unnest($1::text[]) AS name
     ON CONFLICT (name) DO UPDATE
       SET transaction_id = excluded.transaction_id, global_position = excluded.global_position,
           updated_at = excluded.updated_at
     WHERE (checkpoints.transaction_id, checkpoints.global_position) < (excluded.transaction_id, excluded.global_position)`,
    [names, String(checkpoint.transactionId), checkpoint.globalPosition],
  );
}

/**
 * Moves a checkpoint forward. A save that would move it backwards (a slower, older instance of
 * the same reader) changes nothing, so a checkpoint never passes back over handled events.
 */
export function saveCheckpoint(
  db: Queryable,
  name: string,
  checkpoint: GlobalCheckpoint,
): Promise<void> {
  return writeCheckpoint(db, name, checkpoint, { forwardOnly: true });
}

/** Sets a checkpoint to exactly this position, also backwards: for a read model built afresh. */
export function resetCheckpoint(
  db: Queryable,
  name: string,
  checkpoint: GlobalCheckpoint,
): Promise<void> {
  return writeCheckpoint(db, name, checkpoint, { forwardOnly: false });
}

async function writeCheckpoint(
  db: Queryable,
  name: string,
  checkpoint: GlobalCheckpoint,
  { forwardOnly }: { forwardOnly: boolean },
): Promise<void> {
  await db.query(
    `INSERT INTO checkpoints (name, transaction_id, global_position, updated_at)
     VALUES ($1, $2::text::xid8, $3, clock_timestamp())
     ON CONFLICT (name) DO UPDATE
       SET transaction_id = excluded.transaction_id, global_position = excluded.global_position,
           updated_at = excluded.updated_at
     ${forwardOnly ? 'WHERE (checkpoints.transaction_id, checkpoints.global_position) < (excluded.transaction_id, excluded.global_position)' : ''}`,
    [name, String(checkpoint.transactionId), checkpoint.globalPosition],
  );
}
