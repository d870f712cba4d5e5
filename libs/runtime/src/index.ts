export { loadEnvironment } from './environment';
export { openDatabase, applyMigrations, allMigrations, type Database } from './database';
export { eventTypeRegistry } from './event-types';
