import { DEADLINE_QUEUE, type DeadlineJobData } from './deadline-jobs';
import { startDeadlineProcessor } from './deadline-processor';
import { deadlineReactor } from './deadline-reactor';
import {
  timerScheduling,
  type TimerScheduling,
  type TimerSchedulingOptions,
} from '@kpi/scheduling';

export type DeadlineSchedulingOptions = TimerSchedulingOptions;
export type DeadlineScheduling = TimerScheduling<DeadlineJobData>;

/** The deadline side of the worker: reminders and passings (docs/decisions/0012). */
export function deadlineScheduling(options: DeadlineSchedulingOptions): DeadlineScheduling {
  const clock = options.clock ? { clock: options.clock } : {};
  return timerScheduling<DeadlineJobData>(
    {
      queueName: DEADLINE_QUEUE,
      reactor: (queue) => deadlineReactor({ store: options.store, queue, ...clock }),
      processor: (connection, prefix) =>
        startDeadlineProcessor({ store: options.store, connection, ...clock, ...prefix }),
    },
    options,
  );
}
