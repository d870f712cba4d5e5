import { randomUUID } from 'node:crypto';
import { MerkleTree, streamLeaf, type BundleSigner } from '@kpi/audit-bundle';
import { uuidFromParts } from '@kpi/command-handling';
import { PLATFORM_TENANT_ID, streamIds } from '@kpi/domain';
import type { EventStore, PostgresEventStore } from '@kpi/event-store';
import type { Queryable } from '@kpi/projections';
import type { Pool, PoolClient } from 'pg';
import { sealStatement, type LogSealedData } from './seal-format';

/** The stream the seals are appended to; it is not itself under any seal (each is signed). */
export const SEALS_STREAM = streamIds.seals();

/** One sealer at a time: a second waits, then seals what the first left. */
const SEALING_LOCK = 'kpi-ledger:seal-the-log';

/** Leaves read a query when the root is built. */
const LEAVES_A_PAGE = 20_000;

interface Head {
  stream_id: string;
  version: string;
  hash: string;
}

/**
 * Seals the log: the heads of the streams that moved since the last seal are stored (table
 * `seal_heads`), the Merkle root over every stream's head is signed, and `LogSealed` is
 * appended to `platform:seals` — all in one transaction. The seal covers every transaction that
 * had ended when it was made (below the oldest one still running), so no event can later appear
 * beneath it. Returns null, appending nothing, when no stream moved since the last seal.
 *
 * Only the moved heads are hashed: every stream's leaf is kept in `seal_leaves` (migration
 * 0018), and the root is built from them in the tree's order, page by page, holding one node a
 * level (issue 18: hashing every head again at each seal took a core for tens of seconds at a
 * million streams).
 *
 * Run by one worker at a time (a BullMQ job scheduler); two at once take turns (an advisory
 * lock), and the append expects the seals stream at N − 1 besides.
 */
export async function sealTheLog(
  pool: Pool,
  store: PostgresEventStore,
  signer: BundleSigner,
  now: Date,
): Promise<LogSealedData | null> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SEALING_LOCK]);
    const seal = await sealWithin(client, store, signer, now);
    await client.query('COMMIT');
    return seal;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

async function sealWithin(
  client: PoolClient,
  store: PostgresEventStore,
  signer: BundleSigner,
  now: Date,
): Promise<LogSealedData | null> {
  const previous = await lastSeal(store);
  const sealNumber = (previous?.sealNumber ?? 0) + 1;
  const fromTransactionId = previous?.upToTransactionId ?? '0';
  const horizon = await client.query<{ xmin: string }>(
    'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin',
  );
  const upToTransactionId = horizon.rows[0]!.xmin;

  const moved = await client.query<Head>(
    `SELECT DISTINCT ON (stream_id) stream_id, stream_version AS version, hash FROM events
      WHERE transaction_id >= $1::xid8 AND transaction_id < $2::xid8 AND stream_id <> $3
      ORDER BY stream_id, stream_version DESC`,
    [fromTransactionId, upToTransactionId, SEALS_STREAM],
  );
  if (moved.rows.length === 0) return null;
  const position = await client.query<{ max: string | null }>(
    'SELECT max(global_position)::text AS max FROM events WHERE transaction_id >= $1::xid8 AND transaction_id < $2::xid8',
    [fromTransactionId, upToTransactionId],
  );

  await keepMovedHeads(client, sealNumber, moved.rows);
  await fillMissingLeaves(client);
  const tree = await treeOfLeaves(client);
  const unsigned: Omit<LogSealedData, 'signature'> = {
    sealNumber,
    sealedAt: now.toISOString(),
    upToTransactionId,
    globalPosition: Number(position.rows[0]!.max ?? previous?.globalPosition ?? 0),
    streams: tree.leaves,
    streamsChanged: moved.rows.length,
    merkleRoot: tree.root(),
    keyId: signer.keyId,
  };
  const seal: LogSealedData = {
    ...unsigned,
    signature: signer.sign(sealStatement(unsigned)).toString('base64'),
  };
  await store.appendInTransaction(
    client,
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

/**
 * The moved heads under this seal's number in `seal_heads` (rows an earlier run left for the
 * number, one that stopped before its transaction was one, are replaced), and with their leaves
 * in `seal_leaves`.
 */
async function keepMovedHeads(client: Queryable, sealNumber: number, heads: readonly Head[]) {
  const columns = [
    heads.map((head) => head.stream_id),
    heads.map((head) => head.version),
    heads.map((head) => head.hash),
  ];
  await client.query(
    `INSERT INTO seal_heads (stream_id, seal_number, version, hash)
     SELECT stream_id, $4, version, hash FROM unnest($1::text[], $2::bigint[], $3::text[]) AS h(stream_id, version, hash)
     ON CONFLICT (stream_id, seal_number) DO UPDATE SET version = EXCLUDED.version, hash = EXCLUDED.hash`,
    [...columns, sealNumber],
  );
  await client.query(
    `DELETE FROM seal_heads WHERE seal_number = $1 AND NOT (stream_id = ANY($2::text[]))`,
    [sealNumber, columns[0]],
  );
  await client.query(
    `INSERT INTO seal_leaves (stream_id, version, hash, leaf)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bytea[])
     ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, hash = EXCLUDED.hash, leaf = EXCLUDED.leaf`,
    [...columns, heads.map(leafOf)],
  );
}

/** Leaves of heads sealed before `seal_leaves` kept them (migration 0018), computed once. */
async function fillMissingLeaves(client: Queryable) {
  for (;;) {
    const { rows } = await client.query<Head>(
      `SELECT stream_id, version, hash FROM seal_leaves WHERE leaf IS NULL LIMIT ${LEAVES_A_PAGE}`,
    );
    if (rows.length === 0) return;
    await client.query(
      `UPDATE seal_leaves SET leaf = l.leaf FROM unnest($1::text[], $2::bytea[]) AS l(stream_id, leaf)
        WHERE seal_leaves.stream_id = l.stream_id`,
      [rows.map((row) => row.stream_id), rows.map(leafOf)],
    );
  }
}

/** Every kept leaf, in the order of the streams' UTF-8 bytes (the table's collation, "C"). */
async function treeOfLeaves(client: Queryable): Promise<MerkleTree> {
  const tree = new MerkleTree();
  let after: string | null = null;
  for (;;) {
    // Keyset pages: each a range of the primary key, already in the tree's order.
    const { rows }: { rows: { stream_id: string; leaf: Buffer }[] } = await client.query(
      after === null
        ? `SELECT stream_id, leaf FROM seal_leaves ORDER BY stream_id LIMIT ${LEAVES_A_PAGE}`
        : `SELECT stream_id, leaf FROM seal_leaves WHERE stream_id > $1 ORDER BY stream_id LIMIT ${LEAVES_A_PAGE}`,
      after === null ? [] : [after],
    );
    for (const row of rows) tree.add(row.leaf);
    if (rows.length < LEAVES_A_PAGE) return tree;
    after = rows.at(-1)!.stream_id;
  }
}

function leafOf(head: Head): Buffer {
  return streamLeaf({
    streamId: head.stream_id,
    previousHash: '',
    firstVersion: 1,
    firstHash: '',
    lastVersion: Number(head.version),
    lastHash: head.hash,
  });
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
