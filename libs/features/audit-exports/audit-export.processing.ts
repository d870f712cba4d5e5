import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { runAuditExport, type AuditExportJobOptions } from './audit-export.job';
import { AUDIT_EXPORTS_QUEUE, type AuditExportJobData } from './audit-exports.queue';
import { markAttemptFailed } from './audit-exports.table';

export interface AuditExportProcessingOptions extends AuditExportJobOptions {
  redisUrl: string;
  /** A BullMQ key prefix of its own (tests); default `bull`. */
  prefix?: string;
  onError?: (error: Error) => void;
}

/** The export queue as the worker runs it. */
export interface AuditExportProcessing {
  queue: Queue<AuditExportJobData>;
  /** Starts taking exports from the queue, one at a time. */
  startProcessor(): Worker<AuditExportJobData>;
  close(): Promise<void>;
}

/**
 * The worker's side of exports: each job runs `runAuditExport`, its progress reported on the
 * job (`job.updateProgress`) as well as in the export's row. A failed attempt puts the export
 * back to queued with the reason; the last one (or a job that stalled for good) marks it failed.
 */
export function auditExportProcessing(
  options: AuditExportProcessingOptions,
): AuditExportProcessing {
  const onError = options.onError ?? (() => undefined);
  const clock = options.clock ?? (() => new Date());
  const prefix = options.prefix ? { prefix: options.prefix } : {};
  const producer = new Redis(options.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  producer.on('error', onError);
  const consumer = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  consumer.on('error', onError);
  const queue = new Queue<AuditExportJobData>(AUDIT_EXPORTS_QUEUE, {
    connection: producer,
    ...prefix,
  });
  queue.on('error', onError);
  const workers: Worker<AuditExportJobData>[] = [];
  const attemptFailed = async (job: Job<AuditExportJobData>, error: Error) => {
    const final = job.finishedOn !== undefined || job.attemptsMade >= (job.opts.attempts ?? 1);
    await markAttemptFailed(options.pool, job.data.exportId, {
      reason: error.message,
      final,
      attempt: job.attemptsMade,
      at: clock(),
    });
  };
  return {
    queue,
    startProcessor() {
      const worker = new Worker<AuditExportJobData>(
        AUDIT_EXPORTS_QUEUE,
        async (job) => {
          const bundle = await runAuditExport(options, job.data.exportId, (progress) =>
            job.updateProgress({ ...progress }),
          );
          return bundle === null ? null : { sha256: bundle.sha256, events: bundle.events };
        },
        { connection: consumer, concurrency: 1, ...prefix },
      );
      worker.on('error', onError);
      worker.on('failed', (job, error) => {
        if (job) attemptFailed(job, error).catch(onError);
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await queue.close();
      producer.disconnect();
      consumer.disconnect();
    },
  };
}
