export * from './calendar.use-cases';
