import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '@kpi/testing';
import { Redis } from 'ioredis';
import { Client } from 'pg';

/*
 * The services a fault test stops and starts: a Redis and a PostgreSQL cluster of the test's
 * own, on free ports, with their files in a temporary directory. The machine's shared
 * PostgreSQL and Redis (which other test runs use) are never stopped.
 */

/** A TCP port nobody listens on now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Resolves when the child process has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

// ---------------------------------------------------------------------------------------------
// Redis
// ---------------------------------------------------------------------------------------------

/**
 * A redis-server of the test's own. It keeps an append-only file (fsync on every write), as a
 * production Redis for BullMQ does: stopped and started again, it has its delayed jobs back.
 * (Without persistence a stop is a loss of every job: another fault, which `cli deadlines
 * requeue` answers; see deadlines-redis-outage.int.spec.ts.)
 */
export interface RedisOfItsOwn {
  readonly port: number;
  readonly url: string;
  start(): Promise<void>;
  /** SIGTERM, and waits for the process to end. */
  stop(): Promise<void>;
  /** Stops it if running and removes its files. */
  remove(): Promise<void>;
}

export async function redisOfItsOwn(): Promise<RedisOfItsOwn> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'kpi-faults-redis-'));
  let server: ChildProcess | null = null;
  const stop = async () => {
    const running = server;
    if (!running) return;
    server = null;
    running.kill('SIGTERM');
    await exited(running);
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      // redis-server always runs in the foreground here: the test owns the process.
      server = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'yes',
          '--appendfsync',
          'always',
          '--dir',
          directory,
          '--daemonize',
          'no',
        ],
        { stdio: 'ignore' },
      );
      await waitFor(() => redisAnswers(port), {
        description: `redis-server on port ${port}`,
        intervalMs: 50,
      });
    },
    stop,
    async remove() {
      await stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

async function redisAnswers(port: number): Promise<boolean> {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------------

/** The server binaries of the newest PostgreSQL installed (Debian keeps them off the PATH). */
function postgresBin(program: string): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', program)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions[0] ? join(root, versions[0], 'bin', program) : program;
}

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user. */
function asClusterOwner(program: string, args: string[]): [string, string[]] {
  const binary = postgresBin(program);
  return process.getuid?.() === 0
    ? ['runuser', ['-u', 'postgres', '--', binary, ...args]]
    : [binary, args];
}

/** Runs a PostgreSQL program to its end, without blocking this process meanwhile. */
async function run(program: string, args: string[]): Promise<void> {
  const [command, commandArgs] = asClusterOwner(program, args);
  await promisify(execFile)(command, commandArgs);
}

/**
 * A PostgreSQL cluster of the test's own (`initdb` in a temporary directory, trust
 * authentication, on 127.0.0.1 and a free port), started and stopped with `pg_ctl`.
 */
export interface PostgresOfItsOwn {
  readonly port: number;
  /** The URL of a database of the cluster (created by {@link createDatabase}). */
  urlOf(database: string): string;
  createDatabase(name: string): Promise<void>;
  start(): Promise<void>;
  /** `pg_ctl stop -m fast`: every session is ended, as a restart of the server does. */
  stop(): Promise<void>;
  /** Stops it if running and removes the cluster's files. */
  remove(): Promise<void>;
}

export async function postgresOfItsOwn(): Promise<PostgresOfItsOwn> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'kpi-faults-pg-'));
  const data = join(directory, 'data');
  if (process.getuid?.() === 0) chownSync(directory, ownerOf('postgres'), -1);
  await run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  let running = false;
  const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const stop = async () => {
    if (!running) return;
    await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    running = false;
  };
  return {
    port,
    urlOf,
    async createDatabase(name) {
      const client = new Client({ connectionString: urlOf('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
    },
    async start() {
      await run('pg_ctl', [
        '-D',
        data,
        '-l',
        join(directory, 'server.log'),
        '-o',
        `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off`,
        '-w',
        'start',
      ]);
      running = true;
      await waitFor(
        async () => {
          const client = new Client({ connectionString: urlOf('postgres') });
          try {
            await client.connect();
            return true;
          } catch {
            return false;
          } finally {
            await client.end().catch(() => undefined);
          }
        },
        { description: `PostgreSQL on port ${port}`, intervalMs: 50 },
      );
    },
    stop,
    async remove() {
      try {
        await stop();
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  };
}

function ownerOf(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}
