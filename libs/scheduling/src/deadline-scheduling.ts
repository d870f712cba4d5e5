import type { EventStore } from '@kpi/event-store';
import type { Projection } from '@kpi/projections';
import { Queue, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { DEADLINE_QUEUE, type DeadlineJobData } from './deadline-jobs';
import { startDeadlineProcessor } from './deadline-processor';
import { deadlineReactor } from './deadline-reactor';

export interface DeadlineSchedulingOptions {
  redisUrl: string;
  store: EventStore;
  /** Tests drive time with a clock of their own; the worker uses the real one. */
  clock?: () => Date;
  /** A BullMQ key prefix of its own (tests); default `bull`. */
  prefix?: string;
  onError?: (error: Error) => void;
}

export interface DeadlineScheduling {
  queue: Queue<DeadlineJobData>;
  /** Run it with a ProjectionRunner of its own, as the worker runs processes. */
  reactor: Projection;
  /** Starts running due jobs. */
  startProcessor(): Worker<DeadlineJobData>;
  close(): Promise<void>;
}

/**
 * The deadline side of the worker: the queue, the reactor that fills it and the processor that
 * empties it. The queue's connection fails at once while Redis is away (no offline queue), so
 * the reactor's batch fails and its checkpoint waits; the processor's connection waits for
 * Redis as long as it takes (BullMQ workers need `maxRetriesPerRequest: null`).
 */
export function deadlineScheduling(options: DeadlineSchedulingOptions): DeadlineScheduling {
  const onError = options.onError ?? (() => undefined);
  const prefix = options.prefix ? { prefix: options.prefix } : {};
  const producer = new Redis(options.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  producer.on('error', onError);
  const queue = new Queue<DeadlineJobData>(DEADLINE_QUEUE, { connection: producer, ...prefix });
  queue.on('error', onError);
  const workers: Worker<DeadlineJobData>[] = [];
  const consumer = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  consumer.on('error', onError);
  return {
    queue,
    reactor: deadlineReactor({
      store: options.store,
      queue,
      ...(options.clock ? { clock: options.clock } : {}),
    }),
    startProcessor() {
      const worker = startDeadlineProcessor({
        store: options.store,
        connection: consumer,
        ...(options.clock ? { clock: options.clock } : {}),
        ...prefix,
      });
      worker.on('error', onError);
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await queue.close();
      producer.disconnect();
      consumer.disconnect();
    },
  };
}
