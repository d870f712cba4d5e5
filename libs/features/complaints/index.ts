export * from './complaints.commands';
export * from './complaints.projection';
export * from './complaints.query';
export * from './complaints.use-cases';
export * from './complaint-details.query';
