import { serviceOfStreamIsInFirstEvent, streamBelongsToServices } from '@kpi/domain';
import type { RecordedPeriod } from '@kpi/event-store';
import type { Queryable } from '@kpi/projections';

/** The streams an export holds, with how many of their events it holds. */
export interface ExportStreams {
  /** Events in the period, by stream id, of the streams in scope only. */
  eventsByStream: Map<string, number>;
  eventsTotal: number;
}

const FIRST_EVENTS_PER_QUERY = 1000;

/**
 * Which of the tenant's streams with events recorded in the period an export takes in, and how
 * many events: one grouped count over the period; for an export of some services, the streams
 * whose id does not say their service are placed by their first event (one indexed read per
 * thousand), by the rule grants apply (`streamBelongsToServices`).
 */
export async function exportStreams(
  db: Queryable,
  period: RecordedPeriod,
  serviceIds: readonly string[] | null,
): Promise<ExportStreams> {
  const { rows } = await db.query<{ stream_id: string; events: string }>(
    `SELECT stream_id, count(*) AS events FROM events
      WHERE tenant_id = $1 AND recorded_at >= $2 AND recorded_at < $3
      GROUP BY stream_id`,
    [period.tenantId, period.recordedFrom, period.recordedBefore],
  );
  const counted = new Map(rows.map((row) => [row.stream_id, Number(row.events)]));
  if (serviceIds !== null) {
    const firstEvents = await firstEventData(
      db,
      [...counted.keys()].filter(serviceOfStreamIsInFirstEvent),
    );
    for (const streamId of counted.keys()) {
      const data = firstEvents.get(streamId);
      if (!streamBelongsToServices(streamId, { data }, serviceIds)) counted.delete(streamId);
    }
  }
  let eventsTotal = 0;
  for (const events of counted.values()) eventsTotal += events;
  return { eventsByStream: counted, eventsTotal };
}

async function firstEventData(
  db: Queryable,
  streamIds: readonly string[],
): Promise<Map<string, unknown>> {
  const data = new Map<string, unknown>();
  for (let start = 0; start < streamIds.length; start += FIRST_EVENTS_PER_QUERY) {
    const { rows } = await db.query<{ stream_id: string; data: unknown }>(
      'SELECT stream_id, data FROM events WHERE stream_id = ANY ($1) AND stream_version = 1',
      [streamIds.slice(start, start + FIRST_EVENTS_PER_QUERY)],
    );
    for (const row of rows) data.set(row.stream_id, row.data);
  }
  return data;
}
