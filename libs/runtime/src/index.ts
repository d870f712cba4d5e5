export { loadEnvironment } from './environment';
export { openDatabase, applyMigrations, allMigrations, type Database } from './database';
export { eventTypeRegistry } from './event-types';
export {
  connectRedis,
  displayUrl,
  isServiceUnavailable,
  reasonOf,
  requirePostgres,
  requireRedis,
  ServiceUnreachableError,
  SERVICE_TIMEOUT_MS,
  type ServiceVariable,
} from './services';
