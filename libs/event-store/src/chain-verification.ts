import type { BrokenLink } from './event-store.port';
import { chainHash, contentHash, type HashedContent } from './hash-chain';

/** One stored event as the chain sees it, whatever the adapter. */
export interface StoredLink {
  streamVersion: number;
  previousHash: string;
  hash: string;
  contentHash: string;
  recordedAtMicros: bigint | number | string;
  /** The content as stored (its stored schema version, not upcast). */
  content: HashedContent;
}

/** A stored event that could not even be read as a link (not written by this store). */
export interface UnreadableLink {
  streamVersion: number;
  unreadable: string;
}

/**
 * Walks one stream's links from version 1 and returns the first broken one, or null. With
 * `headVersion` (the adapter keeps a stream head), events missing from the end are found too.
 */
export function firstBrokenLink(
  streamId: string,
  links: Iterable<StoredLink | UnreadableLink>,
  headVersion?: number,
): BrokenLink | null {
  let previousHash = '';
  let expectedVersion = 1;
  for (const link of links) {
    const version = link.streamVersion;
    const broken = (reason: BrokenLink['reason'], detail: string): BrokenLink => ({
      streamId,
      streamVersion: version,
      reason,
      detail,
    });
    if (version !== expectedVersion) {
      return {
        streamId,
        streamVersion: expectedVersion,
        reason: 'version-gap',
        detail: `version ${expectedVersion} is missing; found ${version}`,
      };
    }
    if ('unreadable' in link) return broken('content-changed', link.unreadable);
    if (link.previousHash !== previousHash) {
      return broken(
        'previous-hash-mismatch',
        'the stored previous hash is not the hash of the previous event',
      );
    }
    if (contentHash(link.content) !== link.contentHash) {
      return broken('content-changed', 'the event content does not match its stored content hash');
    }
    const recomputed = chainHash({
      previousHash,
      streamId,
      streamVersion: version,
      recordedAtMicros: link.recordedAtMicros,
      contentHash: link.contentHash,
    });
    if (recomputed !== link.hash) {
      return broken('hash-changed', 'the stored hash does not match the recomputed chain link');
    }
    previousHash = link.hash;
    expectedVersion += 1;
  }
  if (headVersion !== undefined && headVersion !== expectedVersion - 1) {
    return {
      streamId,
      streamVersion: headVersion,
      reason: 'head-mismatch',
      detail: `the stream head says version ${headVersion}; the events end at version ${expectedVersion - 1}`,
    };
  }
  return null;
}
