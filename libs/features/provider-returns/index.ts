export * from './provider-capacity-returns.projection';
export * from './provider-quarterly-returns.projection';
export * from './provider-return-rows';
export * from './provider-returns.use-cases';
