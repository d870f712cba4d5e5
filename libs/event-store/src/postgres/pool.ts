import { Pool, types, type PoolConfig } from 'pg';

// A calendar date stays the text PostgreSQL sends ('2026-04-30'): turning it into a JavaScript
// Date would place it at local midnight and shift it across time zones.
types.setTypeParser(types.builtins.DATE, (value: string) => value);

export interface PostgresPoolOptions {
  connectionString: string;
  max?: number;
  /**
   * A transaction left open ends after this long. An open transaction holds back the
   * global-log horizon for every reader, so this bounds how long readers can stall.
   */
  idleInTransactionTimeoutMs?: number;
  applicationName?: string;
}

/** A node-postgres pool set up the way every part of kpi-ledger expects. */
export function createPostgresPool(options: PostgresPoolOptions): Pool {
  const config: PoolConfig = {
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'kpi-ledger',
    options: `-c idle_in_transaction_session_timeout=${options.idleInTransactionTimeoutMs ?? 30_000} -c timezone=UTC`,
  };
  return new Pool(config);
}
