import { CARE_PACKAGE_EVENT_TYPES } from '@kpi/domain';
import type { EventStore, RecordedEvent } from '@kpi/event-store';
import type { Projection } from '@kpi/projections';
import type { Queue } from 'bullmq';
import type { PoolClient } from 'pg';
import { callOffJobOfStream, type CallOffJobData } from './call-off-jobs';
import {
  CALL_OFF_REACTOR_TABLE,
  recordCallOffJobs,
  type ScheduledCallOffJob,
} from './call-off-reactor-table';
import { withTimeout } from '@kpi/scheduling';

export const CALL_OFF_REACTOR = 'call-off-reactor';

/** How long an enqueue may take before the batch fails (Redis away but not refusing). */
const ENQUEUE_TIMEOUT_MS = 5_000;

export interface CallOffReactorOptions {
  store: EventStore;
  queue: Queue<CallOffJobData>;
  clock?: () => Date;
}

/**
 * Starts the timer of each care package's current offer window (2 hours, or until the Friday
 * hold ends), as the deadline reactor does for deadlines (docs/decisions/0012): each batch is
 * enqueued inside the transaction that moves its checkpoint, so with Redis away the batch fails
 * and is tried again, and no window is left without its timer.
 *
 * For every package an event of the batch touched, it folds the package's whole stream and
 * schedules the window open *now* — not the one the event opened — so a replay, or a batch seen
 * twice, asks only for jobs that exist already (the id comes from the window's closing instant).
 * The offers the processor records are events of the package too: the next window's timer is
 * started from them, and the rotation runs on its own. Never rebuilt.
 */
export function callOffReactor(options: CallOffReactorOptions): Projection {
  const clock = options.clock ?? (() => new Date());
  return {
    name: CALL_OFF_REACTOR,
    version: 1,
    table: CALL_OFF_REACTOR_TABLE,
    eventTypes: CARE_PACKAGE_EVENT_TYPES,
    rebuildable: false,
    createTable: (table) => `
      CREATE TABLE ${table} (
        job_id text PRIMARY KEY,
        tenant_id text NOT NULL,
        package_id text NOT NULL,
        run_at timestamptz NOT NULL,
        caused_by uuid NOT NULL,
        caused_at_position bigint NOT NULL,
        data jsonb NOT NULL
      )`,
    async apply(tx: PoolClient, table: string, events: readonly RecordedEvent[]) {
      // The last event of each package in the batch is what caused its timer.
      const causes = new Map<string, RecordedEvent>();
      for (const event of events) causes.set(event.streamId, event);
      const histories = await options.store.readStreams([...causes.keys()]);
      const now = clock();
      const scheduled: ScheduledCallOffJob[] = [];
      for (const [streamId, cause] of causes) {
        const job = callOffJobOfStream(cause.metadata.tenantId, histories.get(streamId) ?? [], now);
        if (job) scheduled.push({ job, cause });
      }
      if (scheduled.length === 0) return;
      await withTimeout(
        options.queue.addBulk(
          scheduled.map(({ job }) => ({ name: job.name, data: job.data, opts: job.opts })),
        ),
        ENQUEUE_TIMEOUT_MS,
      );
      await recordCallOffJobs(tx, table, scheduled);
    },
  };
}
