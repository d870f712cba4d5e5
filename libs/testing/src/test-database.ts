import { randomBytes } from 'node:crypto';
import { Client, Pool, type PoolConfig } from 'pg';

/** The server-level connection used to create and drop throwaway databases. */
export const adminDatabaseUrl =
  process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** A pool on the new database; closed by {@link TestDatabase.drop}. */
  pool(config?: Omit<PoolConfig, 'connectionString'>): Pool;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /**
   * An ICU locale for the database's default collation ('und': Unicode's root order), for a
   * test that must not pass merely because the server's default sorts by bytes.
   */
  icuLocale?: string;
}

/**
 * Creates an empty database of its own for one test file, so tests never share rows and
 * never depend on leftovers. `drop()` closes every pool it handed out and removes it.
 */
export async function createTestDatabase(
  label = 'test',
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  const safeLabel = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30);
  const name = `kpi_${safeLabel}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const locale = options.icuLocale
    ? ` TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '${options.icuLocale.replace(/'/g, "''")}'`
    : '';
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}"${locale}`));
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${name}`;
  const pools: Pool[] = [];
  return {
    name,
    url: url.toString(),
    pool(config = {}) {
      const pool = new Pool({ connectionString: url.toString(), max: 10, ...config });
      pool.on('error', () => undefined); // a dropped database kills idle clients; that is expected
      pools.push(pool);
      return pool;
    },
    async drop() {
      await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminDatabaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
