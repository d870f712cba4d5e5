import { Redis } from 'ioredis';
import { Client } from 'pg';

/** How long a process waits for PostgreSQL or Redis to answer before it says it cannot reach it. */
export const SERVICE_TIMEOUT_MS = 5_000;

export type ServiceVariable = 'DATABASE_URL' | 'REDIS_URL';

/**
 * A service the process needs does not answer. The message is the one line an operator needs:
 * the variable, the address it holds (password hidden) and why, e.g.
 * `REDIS_URL=redis://127.0.0.1:6390: connection refused`.
 */
export class ServiceUnreachableError extends Error {
  constructor(
    readonly variable: ServiceVariable,
    readonly address: string,
    readonly reason: string,
  ) {
    super(`${variable}=${address}: ${reason}`);
    this.name = 'ServiceUnreachableError';
  }
}

/** Fails with {@link ServiceUnreachableError} unless PostgreSQL at `url` accepts a connection. */
export async function requirePostgres(url: string, timeoutMs = SERVICE_TIMEOUT_MS): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined); // the failure is the rejected connect below
  try {
    await client.connect();
  } catch (error) {
    throw new ServiceUnreachableError('DATABASE_URL', displayUrl(url), reasonOf(error, timeoutMs));
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A Redis client for a short-lived process (the CLI), connected and answering, or
 * {@link ServiceUnreachableError}. It never reconnects and queues nothing while disconnected:
 * a command run while Redis is away fails at once instead of waiting for it.
 */
export async function connectRedis(url: string, timeoutMs = SERVICE_TIMEOUT_MS): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let lastError: unknown;
  redis.on('error', (error: Error) => (lastError = error));
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    throw new ServiceUnreachableError(
      'REDIS_URL',
      displayUrl(url),
      reasonOf(lastError ?? error, timeoutMs),
    );
  }
}

/** Fails with {@link ServiceUnreachableError} unless Redis at `url` answers a PING. */
export async function requireRedis(url: string, timeoutMs = SERVICE_TIMEOUT_MS): Promise<void> {
  (await connectRedis(url, timeoutMs)).disconnect();
}

/** The URL with its password hidden: it goes to terminals and logs. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** What people are told for the errors of the network (Node's codes). */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'no answer (timed out)',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
};

/**
 * SQLSTATEs that mean the database cannot serve now, whatever the request: class 08
 * (connection exception), the server shutting down or starting up, too many connections.
 */
const POSTGRES_UNAVAILABLE = /^(08...|57P01|57P02|57P03|53300)$/;

/** What node-postgres and ioredis say when a connection is lost, cannot be made or is away. */
const DRIVER_MESSAGES = [
  /^Connection terminated/, // pg: unexpectedly, due to connection timeout, …
  /^timeout exceeded when trying to connect$/, // pg-pool
  /is not queryable$/, // pg: a client that lost its connection
  /^Connection is closed\.?$/, // ioredis
  /enableOfflineQueue options? is false/, // ioredis, while disconnected
  /^Reached the max retries per request limit/, // ioredis MaxRetriesPerRequestError
  /^Command timed out$/, // ioredis commandTimeout
];

/**
 * Whether `error` says PostgreSQL or Redis cannot be reached or cannot serve now (rather than
 * that the request was wrong): such a request may succeed if retried later.
 */
export function isServiceUnavailable(error: unknown): boolean {
  let e = asError(error);
  for (let depth = 0; e !== undefined && depth < 5; depth++) {
    const { message } = e;
    const code = codeOf(e);
    if (code !== undefined && (code in NETWORK_REASONS || POSTGRES_UNAVAILABLE.test(code)))
      return true;
    if (DRIVER_MESSAGES.some((pattern) => pattern.test(message))) return true;
    e = asError(e.cause);
  }
  return false;
}

/** A short reason for a failed connection: "connection refused", the server's own words, … */
export function reasonOf(failure: unknown, timeoutMs = SERVICE_TIMEOUT_MS): string {
  const error = asError(failure);
  if (error === undefined) return String(failure);
  const code = codeOf(error);
  if (code === 'ETIMEDOUT' || /timeout/i.test(error.message))
    return `no answer within ${timeoutMs / 1000} s`;
  if (code !== undefined && code in NETWORK_REASONS) return NETWORK_REASONS[code]!;
  if (code === '3D000') return `${error.message} (npm run cli -- create-database creates it)`;
  return error.message.split('\n')[0]!;
}

/**
 * An error by its shape, not `instanceof Error`: Node's own errors (the network's) come from
 * another realm under Jest, and a driver may throw anything with a message.
 */
function asError(value: unknown): Error | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return typeof (value as { message?: unknown }).message === 'string'
    ? (value as Error)
    : undefined;
}

/** Node's error code, also of an AggregateError (a host name with IPv4 and IPv6 addresses). */
function codeOf(error: Error): string | undefined {
  const { code, errors } = error as { code?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  const first = Array.isArray(errors) ? asError(errors[0]) : undefined;
  return first && codeOf(first);
}
