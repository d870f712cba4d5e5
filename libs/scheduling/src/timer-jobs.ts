import type { JobsOptions, Queue } from 'bullmq';

/** Retried with backoff for about 2 h 37 min; a job that still fails stays in the failed set. */
export const TIMER_JOB_ATTEMPTS = 25;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 10 * 60_000;

/** 1 s, 2 s, 4 s … up to 10 minutes between attempts (every timer's processor uses it). */
export function timerBackoffMs(attemptsMade: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attemptsMade - 1));
}

const JOB_OPTIONS: JobsOptions = {
  attempts: TIMER_JOB_ATTEMPTS,
  backoff: { type: 'capped-exponential' },
  // Kept, so that the same job id added again (a replay) is recognised and not run twice;
  // completed jobs go after 30 days, failed ones never (an operator retries them).
  removeOnComplete: { age: 30 * 24 * 3600 },
  removeOnFail: false,
};

export type TimerJobOptions = JobsOptions & { jobId: string; delay: number };

/** A timer job's options: its id, the wait until `runAt`, retries and what is kept. */
export function timerJobOptions(jobId: string, runAt: Date, now: Date): TimerJobOptions {
  return { ...JOB_OPTIONS, jobId, delay: Math.max(0, runAt.getTime() - now.getTime()) };
}

/**
 * Puts every failed job of a queue back to run: any timer's `retry-failed` (deadlines, call-off
 * windows). Each runs once more — BullMQ does not count its attempts afresh, so one that fails
 * again is back in the failed set at once. Returns how many were failed.
 */
export async function retryFailedJobs<JobData>(queue: Queue<JobData>): Promise<{ jobs: number }> {
  const failed = await queue.getJobCountByTypes('failed');
  await queue.retryJobs({ state: 'failed' });
  return { jobs: failed };
}
