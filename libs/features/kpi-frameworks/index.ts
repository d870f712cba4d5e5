export * from './kpi-frameworks.use-cases';
