import type { EventMetadata } from './event-store.port';

/**
 * One event exactly as it is stored: nothing upcast, nothing filled in. These are the fields
 * anyone needs to recompute its content hash and chain link (docs/audit-trail.md), as the audit
 * API shows them and an evidence bundle carries them.
 */
export interface StoredEventRecord {
  globalPosition: number;
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  /** The schema version it was stored with (the hash covers this one). */
  schemaVersion: number;
  /** The data as stored, at {@link schemaVersion}. */
  data: unknown;
  /** The hashed metadata fields, as stored. */
  metadata: EventMetadata;
  /** ISO-8601 with milliseconds as stored, or null: it took effect when recorded. */
  effectiveAt: string | null;
  /** ISO-8601 with milliseconds. */
  recordedAt: string;
  /** The recorded time in whole microseconds since the Unix epoch, as decimal text: what the chain link hashes. */
  recordedAtMicros: string;
  contentHash: string;
  /** The hash of the stream's previous event ('' for version 1). */
  previousHash: string;
  hash: string;
}

/** The last event of a stream before some point: what its next event must chain to. */
export interface StreamAnchor {
  streamVersion: number;
  hash: string;
}
