export * from './kpi-grid.projection';
export * from './monthly-returns.projection';
export * from './monthly-returns.use-cases';
