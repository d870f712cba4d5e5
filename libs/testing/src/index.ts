export { createTestDatabase, adminDatabaseUrl, type TestDatabase } from './test-database';
export { waitFor, type WaitForOptions } from './wait-for';
