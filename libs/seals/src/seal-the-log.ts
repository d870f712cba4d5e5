import { randomUUID } from 'node:crypto';
import { compareStreamIds, MerkleTree, streamLeaf, type BundleSigner } from '@kpi/audit-bundle';
import { uuidFromParts } from '@kpi/command-handling';
import { PLATFORM_TENANT_ID, streamIds } from '@kpi/domain';
import type { EventStore, PostgresEventStore } from '@kpi/event-store';
import { withTransaction, type Queryable } from '@kpi/projections';
import type { Pool, PoolClient } from 'pg';
import { sealStatement, type LogSealedData } from './seal-format';

/** The stream the seals are appended to; it is not itself under any seal (each is signed). */
export const SEALS_STREAM = streamIds.seals();

/** One sealer at a time: a second waits, then seals what the first left. */
const SEALING_LOCK = 'kpi-ledger:seal-the-log';

const LEAVES_A_PAGE = 20_000;

interface Head {
  stream_id: string;
  version: string;
  hash: string;
}

/** A moved head with its leaf. */
interface KeptHead extends Head {
  leaf: Buffer;
}

export interface SealOptions {
  /** Kept leaves read a query (20,000; smaller in tests, to cross pages). */
  leavesAPage?: number;
}

/**
 * Seals the log: the heads of the streams that moved since the last seal are stored (table
 * `seal_heads`), the Merkle root over every stream's head is signed, and `LogSealed` is
 * appended to `platform:seals` — all in one transaction, which writes only once the root is
 * signed (an open transaction that has written holds back every reader of the log, decision
 * 0002). The seal covers every transaction that had ended when it was made (below the oldest
 * one still running), so no event can later appear beneath it. Returns null, appending nothing,
 * when no stream moved since the last seal.
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
  { leavesAPage = LEAVES_A_PAGE }: SealOptions = {},
): Promise<LogSealedData | null> {
  await fillMissingLeaves(pool, leavesAPage);
  return withTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SEALING_LOCK]);
    return sealWithin(tx, store, signer, now, leavesAPage);
  });
}

async function sealWithin(
  client: PoolClient,
  store: PostgresEventStore,
  signer: BundleSigner,
  now: Date,
  leavesAPage: number,
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

  const movedHeads = moved.rows
    .map((head) => ({ ...head, leaf: leafOf(head) }))
    .sort((a, b) => compareStreamIds(a.stream_id, b.stream_id));
  const tree = await treeOfLeaves(client, movedHeads, leavesAPage);
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
  // Writes come last: the transaction takes its id at its first write, and while it is open no
  // reader of the log goes past it (decision 0002), so it writes for as short a time as it can.
  await keepMovedHeads(client, sealNumber, movedHeads);
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
async function keepMovedHeads(client: Queryable, sealNumber: number, heads: readonly KeptHead[]) {
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
    [...columns, heads.map((head) => head.leaf)],
  );
}

/**
 * Leaves of heads sealed before `seal_leaves` kept them (migration 0018), computed once, a page
 * a statement outside the seal's transaction: they are derived from the heads, and two sealers
 * filling one at once write the same.
 */
async function fillMissingLeaves(pool: Pool, leavesAPage: number) {
  for (;;) {
    const { rows } = await pool.query<Head>(
      `SELECT stream_id, version, hash FROM seal_leaves WHERE leaf IS NULL LIMIT ${leavesAPage}`,
    );
    if (rows.length === 0) return;
    await pool.query(
      `UPDATE seal_leaves SET leaf = l.leaf FROM unnest($1::text[], $2::bytea[]) AS l(stream_id, leaf)
        WHERE seal_leaves.stream_id = l.stream_id`,
      [rows.map((row) => row.stream_id), rows.map(leafOf)],
    );
  }
}

/**
 * The tree of every stream's leaf in the order of the ids' UTF-8 bytes: the kept leaves, read in
 * keyset pages of the table's key (collation "C": that order), with the moved heads (sorted the
 * same way) merged in — in place of a kept leaf of the same stream, or between two for a new one.
 */
async function treeOfLeaves(
  client: Queryable,
  moved: readonly KeptHead[],
  leavesAPage: number,
): Promise<MerkleTree> {
  const tree = new MerkleTree();
  let next = 0; // the first moved head not yet in the tree
  let after: string | null = null;
  for (;;) {
    const { rows }: { rows: { stream_id: string; leaf: Buffer | null }[] } = await client.query(
      after === null
        ? `SELECT stream_id, leaf FROM seal_leaves ORDER BY stream_id LIMIT ${leavesAPage}`
        : `SELECT stream_id, leaf FROM seal_leaves WHERE stream_id > $1 ORDER BY stream_id LIMIT ${leavesAPage}`,
      after === null ? [] : [after],
    );
    for (const row of rows) {
      let replaced = false;
      for (; next < moved.length; next++) {
        const order = compareStreamIds(moved[next]!.stream_id, row.stream_id);
        if (order > 0) break;
        tree.add(moved[next]!.leaf);
        replaced = order === 0;
      }
      if (replaced) continue;
      if (row.leaf === null) throw new Error(`seal_leaves has no leaf for ${row.stream_id}`);
      tree.add(row.leaf);
    }
    if (rows.length < leavesAPage) break;
    after = rows.at(-1)!.stream_id;
  }
  for (; next < moved.length; next++) tree.add(moved[next]!.leaf);
  return tree;
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
