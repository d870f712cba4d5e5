export * from './capability-counters.projection';
export * from './capability-escalation.process';
export * from './capability-timeline-entry';
export * from './capability-timeline.projection';
export * from './capability.commands';
export * from './capability.use-cases';
