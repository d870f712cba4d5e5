/**
 * bench/commands: SubmitMonthlyReturn (9 indicators) over HTTP against the real API process,
 * with the real worker projecting at the same time. BENCH_CLIENTS concurrent clients (default
 * 16, keep-alive: more clients only queue for the two cores) submit distinct returns (home × month) for BENCH_SECONDS (default 10) after a
 * 2 s warm-up. Reports commands/s, p50/p99 latency, and projection lag: sampled every 25 ms as
 * the age of the oldest event no read model has applied yet (0 when all are caught up).
 * Prints one JSON line.
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  publishChildrensHomesPreset,
  registerRegion,
  registerService,
  type CommandContext,
} from '@kpi/application';
import { mintToken } from '@kpi/auth';
import { addMonths, londonPeriodOf, periodsBetween } from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet, createTestDatabase, waitFor } from '@kpi/testing';
import { envInt, report, round, saveResults } from './bench-support';

const CLIENTS = envInt('BENCH_CLIENTS', 16);
const SECONDS = envInt('BENCH_SECONDS', 10);
const HOMES = envInt('BENCH_HOMES', 800);
const PORT = envInt('BENCH_PORT', 3900);
const TENANT = 'bench-care';
const SECRET = 'bench-secret-of-at-least-thirty-two-characters';
const root = join(__dirname, '..');

function start(entry: string, env: Record<string, string>): ChildProcess {
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  return spawn(process.execPath, [...profile, '-r', './scripts/register.js', entry], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** CPU seconds used so far by a process (Linux /proc), or by every `postgres` process. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
function postgresCpuSeconds(): number {
  const pids = execSync('pgrep -u postgres postgres || true')
    .toString()
    .split('\n')
    .filter(Boolean)
    .map(Number);
  return pids.reduce((sum, pid) => {
    try {
      return sum + cpuSeconds(pid);
    } catch {
      return sum; // a backend that ended meanwhile
    }
  }, 0);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main() {
  const database = await createTestDatabase('bench_commands');
  const pool = database.pool({ max: 4 });
  const children: ChildProcess[] = [];
  try {
    await migrate(pool, eventStoreMigrations);
    const store = new PostgresEventStore(pool, eventTypeRegistry());
    const context = (): CommandContext => ({
      store,
      tenantId: TENANT,
      actor: 'system:bench',
      correlationId: null,
      commandId: randomUUID(),
      now: new Date('2024-01-02T09:00:00Z'),
    });
    await registerRegion(context(), {
      regionId: 'north',
      name: 'North',
      regionalManagerId: 'rm-1',
    });
    await publishChildrensHomesPreset(context(), '2020-01');
    for (let h = 0; h < HOMES; h++) {
      await registerService(context(), {
        serviceId: `home-${h}`,
        name: `Home ${h}`,
        regionId: 'north',
        serviceType: 'childrens-home',
        frameworkId: 'childrens-homes',
        openedOn: '2020-01-01',
      });
    }

    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      JWT_SECRET: SECRET,
      PORT: String(PORT),
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      PG_POOL_MAX: '20',
      PROJECTION_IDLE_POLL_MS: process.env.BENCH_IDLE_POLL_MS ?? '50', // the default of .env.example
    };
    children.push(start('apps/api/src/main.ts', env), start('apps/worker/src/main.ts', env));
    await waitFor(
      () =>
        fetch(`http://127.0.0.1:${PORT}/health`).then(
          (r) => r.ok,
          () => false,
        ),
      {
        description: 'the API to answer /health',
        timeoutMs: 60_000,
        intervalMs: 200,
      },
    );

    const token = mintToken({
      secret: SECRET,
      issuer: 'kpi-ledger',
      audience: 'kpi-ledger',
      subject: 'user:bench',
      tenantId: TENANT,
      roles: ['regional-manager'],
      expiresInSeconds: 3600,
    });
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const lastMonth = addMonths(londonPeriodOf(new Date()), -1);
    const periods = periodsBetween(addMonths(lastMonth, -59), lastMonth);
    let next = 0;
    const nextReturn = () => {
      const n = next++;
      return {
        serviceId: `home-${n % HOMES}`,
        period: periods[Math.floor(n / HOMES) % periods.length]!,
      };
    };
    const submit = () =>
      new Promise<number>((resolve, reject) => {
        const { serviceId, period } = nextReturn();
        const body = JSON.stringify({ period, values: allMet });
        const started = process.hrtime.bigint();
        const req = request(
          {
            host: '127.0.0.1',
            port: PORT,
            method: 'POST',
            path: `/services/${serviceId}/returns`,
            agent,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              authorization: `Bearer ${token}`,
            },
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              res.statusCode === 201
                ? resolve(Number(process.hrtime.bigint() - started) / 1e6)
                : reject(new Error(`HTTP ${res.statusCode}`)),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });

    const run = async (seconds: number) => {
      const latencies: number[] = [];
      let errors = 0;
      let firstError: string | undefined;
      const deadline = Date.now() + seconds * 1000;
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (Date.now() < deadline) {
            try {
              latencies.push(await submit());
            } catch (error) {
              errors++;
              firstError ??= (error as Error).message;
            }
          }
        }),
      );
      return {
        latencies,
        errors,
        firstError,
        elapsed: Number(process.hrtime.bigint() - started) / 1e9,
      };
    };

    await run(2); // warm-up: JIT, connection pools, plan caches

    const lagSamples: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await pool.query<{ lag_ms: string | null }>(
          `SELECT extract(epoch FROM clock_timestamp() - min(e.recorded_at)) * 1000 AS lag_ms
             FROM events e
            WHERE (e.transaction_id, e.global_position) >
                  (SELECT transaction_id, global_position FROM checkpoints
                    WHERE name LIKE 'projection:%' ORDER BY transaction_id, global_position LIMIT 1)`,
        );
        lagSamples.push(Math.max(0, Number(rows[0]?.lag_ms ?? 0)));
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    const [api, worker] = children as [ChildProcess, ChildProcess];
    const cpuBefore = {
      api: cpuSeconds(api.pid!),
      worker: cpuSeconds(worker.pid!),
      postgres: postgresCpuSeconds(),
      load: process.cpuUsage(),
    };
    const { latencies, errors, elapsed, firstError } = await run(SECONDS);
    if (errors > 0) throw new Error(`${errors} commands failed; the first: ${firstError}`);
    const loadCpu = process.cpuUsage(cpuBefore.load);
    const cpu = {
      api: cpuSeconds(api.pid!) - cpuBefore.api,
      worker: cpuSeconds(worker.pid!) - cpuBefore.worker,
      postgres: postgresCpuSeconds() - cpuBefore.postgres,
      loadGenerator: (loadCpu.user + loadCpu.system) / 1e6,
    };
    sampling = false;
    await sampler;
    agent.destroy();

    latencies.sort((a, b) => a - b);
    lagSamples.sort((a, b) => a - b);
    const result = {
      bench: 'commands',
      clients: CLIENTS,
      seconds: SECONDS,
      commands: latencies.length,
      errors,
      commandsPerSec: round(latencies.length / elapsed),
      p50Ms: round(percentile(latencies, 50), 1),
      p99Ms: round(percentile(latencies, 99), 1),
      lagP99Ms: round(percentile(lagSamples, 99), 0),
      lagSamples: lagSamples.length,
      logLevel: env.LOG_LEVEL,
      // CPU milliseconds per command, by process: where the two cores went.
      cpuMsPerCommand: Object.fromEntries(
        Object.entries(cpu).map(([k, v]) => [
          k,
          round((v * 1000) / Math.max(1, latencies.length), 2),
        ]),
      ),
    };
    report(result);
    saveResults('commands', [result]);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) =>
            child.exitCode !== null ? resolve(null) : child.once('exit', resolve),
          ),
      ),
    );
    await database.drop();
  }
}

void main();
