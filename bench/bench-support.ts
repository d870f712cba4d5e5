import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@kpi/auth';
import type { Role } from '@kpi/domain';
import { freshAuditSigningKeys, waitFor } from '@kpi/testing';

/** The repository: where the API and the worker are started from. */
const root = join(__dirname, '..');

/** Prints one benchmark result as a JSON line (the format docs/performance.md quotes). */
export function report(result: Record<string, unknown>): void {
  console.log(JSON.stringify(result));
}

/** Also keeps every line of a run in bench/results/<name>.json for later comparison. */
export function saveResults(name: string, results: Record<string, unknown>[]): void {
  const machine = {
    node: process.version,
    platform: process.platform,
    cpus: cpus().length,
  };
  writeFileSync(
    join(__dirname, 'results', `${name}.json`),
    `${JSON.stringify({ at: new Date().toISOString(), machine, results }, null, 2)}\n`,
  );
}

export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a whole number from 1; got "${raw}"`);
  return value;
}

export const round = (value: number, digits = 0) => Number(value.toFixed(digits));

export const mean = (list: readonly number[]) =>
  list.reduce((a, b) => a + b, 0) / Math.max(1, list.length);

/** The value at the p-th percentile of a list sorted ascending (nearest rank; 0 when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Seconds and milliseconds since a `process.hrtime.bigint()`. */
export const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
export const elapsedMs = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;

/** A small deterministic generator (mulberry32): the same figures on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The code measured: the commit, and whether the working tree differs from it. */
export function codeVersion(): string {
  try {
    const commit = execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim();
    const dirty = execSync('git status --porcelain', { cwd: root }).toString().trim() !== '';
    return dirty ? `${commit}+changes` : commit;
  } catch {
    return 'unknown';
  }
}

// ---------------------------------------------------------------------------------------------
// The API and the worker, as real processes.
// ---------------------------------------------------------------------------------------------

/** The JWT secret the benches start the API with and sign their tokens with. */
const SECRET = 'bench-secret-of-at-least-thirty-two-characters';
const BENCH_SIGNING_KEYS = freshAuditSigningKeys('bench');

/** The personal-data key of the processes `processEnv` starts (and of a seed written beside them). */
export const BENCH_PERSONAL_DATA_KEY = Buffer.alloc(32, 9).toString('base64');

/**
 * The environment of a bench's API and worker: production mode, LOG_LEVEL from BENCH_LOG_LEVEL
 * (default warn), the bench's secret; `extra` adds to it (PG_POOL_MAX, BULLMQ_PREFIX …).
 */
export function processEnv(
  databaseUrl: string,
  port: number,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: SECRET,
    AUDIT_SIGNING_KEYS: BENCH_SIGNING_KEYS,
    PERSONAL_DATA_KEY: BENCH_PERSONAL_DATA_KEY,
    PORT: String(port),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    ...extra,
  };
}

/** A bearer token the API started with `processEnv` accepts: one role, in one tenant, for 4 h. */
export function benchToken(tenantId: string, role: Role): string {
  return mintToken({
    secret: SECRET,
    issuer: 'kpi-ledger',
    audience: 'kpi-ledger',
    subject: `user:bench-${role}`,
    tenantId,
    roles: [role],
    expiresInSeconds: 4 * 3600,
  });
}

/**
 * Starts an app (`apps/api/src/main.ts`, `apps/worker/src/main.ts`) as its own Node process;
 * with BENCH_PROFILE_DIR set, it writes a CPU profile there when it exits.
 */
export function startProcess(entry: string, env: Record<string, string>): ChildProcess {
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  return spawn(process.execPath, [...profile, '-r', './scripts/register.js', entry], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Stops a started process (SIGTERM) and waits for it to exit. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Waits for the API on `port` to answer /health (a minute at most). */
export async function waitForHealth(port: number): Promise<void> {
  await waitFor(
    () =>
      fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      ),
    { description: 'the API to answer /health', timeoutMs: 60_000, intervalMs: 200 },
  );
}

// ---------------------------------------------------------------------------------------------
// CPU time (Linux /proc).
// ---------------------------------------------------------------------------------------------

/**
 * CPU seconds used so far by a process; with `reaped`, also by its children that have ended
 * (PostgreSQL's backends and autovacuum workers end: the postmaster keeps their time).
 */
export function cpuSeconds(pid: number, reaped = false): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const own = Number(fields[11]) + Number(fields[12]);
  return (reaped ? own + Number(fields[13]) + Number(fields[14]) : own) / 100;
}

/** CPU seconds used so far by every `postgres` process (`reaped`: see cpuSeconds). */
export function postgresCpuSeconds({ reaped = false }: { reaped?: boolean } = {}): number {
  const pids = execSync('pgrep -u postgres postgres || true')
    .toString()
    .split('\n')
    .filter(Boolean)
    .map(Number);
  return pids.reduce((sum, pid) => {
    try {
      return sum + cpuSeconds(pid, reaped);
    } catch {
      return sum; // a backend that ended meanwhile
    }
  }, 0);
}

/**
 * Starts counting CPU time: of the processes named (by pid), of PostgreSQL (`reaped`: see
 * cpuSeconds) and of this process (the load generator). The function returned gives the
 * seconds each used since, in that order.
 */
export function cpuMeter(
  processes: Record<string, number>,
  options: { reaped?: boolean } = {},
): () => Record<string, number> {
  const named = Object.entries(processes);
  const before = {
    named: named.map(([, pid]) => cpuSeconds(pid)),
    postgres: postgresCpuSeconds(options),
    load: process.cpuUsage(),
  };
  return () => {
    const load = process.cpuUsage(before.load);
    return {
      ...Object.fromEntries(
        named.map(([name, pid], i) => [name, cpuSeconds(pid) - before.named[i]!]),
      ),
      postgres: postgresCpuSeconds(options) - before.postgres,
      loadGenerator: (load.user + load.system) / 1e6,
    };
  };
}

/** CPU milliseconds per request (or command), by process, from `cpuMeter`'s seconds. */
export function cpuMsPer(cpu: Record<string, number>, count: number): Record<string, number> {
  return Object.fromEntries(
    Object.entries(cpu).map(([name, s]) => [name, round((s * 1000) / Math.max(1, count), 2)]),
  );
}

// ---------------------------------------------------------------------------------------------
// Over HTTP: keep-alive clients.
// ---------------------------------------------------------------------------------------------

export interface Call {
  method: 'GET' | 'POST';
  path: string;
  token: string;
  /** Sent as JSON. */
  body?: object;
  /** Further request headers (e.g. `accept-encoding`, as a browser sends it). */
  headers?: Record<string, string>;
  /** Said after the path when the call fails (e.g. `tenant bench-01`). */
  note?: string;
}

export interface Answer {
  /** From sending the request to the end of the answer. */
  ms: number;
  status: number;
  body: Buffer;
}

/** Keep-alive HTTP to the API on 127.0.0.1:`port`, up to `sockets` connections at once. */
export interface BenchClient {
  /** Sends one call; rejects unless the answer is 2xx (with its status and the start of its body). */
  send(call: Call): Promise<Answer>;
  /**
   * Sends the calls with `clients` concurrent clients, each taking the next call when its last
   * is answered; `onAnswer` sees each answer with its call's index. Rejects at the first failure.
   */
  sendAll(
    calls: readonly Call[],
    clients: number,
    onAnswer: (answer: Answer, index: number) => void,
  ): Promise<{ elapsed: number }>;
  destroy(): void;
}

export function benchClient(port: number, sockets: number): BenchClient {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const send = (call: Call) =>
    new Promise<Answer>((resolve, reject) => {
      const body = call.body ? JSON.stringify(call.body) : undefined;
      const started = process.hrtime.bigint();
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: call.method,
          path: call.path,
          agent,
          headers: {
            authorization: `Bearer ${call.token}`,
            ...call.headers,
            ...(body
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const answer = {
              ms: elapsedMs(started),
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks),
            };
            if (answer.status >= 200 && answer.status < 300) resolve(answer);
            else
              reject(
                new Error(
                  `${call.method} ${call.path}${call.note ? ` (${call.note})` : ''}: HTTP ${answer.status} ${answer.body.toString().slice(0, 500)}`,
                ),
              );
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return {
    send,
    async sendAll(calls, clients, onAnswer) {
      let next = 0;
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (next < calls.length) {
            const i = next++;
            onAnswer(await send(calls[i]!), i);
          }
        }),
      );
      return { elapsed: seconds(started) };
    },
    destroy: () => agent.destroy(),
  };
}
