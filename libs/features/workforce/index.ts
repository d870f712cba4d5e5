export * from './staff.use-cases';
export * from './supervisions.projection';
export * from './workforce-measures.query';
export * from './workforce.commands';
export * from './workforce.projection';
