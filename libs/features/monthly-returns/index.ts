export * from './kpi-grid.projection';
export * from './kpi-grid.query';
export * from './monthly-return-caches';
export * from './monthly-returns.commands';
export * from './monthly-returns.projection';
export * from './monthly-returns.use-cases';
