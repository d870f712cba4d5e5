import type { StoredEventRecord, StreamAnchor } from '@kpi/event-store';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { BundleFileEntry, BundlePeriod, StreamSummary } from './bundle-format';
import { compareStreamIds } from './merkle';

/** The events handed to the writer do not make a bundle that would verify. */
export class BundleInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleInputError';
  }
}

export interface WrittenEvents {
  file: Omit<BundleFileEntry, 'path'>;
  eventCount: number;
  /** Sorted by stream id (UTF-8 bytes). */
  summaries: StreamSummary[];
}

/** Lines are gathered up to this size before a write: few writes, little memory. */
const WRITE_CHUNK_BYTES = 1 << 20;

/**
 * Streams the events into a file as events.ndjson, hashing it as it goes, and keeps one
 * summary per stream (not the events). Refuses, naming the event, anything the verifier would
 * refuse: another tenant's event, one recorded outside the period, positions out of order,
 * a stream whose versions or links do not follow on from its anchor.
 */
export async function writeEventsFile(
  path: string,
  events: AsyncIterable<StoredEventRecord> | Iterable<StoredEventRecord>,
  context: { tenantId: string; period: BundlePeriod; anchors: ReadonlyMap<string, StreamAnchor> },
): Promise<WrittenEvents> {
  const fromMicros = BigInt(Date.parse(context.period.from)) * 1000n;
  const toMicros = BigInt(Date.parse(context.period.to)) * 1000n;
  const summaries = new Map<string, StreamSummary>();
  const hash = createHash('sha256');
  const file = createWriteStream(path);
  const failed = new Promise<never>((_, reject) => file.once('error', reject));
  failed.catch(() => undefined);
  let size = 0;
  let eventCount = 0;
  let lastPosition = -Infinity;
  let pending = '';

  const flush = async () => {
    if (pending === '') return;
    const chunk = Buffer.from(pending, 'utf8');
    pending = '';
    hash.update(chunk);
    size += chunk.length;
    if (!file.write(chunk)) await Promise.race([once(file, 'drain'), failed]);
  };

  try {
    for await (const event of events) {
      const name = `event ${event.eventId} (stream ${event.streamId}, version ${event.streamVersion})`;
      if (event.metadata.tenantId !== context.tenantId) {
        throw new BundleInputError(
          `${name} belongs to tenant "${event.metadata.tenantId}", not "${context.tenantId}"`,
        );
      }
      const recorded = BigInt(event.recordedAtMicros);
      if (recorded < fromMicros || recorded >= toMicros) {
        throw new BundleInputError(
          `${name} was recorded at ${event.recordedAt}, outside the period`,
        );
      }
      if (!(event.globalPosition > lastPosition)) {
        throw new BundleInputError(`${name} comes after global position ${lastPosition}`);
      }
      lastPosition = event.globalPosition;
      followOn(summaries, event, context.anchors.get(event.streamId), name);
      pending += `${eventLine(event)}\n`;
      eventCount += 1;
      if (pending.length >= WRITE_CHUNK_BYTES) await flush();
    }
    await flush();
    file.end();
    await Promise.race([once(file, 'finish'), failed]);
  } finally {
    file.destroy();
  }
  return {
    file: { sha256: hash.digest('hex'), size },
    eventCount,
    summaries: [...summaries.values()].sort((a, b) => compareStreamIds(a.streamId, b.streamId)),
  };
}

/** Moves the stream's summary on to the event, or says why the event does not follow. */
function followOn(
  summaries: Map<string, StreamSummary>,
  event: StoredEventRecord,
  anchor: StreamAnchor | undefined,
  name: string,
): void {
  const summary = summaries.get(event.streamId);
  const expectedVersion = summary ? summary.lastVersion + 1 : (anchor?.streamVersion ?? 0) + 1;
  const expectedPrevious = summary ? summary.lastHash : (anchor?.hash ?? '');
  if (event.streamVersion !== expectedVersion) {
    throw new BundleInputError(
      `${name} should be version ${expectedVersion}` +
        (summary || anchor ? '' : ': the stream has no anchor, so it must begin in the bundle'),
    );
  }
  if (event.previousHash !== expectedPrevious) {
    throw new BundleInputError(`${name} does not chain to the hash before it`);
  }
  if (summary) {
    summary.lastVersion = event.streamVersion;
    summary.lastHash = event.hash;
    return;
  }
  summaries.set(event.streamId, {
    streamId: event.streamId,
    previousHash: expectedPrevious,
    firstVersion: event.streamVersion,
    firstHash: event.hash,
    lastVersion: event.streamVersion,
    lastHash: event.hash,
  });
}

/** One line of events.ndjson: the stored fields, always in this order. */
export function eventLine(event: StoredEventRecord): string {
  return JSON.stringify({
    globalPosition: event.globalPosition,
    eventId: event.eventId,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    effectiveAt: event.effectiveAt,
    recordedAt: event.recordedAt,
    recordedAtMicros: event.recordedAtMicros,
    contentHash: event.contentHash,
    previousHash: event.previousHash,
    hash: event.hash,
  });
}

/** One line of streams.ndjson. */
export function streamLine(summary: StreamSummary): string {
  return JSON.stringify({
    streamId: summary.streamId,
    previousHash: summary.previousHash,
    firstVersion: summary.firstVersion,
    firstHash: summary.firstHash,
    lastVersion: summary.lastVersion,
    lastHash: summary.lastHash,
  });
}
