import { timerBackoffMs } from '@kpi/scheduling';
import { Worker, type ConnectionOptions, type Job, type Queue } from 'bullmq';
import type { Pool } from 'pg';
import type { MailSender } from './mail-sender';
import { deliverNotification, MailServerUnavailableError } from './notification-delivery';
import { planDigests, sendDigest } from './notification-digests';
import type { EmailLinks } from './notification-email';
import { NOTIFICATION_QUEUE, type NotificationJobData } from './notification-jobs';

export interface NotificationProcessorOptions {
  pool: Pool;
  mail: MailSender;
  links: EmailLinks;
  /** The queue the daily run adds digest jobs to. */
  queue: Queue<NotificationJobData>;
  connection: ConnectionOptions;
  prefix?: string;
  clock?: () => Date;
  concurrency?: number;
  /** At most this many emails a second (the SMTP relay's limit). */
  perSecond?: number;
  /** The longest pause between looks while the SMTP server is away (default a minute). */
  outagePauseCapMs?: number;
}

/**
 * Emails deliveries and digests (docs/decisions/0036). A job whose send fails because the SMTP
 * server is away pauses the whole queue — 1 s, then doubling up to `outagePauseCapMs` — and
 * goes back to wait without counting a try (BullMQ's manual rate limit): an outage of any
 * length loses nothing and burns no retries, and one job looks again after each pause. Other
 * failures (4xx, a row not yet committed) are retried with the timers' capped backoff.
 */
export function startNotificationProcessor(
  options: NotificationProcessorOptions,
): Worker<NotificationJobData> {
  const clock = options.clock ?? (() => new Date());
  const cap = options.outagePauseCapMs ?? 60_000;
  let outages = 0;
  const worker: Worker<NotificationJobData> = new Worker<NotificationJobData>(
    NOTIFICATION_QUEUE,
    async (job: Job<NotificationJobData>) => {
      try {
        const result = await runNotificationJob(options, job.data, clock());
        outages = 0;
        return result;
      } catch (error) {
        if (!(error instanceof MailServerUnavailableError)) throw error;
        outages += 1;
        await options.queue.rateLimit(Math.min(cap, 1_000 * 2 ** Math.min(outages - 1, 20)));
        throw Worker.RateLimitError();
      }
    },
    {
      connection: options.connection,
      concurrency: options.concurrency ?? 8,
      limiter: { max: options.perSecond ?? 100, duration: 1_000 },
      ...(options.prefix ? { prefix: options.prefix } : {}),
      settings: { backoffStrategy: (attemptsMade: number) => timerBackoffMs(attemptsMade) },
    },
  );
  return worker;
}

/** One job: a delivery, a digest, or the daily run that queues the digests. */
export function runNotificationJob(
  options: Pick<NotificationProcessorOptions, 'pool' | 'mail' | 'links' | 'queue'>,
  data: NotificationJobData,
  now: Date,
): Promise<unknown> {
  switch (data.kind) {
    case 'deliver':
      return deliverNotification(options.pool, options.mail, options.links, data, now);
    case 'digest':
      return sendDigest(options.pool, options.mail, options.links, data, now);
    case 'plan-digests':
      return planDigests(options.pool, options.queue, now);
  }
}
