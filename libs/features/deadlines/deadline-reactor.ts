import { loadWorkingDayCalendar } from '@kpi/command-handling';
import {
  DEADLINE_KINDS_WITH_REMINDERS,
  DEADLINE_SOURCE_EVENT_TYPES,
  deadlinesCausedBy,
  streamIds,
  type StaffOnRecord,
  type WorkingDays,
} from '@kpi/domain';
import type { EventStore, RecordedEvent } from '@kpi/event-store';
import type { Projection } from '@kpi/projections';
import type { Queue } from 'bullmq';
import type { PoolClient } from 'pg';
import { jobsForDeadline, type DeadlineJobData } from './deadline-jobs';
import { withTimeout } from '@kpi/scheduling';

export const DEADLINE_REACTOR = 'deadline-reactor';

/** How long an enqueue may take before the batch fails (Redis away but not refusing). */
const ENQUEUE_TIMEOUT_MS = 5_000;

/** For batches without a deadline that has reminders: nothing asks it (remindersFor skips them). */
const NO_WORKING_DAYS_NEEDED: WorkingDays = {
  workingDaysBefore: () => {
    throw new Error('a reminder was counted without the calendar');
  },
};

export interface DeadlineReactorOptions {
  store: EventStore;
  queue: Queue<DeadlineJobData>;
  clock?: () => Date;
}

/**
 * Turns the events that start deadlines into delayed BullMQ jobs (docs/decisions/0012). It runs
 * like a projection: each batch is enqueued inside the transaction that moves its checkpoint,
 * so when Redis is away the enqueue fails, the transaction rolls back and the checkpoint stays
 * where it was: the runner tries the batch again until Redis is back, and nothing is lost. Job
 * ids come from the deadline, so a batch enqueued twice adds each job once.
 *
 * Its table lists every job it scheduled (for operators, and to schedule again from should
 * Redis lose its data). Never rebuilt: replaying would only re-add what is there.
 */
export function deadlineReactor(options: DeadlineReactorOptions): Projection {
  const clock = options.clock ?? (() => new Date());
  return {
    name: DEADLINE_REACTOR,
    version: 1,
    table: 'reactor_deadline_jobs',
    eventTypes: DEADLINE_SOURCE_EVENT_TYPES,
    rebuildable: false,
    createTable: (table) => `
      CREATE TABLE ${table} (
        job_id text PRIMARY KEY,
        tenant_id text NOT NULL,
        deadline_key text NOT NULL,
        kind text NOT NULL,
        run_at timestamptz NOT NULL,
        caused_by uuid NOT NULL,
        caused_at_position bigint NOT NULL,
        data jsonb NOT NULL
      )`,
    async apply(tx: PoolClient, table: string, events: readonly RecordedEvent[]) {
      const staff = await staffOfSupervisees(options.store, events);
      const caused = events.flatMap((event) => {
        const supervisee =
          event.type === 'SupervisionRecorded'
            ? (staff.get(
                streamIds.staff(
                  event.metadata.tenantId,
                  (event.data as { superviseeId: string }).superviseeId,
                ),
              ) ?? null)
            : null;
        return deadlinesCausedBy(event, supervisee).map((deadline) => ({ deadline, cause: event }));
      });
      if (caused.length === 0) return;
      // Only returns, actions and complaints' responses have reminders, counted in working days:
      // the calendar only for them.
      const calendar = caused.some(({ deadline }) =>
        DEADLINE_KINDS_WITH_REMINDERS.includes(deadline.kind),
      )
        ? await loadWorkingDayCalendar(options.store)
        : NO_WORKING_DAYS_NEEDED;
      const now = clock();
      const scheduled = caused.flatMap(({ deadline, cause }) =>
        jobsForDeadline(cause.metadata.tenantId, deadline, calendar, now).map((job) => ({
          job,
          cause,
        })),
      );
      if (scheduled.length === 0) return;
      await withTimeout(
        options.queue.addBulk(
          scheduled.map(({ job }) => ({ name: job.name, data: job.data, opts: job.opts })),
        ),
        ENQUEUE_TIMEOUT_MS,
      );
      await tx.query(
        `INSERT INTO ${table} (job_id, tenant_id, deadline_key, kind, run_at, caused_by, caused_at_position, data)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::uuid[], $7::bigint[], $8::jsonb[])
         ON CONFLICT (job_id) DO NOTHING`,
        [
          scheduled.map(({ job }) => job.opts.jobId),
          scheduled.map(({ job }) => job.data.tenantId),
          scheduled.map(({ job }) => job.data.deadline.key),
          scheduled.map(({ job }) => job.name),
          scheduled.map(({ job }) => job.runAt.toISOString()),
          scheduled.map(({ cause }) => cause.eventId),
          scheduled.map(({ cause }) => cause.globalPosition),
          scheduled.map(({ job }) => JSON.stringify(job.data)),
        ],
      );
    },
  };
}

/** The staff record of every supervisee a batch's sessions name (a session of someone else starts nothing). */
async function staffOfSupervisees(
  store: EventStore,
  events: readonly RecordedEvent[],
): Promise<Map<string, StaffOnRecord>> {
  const streams = [
    ...new Set(
      events
        .filter((e) => e.type === 'SupervisionRecorded')
        .map((e) =>
          streamIds.staff(e.metadata.tenantId, (e.data as { superviseeId: string }).superviseeId),
        ),
    ),
  ];
  const result = new Map<string, StaffOnRecord>();
  if (streams.length === 0) return result;
  for (const [streamId, history] of await store.readStreams(streams)) {
    const registered = history.find((e) => e.type === 'StaffMemberRegistered');
    if (!registered) continue;
    const left = history.find((e) => e.type === 'StaffMemberLeft');
    result.set(streamId, {
      serviceId: (registered.data as { serviceId: string }).serviceId,
      leftOn: left ? (left.data as { leftOn: string }).leftOn : null,
    });
  }
  return result;
}
