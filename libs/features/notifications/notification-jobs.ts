import { timerJobOptions, type TimerJobOptions } from '@kpi/scheduling';

/** The BullMQ queue notifications are emailed through (each delivery, each person's digest). */
export const NOTIFICATION_QUEUE = 'notifications';

/** A delivery row's key: one notification for one account. */
export interface DeliveryKey {
  tenantId: string;
  accountId: string;
  notificationId: string;
}

/** The key of a person's digest of a day (London date). */
export interface DigestKey {
  tenantId: string;
  accountId: string;
  digestDay: string;
}

export type NotificationJobData =
  | ({ kind: 'deliver' } & DeliveryKey)
  | ({ kind: 'digest' } & DigestKey)
  /** The daily run: one digest job per person with notifications waiting for it. */
  | { kind: 'plan-digests' };

export interface NotificationJob {
  name: 'deliver' | 'digest';
  data: NotificationJobData;
  opts: TimerJobOptions;
}

/** BullMQ ids may not hold `:`; notification ids hold `~` already, which they may. */
const jobIdOf = (...parts: string[]) => parts.join('~').replaceAll(':', '_');

/**
 * The job that emails one delivery: its id is the row's key, so a batch enqueued again (a
 * retried reactor batch) adds it once. Runs at once, retried with backoff (@kpi/scheduling).
 */
export function deliveryJob(key: DeliveryKey, now: Date): NotificationJob {
  return {
    name: 'deliver',
    data: { kind: 'deliver', ...key },
    opts: timerJobOptions(
      jobIdOf('deliver', key.tenantId, key.accountId, key.notificationId),
      now,
      now,
    ),
  };
}

/** The job that emails a person's digest of a day: once per (account, day). */
export function digestJob(key: DigestKey, now: Date): NotificationJob {
  return {
    name: 'digest',
    data: { kind: 'digest', ...key },
    opts: timerJobOptions(jobIdOf('digest', key.tenantId, key.accountId, key.digestDay), now, now),
  };
}
