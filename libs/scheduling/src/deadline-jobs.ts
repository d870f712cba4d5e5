import { remindersFor, type Deadline, type WorkingDays } from '@kpi/domain';
import type { JobsOptions } from 'bullmq';
import { endOfLondonDay, londonInstant } from './london-time';

/** The BullMQ queue every deadline job goes through. */
export const DEADLINE_QUEUE = 'deadlines';

/** Reminders go out at the start of the working day. */
const REMINDER_TIME = '09:00';

export type DeadlineStep = { kind: 'due' } | { kind: 'reminder'; reminder: string };

export interface DeadlineJobData {
  tenantId: string;
  deadline: Deadline;
  step: DeadlineStep;
}

/** A job ready for Queue.addBulk. */
export interface DeadlineJob {
  name: 'deadline-due' | 'deadline-reminder';
  data: DeadlineJobData;
  opts: JobsOptions & { jobId: string; delay: number };
  /** When it is meant to run. */
  runAt: Date;
}

/**
 * The job id: the tenant, the deadline's key and the step. The key is the same whichever event
 * (or replay of it) causes the deadline, so adding it again adds nothing. (BullMQ ids may not
 * hold `:`.)
 */
export function deadlineJobId(tenantId: string, deadline: Deadline, step: DeadlineStep): string {
  const stepName = step.kind === 'due' ? 'due' : `remind-${step.reminder}`;
  return `${tenantId}~${deadline.key.replaceAll(':', '~')}~${stepName}`;
}

/** Retried with backoff for about 2 h 37 min; a job that still fails stays in the failed set. */
export const DEADLINE_JOB_ATTEMPTS = 25;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 10 * 60_000;

/** 1 s, 2 s, 4 s … up to 10 minutes between attempts. */
export function deadlineBackoffMs(attemptsMade: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attemptsMade - 1));
}

const JOB_OPTIONS: JobsOptions = {
  attempts: DEADLINE_JOB_ATTEMPTS,
  backoff: { type: 'capped-exponential' },
  // Kept, so that the same job id added again (a replay) is recognised and not run twice;
  // completed jobs go after 30 days, failed ones never (an operator retries them).
  removeOnComplete: { age: 30 * 24 * 3600 },
  removeOnFail: false,
};

/** A job's options: its id, the wait until `runAt`, retries and what is kept. */
export function deadlineJobOptions(jobId: string, runAt: Date, now: Date): DeadlineJob['opts'] {
  return { ...JOB_OPTIONS, jobId, delay: Math.max(0, runAt.getTime() - now.getTime()) };
}

/**
 * The jobs of a deadline: one when it passes and one per reminder still ahead of it. A
 * deadline already past runs at once (the worker was down, or the work is historic); its
 * reminders are then pointless and left out.
 */
export function jobsForDeadline(
  tenantId: string,
  deadline: Deadline,
  calendar: WorkingDays,
  now: Date,
): DeadlineJob[] {
  const dueAt = endOfLondonDay(deadline.dueOn);
  const job = (step: DeadlineStep, runAt: Date): DeadlineJob => ({
    name: step.kind === 'due' ? 'deadline-due' : 'deadline-reminder',
    data: { tenantId, deadline, step },
    opts: deadlineJobOptions(deadlineJobId(tenantId, deadline, step), runAt, now),
    runAt,
  });
  const jobs = [job({ kind: 'due' }, dueAt)];
  if (dueAt > now) {
    for (const reminder of remindersFor(deadline, calendar)) {
      jobs.push(
        job(
          { kind: 'reminder', reminder: reminder.name },
          londonInstant(reminder.on, REMINDER_TIME),
        ),
      );
    }
  }
  return jobs;
}
