import type { EventStore } from '@kpi/event-store';
import type { Projection } from '@kpi/projections';
import { Queue, type ConnectionOptions, type Worker } from 'bullmq';
import { Redis } from 'ioredis';

/** What the worker passes to every timer (deadlines, call-off windows). */
export interface TimerSchedulingOptions {
  redisUrl: string;
  store: EventStore;
  /** Tests drive time with a clock of their own; the worker uses the real one. */
  clock?: () => Date;
  /** A BullMQ key prefix of its own (tests); default `bull`. */
  prefix?: string;
  onError?: (error: Error) => void;
}

/** One kind of timer: its queue, the reactor that fills it and the processor that empties it. */
export interface TimerScheduling<JobData> {
  queue: Queue<JobData>;
  /** Run it with a ProjectionRunner of its own, as the worker runs processes. */
  reactor: Projection;
  /** Starts running due jobs. */
  startProcessor(): Worker<JobData>;
  close(): Promise<void>;
}

/** What makes one kind of timer: its queue's name, its reactor and its processor. */
export interface TimerKind<JobData> {
  queueName: string;
  reactor(queue: Queue<JobData>): Projection;
  processor(connection: ConnectionOptions, prefix: { prefix?: string }): Worker<JobData>;
}

/**
 * Wires a kind of timer for the worker (docs/decisions/0012). The queue's connection fails at
 * once while Redis is away (no offline queue), so the reactor's batch fails and its checkpoint
 * waits; the processor's connection waits for Redis as long as it takes (BullMQ workers need
 * `maxRetriesPerRequest: null`).
 */
export function timerScheduling<JobData>(
  kind: TimerKind<JobData>,
  options: TimerSchedulingOptions,
): TimerScheduling<JobData> {
  const onError = options.onError ?? (() => undefined);
  const prefix = options.prefix ? { prefix: options.prefix } : {};
  const producer = new Redis(options.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  producer.on('error', onError);
  const queue = new Queue<JobData>(kind.queueName, { connection: producer, ...prefix });
  queue.on('error', onError);
  const workers: Worker<JobData>[] = [];
  const consumer = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  consumer.on('error', onError);
  return {
    queue,
    reactor: kind.reactor(queue),
    startProcessor() {
      const worker = kind.processor(consumer, prefix);
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
