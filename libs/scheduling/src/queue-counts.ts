import type { Queue } from 'bullmq';

export interface QueueCounts {
  waiting: number;
  delayed: number;
  active: number;
  failed: number;
  completed: number;
}

/** What operators want to see of a queue: how much waits, is delayed, runs or failed. */
export async function queueCounts(queue: Queue): Promise<QueueCounts> {
  const counts = await queue.getJobCounts(
    'waiting',
    'delayed',
    'active',
    'failed',
    'completed',
    'prioritized',
  );
  return {
    waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
    delayed: counts.delayed ?? 0,
    active: counts.active ?? 0,
    failed: counts.failed ?? 0,
    completed: counts.completed ?? 0,
  };
}
