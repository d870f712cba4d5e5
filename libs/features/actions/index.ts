export * from './actions.commands';
export * from './actions.use-cases';
export * from './actions.projection';
export * from './actions.query';
