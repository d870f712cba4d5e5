import { canonicalJson } from '@kpi/event-store';
import { createHash } from 'node:crypto';
import type { StreamSummary } from './bundle-format';

/**
 * The Merkle root over a bundle's streams: one number that commits to where every stream of
 * the bundle ends, so a later seal or another bundle can be compared with it.
 *
 * - Leaves are the streams sorted by the UTF-8 bytes of their id (the order of streams.ndjson).
 * - leaf = SHA-256( 0x00 ‖ UTF-8 of the RFC 8785 JSON of {firstVersion, lastHash, lastVersion, streamId} )
 * - node = SHA-256( 0x01 ‖ left ‖ right ), over the raw 32-byte digests. The prefixes keep a
 *   leaf from ever passing for a node (RFC 6962's domain separation).
 * - Level by level, neighbours are paired from the left; an odd last node goes up unchanged.
 * - No streams: the root is SHA-256 of nothing (e3b0c442…).
 *
 * The root is lowercase hex. The lastHash of a stream covers, through its chain, every event
 * before it, so the leaf needs no more of the stream than where it ends.
 */
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export function streamLeaf(summary: StreamSummary): Buffer {
  const text = canonicalJson({
    streamId: summary.streamId,
    firstVersion: summary.firstVersion,
    lastVersion: summary.lastVersion,
    lastHash: summary.lastHash,
  });
  return createHash('sha256').update(LEAF_PREFIX).update(text, 'utf8').digest();
}

export function merkleRoot(leaves: readonly Buffer[]): string {
  if (leaves.length === 0) return createHash('sha256').digest('hex');
  let level = leaves;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1];
      next.push(
        right === undefined
          ? level[i]!
          : createHash('sha256').update(NODE_PREFIX).update(level[i]!).update(right).digest(),
      );
    }
    level = next;
  }
  return level[0]!.toString('hex');
}

/** Stream ids in the bundle's order: by their UTF-8 bytes (Unicode code point order). */
export function compareStreamIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The root of summaries in any order. */
export function streamsMerkleRoot(summaries: readonly StreamSummary[]): string {
  const sorted = [...summaries].sort((a, b) => compareStreamIds(a.streamId, b.streamId));
  return merkleRoot(sorted.map(streamLeaf));
}
