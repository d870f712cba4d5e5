import { CALL_OFF_QUEUE, type CallOffJobData } from './call-off-jobs';
import { startCallOffProcessor } from './call-off-processor';
import { callOffReactor } from './call-off-reactor';
import {
  timerScheduling,
  type TimerScheduling,
  type TimerSchedulingOptions,
} from '@kpi/scheduling';

export type CallOffSchedulingOptions = TimerSchedulingOptions;
export type CallOffScheduling = TimerScheduling<CallOffJobData>;

/** The call-off timers of the worker: each care package's window closing (docs/decisions/0013). */
export function callOffScheduling(options: CallOffSchedulingOptions): CallOffScheduling {
  const clock = options.clock ? { clock: options.clock } : {};
  return timerScheduling<CallOffJobData>(
    {
      queueName: CALL_OFF_QUEUE,
      reactor: (queue) => callOffReactor({ store: options.store, queue, ...clock }),
      processor: (connection, prefix) =>
        startCallOffProcessor({ store: options.store, connection, ...clock, ...prefix }),
    },
    options,
  );
}
