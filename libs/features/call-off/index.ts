export * from './call-off-jobs';
export * from './call-off-maintenance';
export * from './call-off-processor';
export * from './call-off-reactor';
export * from './call-off-reactor-table';
export * from './call-off-scheduling';
export * from './call-off.use-cases';
export * from './care-call-off.projection';
