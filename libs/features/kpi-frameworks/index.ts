export * from './kpi-frameworks.commands';
export * from './kpi-frameworks.use-cases';
