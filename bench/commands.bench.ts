/**
 * bench/commands: SubmitMonthlyReturn (9 indicators) over HTTP against the real API process,
 * with the real worker projecting at the same time. BENCH_CLIENTS concurrent clients (default
 * 16, keep-alive: more clients only queue for the two cores) submit distinct returns (home × month) for BENCH_SECONDS (default 10) after a
 * 2 s warm-up. Reports commands/s, p50/p99 latency, and projection lag: sampled every 25 ms as
 * the age of the oldest event no read model has applied yet (0 when all are caught up).
 * Prints one JSON line.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { publishChildrensHomesPreset } from '@kpi/features/kpi-frameworks';
import { registerRegion, registerService } from '@kpi/features/organisation';
import { entityId, type CommandContext } from '@kpi/command-handling';
import { addMonths, londonPeriodOf, parsePeriod, periodsBetween } from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet, createTestDatabase } from '@kpi/testing';
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

const CLIENTS = envInt('BENCH_CLIENTS', 16);
const SECONDS = envInt('BENCH_SECONDS', 10);
const HOMES = envInt('BENCH_HOMES', 800);
const PORT = envInt('BENCH_PORT', 3900);
const TENANT = 'bench-care';

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
    for (let h = 0; h < HOMES; h++) {
      await registerService(context(), {
        serviceId: entityId(`home-${h}`, 'serviceId'),
        name: `Home ${h}`,
        regionId: entityId('north', 'regionId'),
        serviceType: 'childrens-home',
        frameworkId: entityId('childrens-homes', 'frameworkId'),
        openedOn: '2020-01-01',
      });
    }

    const env = processEnv(database.url, PORT, {
      PG_POOL_MAX: '20',
      PROJECTION_IDLE_POLL_MS: process.env.BENCH_IDLE_POLL_MS ?? '50', // the default of .env.example
    });
    children.push(
      startProcess('apps/api/src/main.ts', env),
      startProcess('apps/worker/src/main.ts', env),
    );
    await waitForHealth(PORT);

    const token = benchToken(TENANT, 'regional-manager');
    const client = benchClient(PORT, CLIENTS);
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
    const cpuSince = cpuMeter({ api: api.pid!, worker: worker.pid! });
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
      // CPU milliseconds per command, by process: where the two cores went.
      cpuMsPerCommand: cpuMsPer(cpu, latencies.length),
    };
    report(result);
    saveResults('commands', [result]);
  } finally {
    await Promise.all(children.map(stopProcess));
    await database.drop();
  }
}

void main();
