export * from './risks.commands';
export * from './risks.use-cases';
export * from './risks.projection';
export * from './risks.query';
