export * from './queue-counts';
export * from './timer-jobs';
export * from './timer-scheduling';
export * from './with-timeout';
export * from './repeating-jobs';
