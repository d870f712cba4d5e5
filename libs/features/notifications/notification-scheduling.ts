import type { Projection } from '@kpi/projections';
import { Queue, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { MailSender } from './mail-sender';
import { DIGEST_SCHEDULE } from './notification-digests';
import type { EmailLinks } from './notification-email';
import { NOTIFICATION_QUEUE, type NotificationJobData } from './notification-jobs';
import {
  startNotificationProcessor,
  type NotificationProcessorOptions,
} from './notification-processor';
import { notificationReactor } from './notification-reactor';

export interface NotificationSchedulingOptions {
  redisUrl: string;
  pool: Pool;
  /** The SMTP sender; null (no SMTP_URL): notifications are kept for the pages only. */
  mail: MailSender | null;
  links: EmailLinks;
  prefix?: string;
  clock?: () => Date;
  onError?: (error: Error) => void;
  processor?: Pick<NotificationProcessorOptions, 'concurrency' | 'perSecond' | 'outagePauseCapMs'>;
}

export interface NotificationScheduling {
  /** The email queue; null without SMTP. */
  queue: Queue<NotificationJobData> | null;
  /** Run it with a ProjectionRunner of its own, as the worker runs processes. */
  reactor: Projection;
  /** Starts emailing (and registers the daily digest run); nothing without SMTP. */
  start(): Promise<Worker<NotificationJobData> | null>;
  close(): Promise<void>;
}

/** The DIGEST_SCHEDULE job scheduler's id (one, however many workers register it). */
export const DIGEST_SCHEDULER = 'notification-digests';

/**
 * Wires notifications for the worker (docs/decisions/0036): the reactor (delivery rows, and
 * jobs when there is SMTP), the processor that emails them, and the daily digest run. Like the
 * timers' (@kpi/scheduling): the queue's connection fails at once while Redis is away, so the
 * reactor's batch waits; the processor's waits for Redis as long as it takes.
 */
export function notificationScheduling(
  options: NotificationSchedulingOptions,
): NotificationScheduling {
  const onError = options.onError ?? (() => undefined);
  const prefix = options.prefix ? { prefix: options.prefix } : {};
  const clock = options.clock ? { clock: options.clock } : {};
  const mail = options.mail;
  if (mail === null) {
    return {
      queue: null,
      reactor: notificationReactor({ queue: null, ...clock }),
      start: () => Promise.resolve(null),
      close: () => Promise.resolve(),
    };
  }
  const producer = new Redis(options.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  producer.on('error', onError);
  const queue = new Queue<NotificationJobData>(NOTIFICATION_QUEUE, {
    connection: producer,
    ...prefix,
  });
  queue.on('error', onError);
  const consumer = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  consumer.on('error', onError);
  let worker: Worker<NotificationJobData> | null = null;
  return {
    queue,
    reactor: notificationReactor({ queue, ...clock }),
    async start() {
      // The producer has no offline queue: wait for its connection before the first command.
      await queue.waitUntilReady();
      await queue.upsertJobScheduler(DIGEST_SCHEDULER, DIGEST_SCHEDULE, {
        name: 'plan-digests',
        data: { kind: 'plan-digests' },
        opts: { removeOnComplete: { count: 30 }, removeOnFail: { count: 100 } },
      });
      worker = startNotificationProcessor({
        pool: options.pool,
        mail,
        links: options.links,
        queue,
        connection: consumer,
        ...prefix,
        ...clock,
        ...options.processor,
      });
      worker.on('error', onError);
      return worker;
    },
    async close() {
      await worker?.close();
      await queue.close();
      producer.disconnect();
      consumer.disconnect();
      mail.close();
    },
  };
}
