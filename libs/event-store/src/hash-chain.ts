import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { EventMetadata } from './event-store.port';

/**
 * Tamper evidence. Two hashes per event, both SHA-256 in lowercase hex:
 *
 *   contentHash = sha256( canonical JSON (RFC 8785) of
 *                  { eventId, streamId, type, schemaVersion, data, metadata, effectiveAt } )
 *   hash        = sha256( previousHash | streamId | streamVersion | recordedAtMicros | contentHash )
 *
 * `previousHash` is the hash of the stream's previous event ('' for version 1) and `|` is a
 * literal separator. The content hash is computed by the writer; the chain link is computed
 * where the version and recorded time are known (inside the PostgreSQL append function, see
 * migrations/0001). Anyone with an export can recompute both with any SHA-256 and RFC 8785
 * implementation; docs/audit-trail.md shows how.
 */
export interface HashedContent {
  eventId: string;
  streamId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata;
  /** ISO-8601 with milliseconds, as `Date.prototype.toISOString` writes it; null: when recorded. */
  effectiveAt: string | null;
}

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('Value cannot be written as canonical JSON');
  return text;
}

export function contentHash(content: HashedContent): string {
  return sha256Hex(
    canonicalJson({
      eventId: content.eventId,
      streamId: content.streamId,
      type: content.type,
      schemaVersion: content.schemaVersion,
      data: content.data,
      metadata: {
        tenantId: content.metadata.tenantId,
        actor: content.metadata.actor,
        correlationId: content.metadata.correlationId,
        causationId: content.metadata.causationId,
        commandId: content.metadata.commandId,
      },
      effectiveAt: content.effectiveAt,
    }),
  );
}

export interface ChainLink {
  previousHash: string;
  streamId: string;
  streamVersion: number;
  /** Recorded time in whole microseconds since the Unix epoch. */
  recordedAtMicros: bigint | number | string;
  contentHash: string;
}

export function chainHash(link: ChainLink): string {
  return sha256Hex(
    [
      link.previousHash,
      link.streamId,
      String(link.streamVersion),
      String(link.recordedAtMicros),
      link.contentHash,
    ].join('|'),
  );
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
