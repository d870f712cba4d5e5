export * from './evidence.commands';
export * from './evidence-files';
export * from './evidence-targets';
export * from './evidence.use-cases';
export * from './evidence.query';
