export * from './staff.use-cases';
export * from './supervisions.projection';
export * from './workforce.projection';
