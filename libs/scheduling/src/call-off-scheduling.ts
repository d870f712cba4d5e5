import type { EventStore } from '@kpi/event-store';
import type { Projection } from '@kpi/projections';
import { Queue, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { CALL_OFF_QUEUE, type CallOffJobData } from './call-off-jobs';
import { startCallOffProcessor } from './call-off-processor';
import { callOffReactor } from './call-off-reactor';

export interface CallOffSchedulingOptions {
  redisUrl: string;
  store: EventStore;
  /** Tests drive time with a clock of their own; the worker uses the real one. */
  clock?: () => Date;
  /** A BullMQ key prefix of its own (tests); default `bull`. */
  prefix?: string;
  onError?: (error: Error) => void;
}

export interface CallOffScheduling {
  queue: Queue<CallOffJobData>;
  /** Run it with a ProjectionRunner of its own, as the worker runs processes. */
  reactor: Projection;
  /** Starts moving offers on as their windows close. */
  startProcessor(): Worker<CallOffJobData>;
  close(): Promise<void>;
}

/**
 * The call-off timers of the worker: the queue, the reactor that fills it and the processor
 * that empties it, wired as the deadlines are (deadline-scheduling.ts): the queue's
 * connection fails at once while Redis is away (no offline queue), so the reactor's batch fails
 * and its checkpoint waits; the processor's connection waits for Redis as long as it takes.
 */
export function callOffScheduling(options: CallOffSchedulingOptions): CallOffScheduling {
  const onError = options.onError ?? (() => undefined);
  const prefix = options.prefix ? { prefix: options.prefix } : {};
  const producer = new Redis(options.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  producer.on('error', onError);
  const queue = new Queue<CallOffJobData>(CALL_OFF_QUEUE, { connection: producer, ...prefix });
  queue.on('error', onError);
  const workers: Worker<CallOffJobData>[] = [];
  const consumer = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  consumer.on('error', onError);
  return {
    queue,
    reactor: callOffReactor({
      store: options.store,
      queue,
      ...(options.clock ? { clock: options.clock } : {}),
    }),
    startProcessor() {
      const worker = startCallOffProcessor({
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
