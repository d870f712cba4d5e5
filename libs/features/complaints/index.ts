export * from './complaints.projection';
export * from './complaints.use-cases';
