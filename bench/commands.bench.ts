/**
 * bench/commands: SubmitMonthlyReturn (9 indicators) over HTTP against the real API process,
 * with the real worker projecting at the same time. BENCH_CLIENTS concurrent clients (default
 * 16, keep-alive: more clients only queue for the two cores) submit distinct returns (BENCH_HOMES
 * homes × the last BENCH_MONTHS months) for BENCH_SECONDS (default 10) after a 2 s warm-up.
 *
 * The homes open at the first of those months, so the worker first closes each home's return
 * deadlines up to now (a job a month, each scheduling the next): the bench waits for that to
 * settle before measuring (BENCH_SETTLE=0 measures at once, beside it, as before 2026-12-07).
 *
 * Reports commands/s, p50/p99 latency, and projection lag: sampled every 25 ms as the age of the
 * oldest event no read model has applied yet (0 when all are caught up). Prints one JSON line.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { allProjections } from '@kpi/features';
import { CALL_OFF_QUEUE, CALL_OFF_REACTOR } from '@kpi/features/call-off';
import { CAPABILITY_ESCALATION } from '@kpi/features/capability';
import { DEADLINE_QUEUE, DEADLINE_REACTOR } from '@kpi/features/deadlines';
import { publishChildrensHomesPreset } from '@kpi/features/kpi-frameworks';
import { NOTIFICATION_QUEUE, NOTIFICATION_REACTOR } from '@kpi/features/notifications';
import { checkpointNameOf } from '@kpi/projections';
import { registerRegion, registerService } from '@kpi/features/organisation';
import { entityId, type CommandContext } from '@kpi/command-handling';
import { addMonths, londonPeriodOf, parsePeriod, periodsBetween } from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet, createTestDatabase, deleteRedisKeys } from '@kpi/testing';
import {
  benchClient,
  benchToken,
  cpuMeter,
  cpuMsPer,
  envInt,
  percentile,
  processEnv,
  report,
  round,
  saveResults,
  startProcess,
  stopProcess,
  waitForHealth,
} from './bench-support';
import { waitForWorkerToSettle } from './worker-support';

const CLIENTS = envInt('BENCH_CLIENTS', 16);
const SECONDS = envInt('BENCH_SECONDS', 10);
const HOMES = envInt('BENCH_HOMES', 800);
const PORT = envInt('BENCH_PORT', 3900);
const TENANT = 'bench-care';
/** Months of returns submitted: the last MONTHS, from homes opened at the first of them. */
const MONTHS = envInt('BENCH_MONTHS', 24);
/** 0: measure at once, while the worker still works through the homes' deadline history. */
const SETTLE = process.env.BENCH_SETTLE !== '0';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The queues whose jobs the worker runs from the log. */
const QUEUES = [DEADLINE_QUEUE, CALL_OFF_QUEUE, NOTIFICATION_QUEUE];

/** Every reader of the log the worker runs: its checkpoints are `projection:<name>`. */
const CHECKPOINTS = [
  ...allProjections.map((p) => p.name),
  CAPABILITY_ESCALATION,
  DEADLINE_REACTOR,
  CALL_OFF_REACTOR,
  NOTIFICATION_REACTOR,
].map(checkpointNameOf);

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
      regionId: entityId('north', 'regionId'),
      name: 'North',
      regionalManagerId: entityId('rm-1', 'regionalManagerId'),
    });
    await publishChildrensHomesPreset(context(), { effectiveFrom: parsePeriod('2020-01') });
    const lastMonth = addMonths(londonPeriodOf(new Date()), -1);
    const periods = periodsBetween(addMonths(lastMonth, -(MONTHS - 1)), lastMonth);
    for (let h = 0; h < HOMES; h++) {
      await registerService(context(), {
        serviceId: entityId(`home-${h}`, 'serviceId'),
        name: `Home ${h}`,
        regionId: entityId('north', 'regionId'),
        serviceType: 'childrens-home',
        frameworkId: entityId('childrens-homes', 'frameworkId'),
        openedOn: `${periods[0]!}-01`,
      });
    }

    const env = processEnv(database.url, PORT, {
      BULLMQ_PREFIX: database.name,
      PG_POOL_MAX: '20',
      PROJECTION_IDLE_POLL_MS: process.env.BENCH_IDLE_POLL_MS ?? '50', // the default of .env.example
    });
    children.push(
      startProcess('apps/api/src/main.ts', env),
      startProcess('apps/worker/src/main.ts', env),
    );
    await waitForHealth(PORT);
    // Each home's return deadlines since it opened pass one by one (a job closes each month and
    // schedules the next): work of the homes' registration, not of the submissions measured.
    const settled = SETTLE
      ? await waitForWorkerToSettle(pool, store, {
          checkpoints: CHECKPOINTS,
          redisUrl: REDIS_URL,
          prefix: database.name,
          queues: QUEUES,
        })
      : null;

    const token = benchToken(TENANT, 'regional-manager');
    const client = benchClient(PORT, CLIENTS);
    let next = 0;
    const nextReturn = () => {
      const n = next++;
      return {
        serviceId: `home-${n % HOMES}`,
        period: periods[Math.floor(n / HOMES) % periods.length]!,
      };
    };
    const submit = async () => {
      const { serviceId, period } = nextReturn();
      const answer = await client.send({
        method: 'POST',
        path: `/services/${serviceId}/returns`,
        token,
        body: { period, values: allMet },
      });
      if (answer.status !== 201) throw new Error(`HTTP ${answer.status}`);
      return answer.ms;
    };

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
    // reaped: the pools end idle connections (one that worked through the settling would take its
    // time with it).
    const cpuSince = cpuMeter({ api: api.pid!, worker: worker.pid! }, { reaped: true });
    const { latencies, errors, elapsed, firstError } = await run(SECONDS);
    if (errors > 0) throw new Error(`${errors} commands failed; the first: ${firstError}`);
    const cpu = cpuSince();
    sampling = false;
    await sampler;
    client.destroy();

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
      homes: HOMES,
      months: MONTHS,
      // Before measuring: how long the worker took to close the homes' past deadlines.
      settle: settled && { seconds: round(settled.seconds, 1), events: settled.events },
      // CPU milliseconds per command, by process: where the two cores went.
      cpuMsPerCommand: cpuMsPer(cpu, latencies.length),
    };
    report(result);
    saveResults('commands', [result]);
  } finally {
    await Promise.all(children.map(stopProcess));
    await deleteRedisKeys(database.name, REDIS_URL);
    await database.drop();
  }
}

void main();
