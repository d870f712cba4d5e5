export * from './calendar.commands';
export * from './calendar.use-cases';
