import {
  chainHash,
  contentHash,
  type StoredEventRecord,
  type StreamAnchor,
} from '@kpi/event-store';

export interface GeneratedEvents {
  tenantId: string;
  count: number;
  /** Events go round-robin to streams 0 … streams − 1. */
  streams: number;
  streamId(stream: number): string;
  /** Recorded times spread evenly over [from, to) (epoch milliseconds). */
  from: number;
  to: number;
  /** Where streams continue from (their last event before these); updated as events are made. */
  heads?: Map<string, StreamAnchor>;
  /** The global position of the first event (default 1). */
  firstPosition?: number;
}

/**
 * Stored events as the store writes them — content hashes and chain links computed the same
 * way — a monthly return each, so a bundle of them verifies. Made one at a time: a million
 * never sit in memory. Each stream continues from its head in `heads` (version and hash), or
 * begins at version 1.
 */
export function* generatedStoredEvents(options: GeneratedEvents): Generator<StoredEventRecord> {
  const { tenantId, count, streams, from, to } = options;
  const heads = options.heads ?? new Map<string, StreamAnchor>();
  const firstPosition = options.firstPosition ?? 1;
  for (let n = 0; n < count; n++) {
    const stream = n % streams;
    const streamId = options.streamId(stream);
    const before = heads.get(streamId) ?? { streamVersion: 0, hash: '' };
    const recordedAt = new Date(from + Math.floor((n * (to - from)) / count));
    const recordedAtMicros = `${recordedAt.getTime()}000`;
    const content = {
      eventId: `00000000-0000-4000-8000-${(firstPosition + n).toString(16).padStart(12, '0')}`,
      streamId,
      type: 'MonthlyReturnSubmitted',
      schemaVersion: 1,
      data: {
        serviceId: `home-${stream}`,
        period: '2026-04',
        figures: { 'kpi-1': 87.5, 'kpi-2': 3, 'kpi-3': 0.25, 'kpi-4': true, 'kpi-5': null },
        note: 'Tŷ Gwyn: staffing recovered after the summer',
      },
      metadata: {
        tenantId,
        actor: 'user:manager-3',
        correlationId: '6c1f0c1e-6f4e-4b8a-9a59-2f4f3f0b8a11',
        causationId: null,
        commandId: '0b9e7f5c-3d41-4a7e-8f0e-2c8f3a1d9b77',
      },
      effectiveAt: n % 10 === 0 ? '2026-03-31T23:00:00.000Z' : null,
    };
    const streamVersion = before.streamVersion + 1;
    const hashOfContent = contentHash(content);
    const hash = chainHash({
      previousHash: before.hash,
      streamId,
      streamVersion,
      recordedAtMicros,
      contentHash: hashOfContent,
    });
    heads.set(streamId, { streamVersion, hash });
    yield {
      ...content,
      globalPosition: firstPosition + n,
      streamVersion,
      recordedAt: recordedAt.toISOString(),
      recordedAtMicros,
      contentHash: hashOfContent,
      previousHash: before.hash,
      hash,
    };
  }
}
