import { randomUUID } from 'node:crypto';
import type { BundleSigner } from '@kpi/audit-bundle';
import { uuidFromParts } from '@kpi/command-handling';
import { PLATFORM_TENANT_ID, streamIds } from '@kpi/domain';
import type { EventStore } from '@kpi/event-store';
import type { Pool } from 'pg';
import { sealStatement, type LogSealedData } from './seal-format';
import { headsAtSeal, headsMerkleRoot } from './seal-heads';

/** The stream the seals are appended to; it is not itself under any seal (each is signed). */
export const SEALS_STREAM = streamIds.seals();

/**
 * Seals the log: the heads of the streams that moved since the last seal are stored (table
 * `seal_heads`), the Merkle root over every stream's head is signed, and `LogSealed` is
 * appended to `platform:seals`. The seal covers every transaction that had ended when it was
 * made (below the oldest one still running), so no event can later appear beneath it. Returns
 * null, appending nothing, when no stream moved since the last seal.
 *
 * Run by one worker at a time (a BullMQ job scheduler); two at once cannot both append seal N
 * (the append expects the seals stream at N − 1: the other is refused).
 */
export async function sealTheLog(
  pool: Pool,
  store: EventStore,
  signer: BundleSigner,
  now: Date,
): Promise<LogSealedData | null> {
  const previous = await lastSeal(store);
  const sealNumber = (previous?.sealNumber ?? 0) + 1;
  const fromTransactionId = previous?.upToTransactionId ?? '0';
  const horizon = await pool.query<{ xmin: string }>(
    'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin',
  );
  const upToTransactionId = horizon.rows[0]!.xmin;

  const moved = await pool.query<{ stream_id: string; version: string; hash: string }>(
    `SELECT DISTINCT ON (stream_id) stream_id, stream_version AS version, hash FROM events
      WHERE transaction_id >= $1::xid8 AND transaction_id < $2::xid8 AND stream_id <> $3
      ORDER BY stream_id, stream_version DESC`,
    [fromTransactionId, upToTransactionId, SEALS_STREAM],
  );
  if (moved.rows.length === 0) return null;
  const position = await pool.query<{ max: string | null }>(
    'SELECT max(global_position)::text AS max FROM events WHERE transaction_id >= $1::xid8 AND transaction_id < $2::xid8',
    [fromTransactionId, upToTransactionId],
  );

  // A run that stopped before appending left rows for this number: the new ones replace them.
  await pool.query(
    `INSERT INTO seal_heads (stream_id, seal_number, version, hash)
     SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[])
     ON CONFLICT (stream_id, seal_number) DO UPDATE SET version = EXCLUDED.version, hash = EXCLUDED.hash`,
    [
      moved.rows.map((row) => row.stream_id),
      moved.rows.map(() => sealNumber),
      moved.rows.map((row) => row.version),
      moved.rows.map((row) => row.hash),
    ],
  );
  await pool.query(
    `DELETE FROM seal_heads WHERE seal_number = $1 AND NOT (stream_id = ANY($2::text[]))`,
    [sealNumber, moved.rows.map((row) => row.stream_id)],
  );
  const heads = await headsAtSeal(pool, sealNumber);
  const unsigned: Omit<LogSealedData, 'signature'> = {
    sealNumber,
    sealedAt: now.toISOString(),
    upToTransactionId,
    globalPosition: Number(position.rows[0]!.max ?? previous?.globalPosition ?? 0),
    streams: heads.length,
    streamsChanged: moved.rows.length,
    merkleRoot: headsMerkleRoot(heads),
    keyId: signer.keyId,
  };
  const seal: LogSealedData = {
    ...unsigned,
    signature: signer.sign(sealStatement(unsigned)).toString('base64'),
  };
  await store.append(
    SEALS_STREAM,
    [
      {
        eventId: uuidFromParts('seal', String(sealNumber), upToTransactionId),
        type: 'LogSealed',
        data: seal,
        metadata: {
          tenantId: PLATFORM_TENANT_ID,
          actor: 'system:sealer',
          correlationId: null,
          causationId: null,
          commandId: randomUUID(),
        },
      },
    ],
    sealNumber - 1 === 0 ? 'no-stream' : sealNumber - 1,
  );
  return seal;
}

/** The seals so far, oldest first. */
export async function readSeals(store: EventStore): Promise<LogSealedData[]> {
  const events = await store.readStream(SEALS_STREAM);
  return events.filter((e) => e.type === 'LogSealed').map((e) => e.data as LogSealedData);
}

async function lastSeal(store: EventStore): Promise<LogSealedData | undefined> {
  const [last] = await store.readStream(SEALS_STREAM, { direction: 'backward', maxCount: 1 });
  return last?.data as LogSealedData | undefined;
}
