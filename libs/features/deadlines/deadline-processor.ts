import { closeDeadline, sendDeadlineReminder } from './deadlines.use-cases';
import { uuidFromParts } from '@kpi/command-handling';
import type { EventStore } from '@kpi/event-store';
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { timerBackoffMs } from '@kpi/scheduling';
import { DEADLINE_QUEUE, type DeadlineJobData } from './deadline-jobs';

export const DEADLINE_PROCESSOR_ACTOR = 'system:deadlines';

export interface DeadlineProcessorOptions {
  store: EventStore;
  connection: ConnectionOptions;
  clock?: () => Date;
  concurrency?: number;
  prefix?: string;
}

/**
 * Runs deadline jobs when they fall due. A job only issues a command — a reminder or the
 * deadline's judgement — whose id derives from the job id, so a job run twice (a crash after
 * the append, a retry) writes nothing twice. A failing job is retried with capped exponential
 * backoff and then kept in the failed set, never dropped.
 */
export function startDeadlineProcessor(options: DeadlineProcessorOptions): Worker<DeadlineJobData> {
  const clock = options.clock ?? (() => new Date());
  return new Worker<DeadlineJobData>(
    DEADLINE_QUEUE,
    (job) => runDeadlineJob(options.store, job, clock()),
    {
      connection: options.connection,
      concurrency: options.concurrency ?? 8,
      ...(options.prefix ? { prefix: options.prefix } : {}),
      settings: { backoffStrategy: (attemptsMade: number) => timerBackoffMs(attemptsMade) },
    },
  );
}

export async function runDeadlineJob(
  store: EventStore,
  job: Pick<Job<DeadlineJobData>, 'id' | 'data'>,
  now: Date,
) {
  const { tenantId, deadline, step } = job.data;
  const context = {
    store,
    tenantId,
    actor: DEADLINE_PROCESSOR_ACTOR,
    correlationId: job.id ?? null,
    commandId: uuidFromParts('deadline-job', job.id!),
    now,
  };
  const outcome =
    step.kind === 'due'
      ? await closeDeadline(context, deadline)
      : await sendDeadlineReminder(context, deadline, step.reminder);
  return { appended: outcome.appended.length };
}
