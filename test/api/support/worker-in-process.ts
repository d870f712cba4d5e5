import type { PostgresEventStore } from '@kpi/event-store';
import { capabilityEscalationProcess } from '@kpi/processes';
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
 * The worker's projections and the capability escalation process, run inside the test process
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
  const escalation = capabilityEscalationProcess(store);
  const everything = [...allProjections, escalation];
  for (const projection of everything) await ensureProjectionReady(pool, store, projection);
  const options = { idlePollMs: 10, standbyPollMs: 10, retryDelayMs: 10 };
  // As apps/worker runs them: the read models in one runner, the process in one of its own.
  const runners = [
    new ProjectionRunner(pool, store, allProjections, options),
    new ProjectionRunner(pool, store, escalation, options),
  ];
  for (const runner of runners) runner.start();
  return {
    async caughtUp() {
      await waitFor(
        async () =>
          (await projectionStatus(pool, store, everything)).every((s) => s.eventsBehind === 0),
        { description: 'every projection to reach the head of the log', intervalMs: 10 },
      );
    },
    async stop() {
      await Promise.all(runners.map((runner) => runner.stop()));
    },
  };
}
