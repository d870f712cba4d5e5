export * from './london-time';
export * from './deadline-jobs';
export * from './deadline-reactor';
export * from './deadline-processor';
export * from './queue-counts';
export * from './deadline-scheduling';
export * from './deadline-maintenance';
