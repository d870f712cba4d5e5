export * from './organisation.commands';
export * from './organisation.use-cases';
export * from './regions.projection';
export * from './regions.query';
export * from './services.projection';
export * from './tenant-activity.projection';
