import { compareStreamIds, merkleRoot, streamLeaf } from '@kpi/audit-bundle';
import type { Queryable } from '@kpi/projections';

/** Where a stream ended when a seal was made. */
export interface SealedHead {
  streamId: string;
  version: number;
  hash: string;
}

/**
 * Every stream's head at seal `sealNumber`: for each stream, its row of the highest seal number
 * up to that one, sorted as the Merkle tree takes them.
 */
export async function headsAtSeal(db: Queryable, sealNumber: number): Promise<SealedHead[]> {
  const { rows } = await db.query<{ stream_id: string; version: string; hash: string }>(
    `SELECT DISTINCT ON (stream_id) stream_id, version, hash FROM seal_heads
      WHERE seal_number <= $1 ORDER BY stream_id, seal_number DESC`,
    [sealNumber],
  );
  return rows
    .map((row) => ({ streamId: row.stream_id, version: Number(row.version), hash: row.hash }))
    .sort((a, b) => compareStreamIds(a.streamId, b.streamId));
}

/** The Merkle root over heads sorted by stream id (each a leaf from version 1 to its head). */
export function headsMerkleRoot(heads: readonly SealedHead[]): string {
  return merkleRoot(
    heads.map((head) =>
      streamLeaf({
        streamId: head.streamId,
        previousHash: '',
        firstVersion: 1,
        firstHash: '',
        lastVersion: head.version,
        lastHash: head.hash,
      }),
    ),
  );
}
