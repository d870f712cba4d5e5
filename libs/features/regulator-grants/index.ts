export * from './regulator-grant.events';
export * from './regulator-grant.decider';
export * from './regulator-grant-view';
export * from './regulator-grants.commands';
export * from './regulator-grants.use-cases';
export * from './regulator-grants.projection';
export * from './regulator-grants.query';
export * from './grant-scope';
