import { hash } from 'node:crypto';
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

/**
 * RFC 8785 (JCS) canonical JSON of a JSON-safe value (see json-safety.ts): object keys sorted
 * by UTF-16 code units, no whitespace, strings and numbers as ECMAScript's JSON.stringify writes
 * them — which is what JCS specifies. Our own few lines rather than the `canonicalize` package
 * because this runs for every event appended and costs a third less; a property test checks it
 * against that package on random values.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    text += (i === 0 ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(record[key]);
  }
  return `${text}}`;
}

/** The hashed metadata fields, in a fixed set (extra properties are not part of the record). */
export function hashedMetadata(metadata: EventMetadata): EventMetadata {
  return {
    tenantId: metadata.tenantId,
    actor: metadata.actor,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
    commandId: metadata.commandId,
  };
}

export function contentHash(content: HashedContent): string {
  return contentHashOfCanonical({
    ...content,
    dataJson: canonicalJson(content.data),
    metadataJson: canonicalJson(hashedMetadata(content.metadata)),
  });
}

/**
 * {@link contentHash} from data and metadata already written as canonical JSON — the writer
 * stores those same texts, so each event is serialised once.
 */
export function contentHashOfCanonical(
  content: Omit<HashedContent, 'data' | 'metadata'> & { dataJson: string; metadataJson: string },
): string {
  // The keys of the content object in canonical (sorted) order.
  return sha256Hex(
    `{"data":${content.dataJson},"effectiveAt":${JSON.stringify(content.effectiveAt)},` +
      `"eventId":${JSON.stringify(content.eventId)},"metadata":${content.metadataJson},` +
      `"schemaVersion":${JSON.stringify(content.schemaVersion)},"streamId":${JSON.stringify(content.streamId)},` +
      `"type":${JSON.stringify(content.type)}}`,
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

/** SHA-256 of the UTF-8 bytes of `text`, lowercase hex (one-shot `crypto.hash`: half the cost of createHash). */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}
