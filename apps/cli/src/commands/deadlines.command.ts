import {
  DEADLINE_QUEUE,
  requeueDeadlineJobs,
  retryFailedDeadlineJobs,
  type DeadlineJobData,
} from '@kpi/features/deadlines';
import { queueCounts } from '@kpi/scheduling';
import type { Queue } from 'bullmq';
import type { Pool } from 'pg';
import { progressBar } from '../progress-bar';
import { withJobQueue } from './with-job-queue';

/**
 * `cli deadlines status|requeue|retry-failed`: the operator's side of the deadline queue
 * (docs/decisions/0012): its counts; every job scheduled again from the reactor's table after
 * Redis lost its data; failed jobs put back to run once their cause is mended.
 */
export async function deadlinesStatusCommand(): Promise<void> {
  await withQueue(async (queue) => console.log(JSON.stringify(await queueCounts(queue))));
}

export async function deadlinesRequeueCommand(options: { tenant?: string }): Promise<void> {
  await withQueue(async (queue, database) => {
    const pool = await database();
    const bar = progressBar('requeue', 'jobs');
    const { jobs } = await requeueDeadlineJobs(pool, queue, {
      ...(options.tenant ? { tenantId: options.tenant } : {}),
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.stop();
    console.log(`scheduled ${jobs} deadline jobs again (those still in Redis are unchanged)`);
  });
}

export async function deadlinesRetryFailedCommand(): Promise<void> {
  await withQueue(async (queue) => {
    const { jobs } = await retryFailedDeadlineJobs(queue);
    console.log(`put ${jobs} failed deadline jobs back to run`);
  });
}

/** The queue of this command, with the database on first use ({@link withJobQueue}). */
const withQueue = (
  work: (queue: Queue<DeadlineJobData>, database: () => Promise<Pool>) => Promise<void>,
) => withJobQueue<DeadlineJobData>(DEADLINE_QUEUE, work);
