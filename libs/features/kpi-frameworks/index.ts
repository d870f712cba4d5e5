export * from './judged-months';
export * from './kpi-frameworks.commands';
export * from './kpi-frameworks.use-cases';
export * from './kpi-framework.query';
