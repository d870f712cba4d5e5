import {
  remindersFor,
  type Deadline,
  type WorkingDays,
  endOfLondonDay,
  londonInstant,
} from '@kpi/domain';
import { timerJobOptions, type TimerJobOptions } from '@kpi/scheduling';

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
  opts: TimerJobOptions;
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
    opts: timerJobOptions(deadlineJobId(tenantId, deadline, step), runAt, now),
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
