import type { PostgresEventStore } from '@kpi/event-store';
import {
  allProjections,
  ensureProjectionReady,
  projectionStatus,
  ProjectionRunner,
} from '@kpi/projections';
import { waitFor } from '@kpi/testing';
import type { Pool } from 'pg';

export interface ProjectionsInProcess {
  /** Resolves once every projection's checkpoint has reached the head of the log. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The worker's projections, run inside the test process: a ProjectionRunner per read model,
 * as apps/worker runs them, polling every 10 ms once idle so tests wait little. The tables are
 * made before it returns, so queries never meet a missing table.
 *
 * Give it the test's own pool and a store with the app's event types
 * (`new PostgresEventStore(api.pool, eventTypeRegistry())`): the runners keep one connection
 * each while they lead.
 */
export async function startProjections(
  pool: Pool,
  store: PostgresEventStore,
): Promise<ProjectionsInProcess> {
  for (const projection of allProjections) await ensureProjectionReady(pool, store, projection);
  const runners = allProjections.map(
    (projection) =>
      new ProjectionRunner(pool, store, projection, {
        idlePollMs: 10,
        standbyPollMs: 10,
        retryDelayMs: 10,
      }),
  );
  for (const runner of runners) runner.start();
  return {
    async caughtUp() {
      await waitFor(
        async () =>
          (await projectionStatus(pool, store, allProjections)).every((s) => s.eventsBehind === 0),
        { description: 'every projection to reach the head of the log', intervalMs: 10 },
      );
    },
    async stop() {
      await Promise.all(runners.map((runner) => runner.stop()));
    },
  };
}
