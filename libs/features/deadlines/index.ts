export * from './deadline-jobs';
export * from './deadline-maintenance';
export * from './deadline-processor';
export * from './deadline-reactor';
export * from './deadline-scheduling';
export * from './deadlines.projection';
export * from './deadlines.use-cases';
export * from './deadlines.query';
