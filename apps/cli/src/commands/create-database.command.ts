import {
  displayUrl,
  loadEnvironment,
  reasonOf,
  SERVICE_TIMEOUT_MS,
  ServiceUnreachableError,
} from '@kpi/runtime';
import { Client } from 'pg';

/**
 * `cli create-database`: creates the database DATABASE_URL names, if it does not exist yet,
 * by connecting to the same server's `postgres` database. Used by `npm start`.
 */
export async function createDatabaseCommand(): Promise<void> {
  const { config } = loadEnvironment('cli', { logTo: 'stderr' });
  const target = new URL(config.DATABASE_URL);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/.test(name)) {
    throw new Error(`DATABASE_URL names the database "${name}"; use letters, digits, _ and - only`);
  }
  const server = new URL(config.DATABASE_URL);
  server.pathname = '/postgres';
  const client = new Client({
    connectionString: server.toString(),
    connectionTimeoutMillis: SERVICE_TIMEOUT_MS,
  });
  client.on('error', () => undefined); // a lost connection fails the query under way
  await client.connect().catch((error: unknown) => {
    throw new ServiceUnreachableError(
      'DATABASE_URL',
      displayUrl(config.DATABASE_URL),
      reasonOf(error),
    );
  });
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name}"`);
      console.log(JSON.stringify({ database: name, created: true }));
    } else {
      console.log(JSON.stringify({ database: name, created: false }));
    }
  } finally {
    await client.end();
  }
}
