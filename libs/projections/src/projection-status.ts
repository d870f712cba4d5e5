import { loadCheckpoint, type EventStore, type GlobalCheckpoint } from '@kpi/event-store';
import type { Pool } from 'pg';
import { checkpointNameOf, type Projection } from './projection';

export interface ProjectionStatus {
  name: string;
  version: number;
  /** The version the stored table was built with (null: not built yet). */
  storedVersion: number | null;
  checkpoint: GlobalCheckpoint;
  /** Events in the log after the checkpoint: how far behind the read model is. */
  eventsBehind: number;
}

export async function projectionStatus(
  pool: Pool,
  store: Pick<EventStore, 'countEventsAfter'>,
  projections: readonly Projection[],
): Promise<ProjectionStatus[]> {
  const { rows } = await pool.query<{ name: string; version: number }>(
    'SELECT name, version FROM projections',
  );
  const stored = new Map(rows.map((r) => [r.name, r.version]));
  return Promise.all(
    projections.map(async (projection) => {
      const checkpoint = await loadCheckpoint(pool, checkpointNameOf(projection.name));
      return {
        name: projection.name,
        version: projection.version,
        storedVersion: stored.get(projection.name) ?? null,
        checkpoint,
        eventsBehind: await store.countEventsAfter(checkpoint),
      };
    }),
  );
}
