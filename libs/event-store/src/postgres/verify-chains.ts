import type { Pool } from 'pg';
import { firstBrokenLink, type StoredLink } from '../chain-verification';
import type {
  BrokenLink,
  EventMetadata,
  VerificationReport,
  VerifyOptions,
} from '../event-store.port';

/**
 * Every stream's hash chain recomputed from its stored rows (`EventStore.verify` on PostgreSQL):
 * streams 500 at a time in id order, then events whose stream head is gone.
 */
export async function verifyChains(
  pool: Pool,
  options: VerifyOptions = {},
): Promise<VerificationReport> {
  const report: VerificationReport = { streamsChecked: 0, eventsChecked: 0, brokenLinks: [] };
  const pageSize = 500;
  let afterStreamId = '';
  for (;;) {
    const params: unknown[] = [afterStreamId, pageSize];
    const filters: string[] = [];
    if (options.streamId !== undefined) {
      params.push(options.streamId);
      filters.push(`AND stream_id = $${params.length}`);
    }
    if (options.tenantId !== undefined) {
      params.push(options.tenantId);
      filters.push(`AND tenant_id = $${params.length}`);
    }
    const streams = await pool.query<{ stream_id: string; version: string }>(
      `SELECT stream_id, version FROM streams
        WHERE stream_id > $1 ${filters.join(' ')} ORDER BY stream_id LIMIT $2`,
      params,
    );
    if (streams.rows.length === 0) break;
    const events = await pool.query<VerifyRow>(
      `SELECT stream_id, stream_version, event_id, type, schema_version, data, metadata, effective_at,
              (extract(epoch FROM recorded_at) * 1000000)::bigint::text AS recorded_micros,
              content_hash, previous_hash, hash
         FROM events WHERE stream_id = ANY ($1::text[]) ORDER BY stream_id, stream_version`,
      [streams.rows.map((s) => s.stream_id)],
    );
    const byStream = new Map<string, VerifyRow[]>();
    for (const row of events.rows) {
      const list = byStream.get(row.stream_id) ?? [];
      list.push(row);
      byStream.set(row.stream_id, list);
    }
    for (const stream of streams.rows) {
      const rows = byStream.get(stream.stream_id) ?? [];
      const broken = firstBrokenLink(
        stream.stream_id,
        rows.map((row) => toStoredLink(stream.stream_id, row)),
        Number(stream.version),
      );
      if (broken) report.brokenLinks.push(broken);
      report.streamsChecked += 1;
      report.eventsChecked += rows.length;
      options.onProgress?.({
        streamsChecked: report.streamsChecked,
        eventsChecked: report.eventsChecked,
      });
    }
    afterStreamId = streams.rows[streams.rows.length - 1]!.stream_id;
    if (streams.rows.length < pageSize) break;
  }
  report.brokenLinks.push(...(await streamsWithoutHead(pool, options)));
  return report;
}

/** Events whose stream head was deleted: the walk over `streams` above cannot see them. */
async function streamsWithoutHead(pool: Pool, options: VerifyOptions): Promise<BrokenLink[]> {
  const { rows } = await pool.query<{ stream_id: string; first_version: string }>(
    `SELECT e.stream_id, min(e.stream_version) AS first_version FROM events e
      WHERE NOT EXISTS (SELECT 1 FROM streams s WHERE s.stream_id = e.stream_id)
        AND ($1::text IS NULL OR e.stream_id = $1) AND ($2::text IS NULL OR e.tenant_id = $2)
      GROUP BY e.stream_id ORDER BY e.stream_id`,
    [options.streamId ?? null, options.tenantId ?? null],
  );
  return rows.map((row) => ({
    streamId: row.stream_id,
    streamVersion: Number(row.first_version),
    reason: 'head-missing' as const,
    detail: 'events are stored for this stream, but its head record is gone',
  }));
}

interface VerifyRow {
  stream_id: string;
  stream_version: string;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  effective_at: Date | null;
  recorded_micros: string;
  content_hash: string;
  previous_hash: string;
  hash: string;
}

/** The chain's view of a stored row. */
function toStoredLink(streamId: string, row: VerifyRow): StoredLink {
  return {
    streamVersion: Number(row.stream_version),
    previousHash: row.previous_hash,
    hash: row.hash,
    contentHash: row.content_hash,
    recordedAtMicros: row.recorded_micros,
    content: {
      eventId: row.event_id,
      streamId,
      type: row.type,
      schemaVersion: row.schema_version,
      data: row.data,
      metadata: row.metadata,
      effectiveAt: row.effective_at ? row.effective_at.toISOString() : null,
    },
  };
}
