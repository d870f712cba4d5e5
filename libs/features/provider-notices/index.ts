export * from './provider-notices.commands';
export * from './provider-notices.use-cases';
export * from './provider-notices.projection';
export * from './provider-notices.query';
export * from './provider-notice-details.query';
