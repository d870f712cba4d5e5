// Probes the PostgreSQL and Redis that kpi-ledger will use: the addresses in DATABASE_URL and
// REDIS_URL (the environment, else .env, else the defaults of libs/config), with the drivers the
// app uses (node-postgres, ioredis). Plain JavaScript: it runs before anything is compiled.
//
//   node scripts/probe-services.js [--quiet] [--wait SECONDS] [--label NAME] postgres|redis ...
//       exit 0 when every service named answers (within SECONDS, checking every 0.2 s); else 1,
//       with one line per service that does not on stderr, after `NAME: ` if given:
//       `REDIS_URL=redis://127.0.0.1:6390: connection refused`.
//   node scripts/probe-services.js --local-default postgres|redis
//       exit 0 when the URL is this machine's default port (a server ensure-services may start).
//
// libs/runtime/src/services.ts says the same for the processes (CLI, worker, API).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const SERVICES = {
  postgres: {
    variable: 'DATABASE_URL',
    fallback: 'postgres://postgres@127.0.0.1:5432/kpi_ledger',
    defaultPort: '5432',
    probe: probePostgres,
  },
  redis: {
    variable: 'REDIS_URL',
    fallback: 'redis://127.0.0.1:6379',
    defaultPort: '6379',
    probe: probeRedis,
  },
};
const TIMEOUT_MS = 3_000;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const REASONS = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

async function main(argv) {
  const args = [...argv];
  const flag = (name) => (args.includes(name) ? (args.splice(args.indexOf(name), 1), true) : false);
  const quiet = flag('--quiet');
  const localDefault = flag('--local-default');
  let label = '';
  if (args.includes('--label')) label = `${args.splice(args.indexOf('--label'), 2)[1]}: `;
  let waitSeconds = 0;
  if (args.includes('--wait')) {
    waitSeconds = Number(args.splice(args.indexOf('--wait'), 2)[1]);
    if (!(waitSeconds >= 0)) return usage('--wait takes a number of seconds');
  }
  const unknown = args.filter((name) => !(name in SERVICES));
  if (args.length === 0 || unknown.length > 0) return usage(`unknown service ${unknown.join(' ')}`);

  loadDotenv();
  const targets = args.map((name) => ({ ...SERVICES[name], url: urlOf(SERVICES[name]) }));
  if (localDefault) return targets.every(isLocalDefault) ? 0 : 1;

  const deadline = Date.now() + waitSeconds * 1000;
  const failures = await Promise.all(
    targets.map(async (target) => {
      for (;;) {
        const reason = await target.probe(target.url).then(
          () => null,
          (error) => reasonOf(error),
        );
        if (reason === null || Date.now() >= deadline) return reason && { target, reason };
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }),
  );
  for (const failure of failures.filter(Boolean)) {
    if (!quiet) {
      const { target, reason } = failure;
      console.error(`${label}${target.variable}=${displayUrl(target.url)}: ${reason}`);
    }
  }
  return failures.some(Boolean) ? 1 : 0;
}

/** `.env` of the repository, as the app reads it: real environment variables win. */
function loadDotenv() {
  const file = join(__dirname, '..', '.env');
  if (existsSync(file)) require('dotenv').config({ path: file, quiet: true });
}

function urlOf({ variable, fallback }) {
  const raw = process.env[variable];
  return raw === undefined || raw.trim() === '' ? fallback : raw.trim();
}

function isLocalDefault({ url, defaultPort }) {
  try {
    const parsed = new URL(url);
    return LOCAL_HOSTS.has(parsed.hostname) && (parsed.port || defaultPort) === defaultPort;
  } catch {
    return false;
  }
}

async function probePostgres(url) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    // The server answered: the database itself is made later (`cli create-database`).
    if (error && error.code === '3D000') return;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function probeRedis(url) {
  const { Redis } = require('ioredis');
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: TIMEOUT_MS,
    commandTimeout: TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let lastError;
  redis.on('error', (error) => (lastError = error));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw lastError || error;
  } finally {
    redis.disconnect();
  }
}

function reasonOf(error) {
  if (!(error instanceof Error)) return String(error);
  const code = error.code || (error.errors && error.errors[0] && error.errors[0].code);
  if (code === 'ETIMEDOUT' || /timeout|timed out/i.test(error.message))
    return `no answer within ${TIMEOUT_MS / 1000} s`;
  return REASONS[code] || error.message.split('\n')[0];
}

function displayUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

function usage(problem) {
  console.error(`probe-services: ${problem}`);
  console.error(
    'usage: node scripts/probe-services.js [--quiet] [--wait SECONDS] [--label NAME] [--local-default] postgres|redis ...',
  );
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`probe-services: ${error instanceof Error ? error.message : error}`);
    process.exit(2);
  },
);
