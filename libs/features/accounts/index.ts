export * from './account.events';
export * from './account.decider';
export * from './accounts.commands';
export * from './accounts.query';
export * from './accounts.use-cases';
export * from './accounts-directory';
export * from './passwords';
export * from './sessions';
