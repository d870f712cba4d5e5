import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';

/** Work done on a schedule, whatever the log holds (clearing out records that have lapsed). */
export interface RepeatingJob {
  /** The job scheduler's id and its jobs' name: one per kind of work, shared by every worker. */
  name: string;
  everyMs: number;
  /** Does the work as of `now`; what it answers is kept as the job's result. */
  run(now: Date): Promise<unknown>;
}

export interface RepeatingJobsOptions {
  redisUrl: string;
  /** A BullMQ key prefix of its own (tests); default `bull`. */
  prefix?: string;
  clock?: () => Date;
  onError?: (error: Error) => void;
}

/** A queue of repeating jobs: `start` registers their schedulers and runs them as they fall due. */
export interface RepeatingJobs {
  queue: Queue;
  start(): Promise<Worker>;
  close(): Promise<void>;
}

/** What is kept of each run: the last day's completions, the last hundred failures. */
const KEPT = { removeOnComplete: { count: 24 }, removeOnFail: { count: 100 } };

/**
 * Repeating jobs on one BullMQ queue, each a job scheduler (`upsertJobScheduler`): every
 * worker registers the same schedulers (the same ids, so one of each however many workers run)
 * and takes due jobs, so each run is done by one of them. A failed run is not retried: the
 * next one comes `everyMs` later.
 */
export function repeatingJobs(
  queueName: string,
  jobs: readonly RepeatingJob[],
  options: RepeatingJobsOptions,
): RepeatingJobs {
  const onError = options.onError ?? (() => undefined);
  const clock = options.clock ?? (() => new Date());
  const prefix = options.prefix ? { prefix: options.prefix } : {};
  const producer = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  producer.on('error', onError);
  const consumer = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  consumer.on('error', onError);
  const queue = new Queue(queueName, { connection: producer, ...prefix });
  queue.on('error', onError);
  const byName = new Map(jobs.map((job) => [job.name, job]));
  let worker: Worker | null = null;
  return {
    queue,
    async start() {
      for (const job of jobs) {
        await queue.upsertJobScheduler(
          job.name,
          { every: job.everyMs },
          { name: job.name, opts: KEPT },
        );
      }
      worker = new Worker(
        queueName,
        (due: Job) => {
          const job = byName.get(due.name);
          if (!job) throw new Error(`No repeating job is named ${due.name}`);
          return job.run(clock());
        },
        { connection: consumer, ...prefix },
      );
      worker.on('error', onError);
      worker.on('failed', (_job, error) => onError(error));
      return worker;
    },
    async close() {
      await worker?.close();
      await queue.close();
      producer.disconnect();
      consumer.disconnect();
    },
  };
}
