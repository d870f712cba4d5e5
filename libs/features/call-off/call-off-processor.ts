import { moveCarePackageOffer } from './call-off.use-cases';
import { uuidFromParts, type CommandContext } from '@kpi/command-handling';
import { nextOfferMoveAt } from '@kpi/domain';
import type { EventStore } from '@kpi/event-store';
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { CALL_OFF_QUEUE, type CallOffJobData } from './call-off-jobs';
import { timerBackoffMs } from '@kpi/scheduling';

export const CALL_OFF_PROCESSOR_ACTOR = 'system:call-off';

export interface CallOffProcessorOptions {
  store: EventStore;
  connection: ConnectionOptions;
  clock?: () => Date;
  concurrency?: number;
  prefix?: string;
}

/**
 * A job that ran before this worker's clock reached the window's close (Redis's clock is ahead
 * of it): thrown so that BullMQ tries again with backoff, never dropping the move.
 */
export class OfferWindowStillOpenError extends Error {
  constructor(jobId: string, closesAt: string, now: Date) {
    super(
      `Call-off job ${jobId} ran at ${now.toISOString()}, before its window closes (${closesAt}): tried again`,
    );
    this.name = 'OfferWindowStillOpenError';
  }
}

/**
 * Moves care-package offers on when their windows close. A job only issues
 * `MoveCarePackageOffer` for the council, with a command id derived from the job id, so a job
 * run twice writes nothing twice; the decider records whatever should have happened by the
 * processor's clock. Retried with the deadline jobs' capped exponential backoff, then kept in
 * the failed set.
 */
export function startCallOffProcessor(options: CallOffProcessorOptions): Worker<CallOffJobData> {
  const clock = options.clock ?? (() => new Date());
  return new Worker<CallOffJobData>(
    CALL_OFF_QUEUE,
    (job) => runCallOffJob(options.store, job, clock()),
    {
      connection: options.connection,
      concurrency: options.concurrency ?? 8,
      ...(options.prefix ? { prefix: options.prefix } : {}),
      settings: { backoffStrategy: (attemptsMade: number) => timerBackoffMs(attemptsMade) },
    },
  );
}

export async function runCallOffJob(
  store: EventStore,
  job: Pick<Job<CallOffJobData>, 'id' | 'data'>,
  now: Date,
): Promise<{ appended: number }> {
  const { tenantId, packageId, moveAt } = job.data;
  const context: CommandContext = {
    store,
    tenantId,
    actor: CALL_OFF_PROCESSOR_ACTOR,
    correlationId: job.id ?? null,
    commandId: uuidFromParts('call-off-job', job.id!),
    now,
  };
  const outcome = await moveCarePackageOffer(context, { packageId });
  if (outcome.appended.length === 0) {
    // Nothing to record: fine when the package has moved past this job's window (placed, a
    // decline moved it on, the next window is another job's), not when the window is still
    // open by this worker's clock. Judged on the state the command decided on (not read again).
    const pkg = outcome.state.package;
    const next = pkg ? nextOfferMoveAt(pkg) : null;
    if (next !== null && Date.parse(next) <= Date.parse(moveAt) && Date.parse(next) > now.getTime())
      throw new OfferWindowStillOpenError(job.id!, next, now);
  }
  return { appended: outcome.appended.length };
}
