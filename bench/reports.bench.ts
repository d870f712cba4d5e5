/**
 * bench/reports: the quarterly report (issue 14) over HTTP — BENCH_SERVICES services (default
 * 1,000) in BENCH_REGIONS regions (default 10) × 20 indicators, one quarter of returns
 * (3 months × every service). Target: p99 under 200 ms. Three phases, each one JSON line:
 *
 * 1. seed — through the features' use cases against the store (no HTTP): a framework of 20
 *    indicators mixing the four aggregation rules (sum, average, last, ratio-of-sums) and units
 *    (count, percentage, ratio, hours, days, yes-no), the regions and services, then
 *    `submitMonthlyReturn` for the quarter's three months of every service;
 * 2. catch-up — the real worker process (apps/worker, the read models only: WORKER_PROJECTIONS)
 *    projects the log from nothing; done when every read model's checkpoint has no event after it;
 * 3. report — the real API process (apps/api); BENCH_CLIENTS keep-alive clients (default 4) ask
 *    `GET /reports/quarterly?quarter=…` for BENCH_SECONDS (default 10) after a 2 s warm-up, in
 *    four shapes (BENCH_SHAPES picks some): all services (the default answer: the total of every
 *    service and the first page of 100), one region (a random one each time), every service on
 *    one page (`limit=1000`), and every service with its months (`&detail=months`, the answer
 *    before paging). Every answer must be 200. The first answer, before anything is kept or
 *    compiled, is reported as `firstAnswerMs`.
 *
 * With BENCH_PROFILE_DIR set, the API and the worker write CPU profiles there when they exit.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { entityId, type CommandContext } from '@kpi/command-handling';
import {
  AGGREGATION_RULES,
  parsePeriod,
  type AggregationRule,
  type IndicatorDefinition,
} from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { allProjections } from '@kpi/features';
import { publishFrameworkVersion } from '@kpi/features/kpi-frameworks';
import { MonthlyReturnCaches, submitMonthlyReturn } from '@kpi/features/monthly-returns';
import { registerRegion, registerService } from '@kpi/features/organisation';
import { checkpointNameOf } from '@kpi/projections';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, deleteRedisKeys, waitFor } from '@kpi/testing';
import {
  benchClient,
  benchToken,
  codeVersion,
  cpuMeter,
  cpuMsPer,
  envInt,
  mean,
  percentile,
  processEnv,
  report,
  round,
  saveResults,
  seconds,
  seededRandom,
  startProcess,
  stopProcess,
  waitForHealth,
  type Call,
} from './bench-support';
import { allCaughtUp, countEvents } from './worker-support';

const SERVICES = envInt('BENCH_SERVICES', 1000);
const REGIONS = envInt('BENCH_REGIONS', 10);
const CLIENTS = envInt('BENCH_CLIENTS', 4);
const SECONDS = envInt('BENCH_SECONDS', 10);
const PORT = envInt('BENCH_PORT', 3920);
/** Returns submitted at once while seeding (each its own append). */
const SEED_CONCURRENCY = envInt('BENCH_SEED_CONCURRENCY', 8);
const TARGET_P99_MS = 200;
/** BENCH_SHAPES: a comma-separated list of the shapes to run (default: all). */
const SHAPES_ASKED = process.env.BENCH_SHAPES ? process.env.BENCH_SHAPES.split(',') : null;
const TENANT = 'bench-council';
const FRAMEWORK = 'bench-council-dataset';
/** 2024-25 Q1: April–June 2024; the framework is in force from January 2024. */
const QUARTER = '2024-25 Q1';
const MONTHS = ['2024-04', '2024-05', '2024-06'];
const CHECKPOINTS = allProjections.map((p) => checkpointNameOf(p.name));

type Shape = Pick<IndicatorDefinition, 'unit' | 'direction' | 'aggregation'> & {
  target?: number;
  kind?: IndicatorDefinition['kind'];
};

/** 20 indicators: each aggregation rule 5 times, over the units a council's dataset uses. */
const SHAPES: Shape[] = [
  { unit: 'count', direction: 'higher-is-better', aggregation: 'sum', target: 10 },
  { unit: 'count', direction: 'higher-is-better', aggregation: 'sum', kind: 'data-only' },
  { unit: 'hours', direction: 'higher-is-better', aggregation: 'sum', target: 100 },
  { unit: 'days', direction: 'lower-is-better', aggregation: 'sum', target: 20 },
  { unit: 'count', direction: 'lower-is-better', aggregation: 'sum', target: 3 },
  { unit: 'percentage', direction: 'higher-is-better', aggregation: 'average', target: 90 },
  { unit: 'percentage', direction: 'lower-is-better', aggregation: 'average', target: 10 },
  { unit: 'days', direction: 'lower-is-better', aggregation: 'average', target: 14 },
  { unit: 'hours', direction: 'higher-is-better', aggregation: 'average', target: 35 },
  { unit: 'count', direction: 'higher-is-better', aggregation: 'average', kind: 'data-only' },
  { unit: 'count', direction: 'higher-is-better', aggregation: 'last', target: 12 },
  { unit: 'yes-no', direction: 'higher-is-better', aggregation: 'last', target: 1 },
  { unit: 'percentage', direction: 'higher-is-better', aggregation: 'last', target: 80 },
  { unit: 'count', direction: 'higher-is-better', aggregation: 'last', kind: 'data-only' },
  { unit: 'days', direction: 'lower-is-better', aggregation: 'last', target: 28 },
  { unit: 'ratio', direction: 'higher-is-better', aggregation: 'ratio-of-sums', target: 85 },
  { unit: 'ratio', direction: 'higher-is-better', aggregation: 'ratio-of-sums', target: 95 },
  { unit: 'ratio', direction: 'lower-is-better', aggregation: 'ratio-of-sums', target: 5 },
  { unit: 'ratio', direction: 'higher-is-better', aggregation: 'ratio-of-sums', target: 75 },
  { unit: 'ratio', direction: 'higher-is-better', aggregation: 'ratio-of-sums', target: 60 },
];

const INDICATORS: IndicatorDefinition[] = SHAPES.map((shape, i) => ({
  code: `I${String(i + 1).padStart(2, '0')}`,
  name: `Indicator ${i + 1} (${shape.unit}, ${shape.aggregation})`,
  periodicity: 'monthly',
  ...shape,
}));

/** A plausible value for an indicator, from a deterministic generator. */
function valueFor(indicator: IndicatorDefinition, random: () => number): unknown {
  switch (indicator.unit) {
    case 'yes-no':
      return random() < 0.9;
    case 'ratio': {
      const denominator = 10 + Math.floor(random() * 90);
      return { numerator: Math.floor(denominator * (0.5 + random() / 2)), denominator };
    }
    case 'percentage':
      return round(random() * 100, 1);
    default:
      return Math.floor(random() * 50);
  }
}

async function main() {
  const database = await createTestDatabase('bench_reports');
  const pool = database.pool({ max: SEED_CONCURRENCY + 2 });
  const children: ChildProcess[] = [];
  const results: Record<string, unknown>[] = [];
  try {
    await migrate(pool, eventStoreMigrations);
    const store = new PostgresEventStore(pool, eventTypeRegistry());
    const context = (now: string): CommandContext => ({
      store,
      tenantId: TENANT,
      actor: 'system:bench',
      correlationId: null,
      commandId: randomUUID(),
      now: new Date(now),
    });

    // 1. Seed.
    const seedStarted = process.hrtime.bigint();
    const regions = Array.from({ length: REGIONS }, (_, r) => `region-${r}`);
    for (const [r, regionId] of regions.entries()) {
      await registerRegion(context('2024-01-02T09:00:00Z'), {
        regionId: entityId(regionId, 'regionId'),
        name: `Region ${r}`,
        regionalManagerId: entityId(`rm-${r}`, 'regionalManagerId'),
      });
    }
    await publishFrameworkVersion(context('2024-01-02T09:00:00Z'), {
      frameworkId: entityId(FRAMEWORK, 'frameworkId'),
      name: 'Bench council dataset',
      effectiveFrom: parsePeriod('2024-01'),
      indicators: INDICATORS,
    });
    const services = Array.from({ length: SERVICES }, (_, s) => `service-${s}`);
    const inParallel = async <T>(items: readonly T[], work: (item: T) => Promise<unknown>) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: SEED_CONCURRENCY }, async () => {
          while (next < items.length) await work(items[next++]!);
        }),
      );
    };
    await inParallel([...services.keys()], (s) =>
      registerService(context('2024-01-02T09:00:00Z'), {
        serviceId: entityId(services[s]!, 'serviceId'),
        name: `Service ${String(s).padStart(4, '0')}`,
        regionId: entityId(regions[s % REGIONS]!, 'regionId'),
        serviceType: 'day-service',
        frameworkId: entityId(FRAMEWORK, 'frameworkId'),
        openedOn: '2024-01-01',
      }),
    );
    const random = seededRandom(20261207);
    const returns = MONTHS.flatMap((period) =>
      services.map((serviceId) => ({
        serviceId,
        period,
        values: Object.fromEntries(INDICATORS.map((i) => [i.code, valueFor(i, random)])),
      })),
    );
    const caches = new MonthlyReturnCaches();
    await inParallel(returns, ({ serviceId, period, values }) =>
      submitMonthlyReturn(
        context('2024-07-10T09:00:00Z'),
        { serviceId: entityId(serviceId, 'serviceId'), period: parsePeriod(period), values },
        caches,
      ),
    );
    const seeded = {
      bench: 'reports',
      phase: 'seed',
      services: SERVICES,
      regions: REGIONS,
      indicators: INDICATORS.length,
      aggregation: Object.fromEntries(
        AGGREGATION_RULES.map((rule: AggregationRule) => [
          rule,
          INDICATORS.filter((i) => i.aggregation === rule).length,
        ]),
      ),
      returns: returns.length,
      events: await countEvents(pool),
      seconds: round(seconds(seedStarted), 1),
    };
    report(seeded);
    results.push(seeded);

    // 2. Catch-up: the read models only (no deadline reactor, no capability process).
    const env = processEnv(database.url, PORT, {
      PG_POOL_MAX: '10',
      WORKER_PROJECTIONS: allProjections.map((p) => p.name).join(','),
      BULLMQ_PREFIX: database.name,
    });
    const catchUpStarted = process.hrtime.bigint();
    const worker = startProcess('apps/worker/src/main.ts', env);
    children.push(worker);
    await waitFor(() => allCaughtUp(pool, store, CHECKPOINTS), {
      description: 'every read model to reach the head of the log',
      timeoutMs: 600_000,
      intervalMs: 250,
    });
    const caughtUp = {
      bench: 'reports',
      phase: 'catch-up',
      events: seeded.events,
      seconds: round(seconds(catchUpStarted), 1),
    };
    report(caughtUp);
    results.push(caughtUp);
    await pool.query('VACUUM ANALYZE');
    const { rows: cells } = await pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM rm_kpi_grid WHERE tenant_id = $1',
      [TENANT],
    );

    // 3. The report over HTTP.
    const commit = codeVersion();
    const api = startProcess('apps/api/src/main.ts', env);
    children.push(api);
    await waitForHealth(PORT);
    const token = benchToken(TENANT, 'regional-manager');
    const client = benchClient(PORT, CLIENTS);
    const quarter = encodeURIComponent(QUARTER);
    const pick = seededRandom(7);
    const quarterly = (query: string) => `/reports/quarterly?quarter=${quarter}${query}`;
    const allShapes: { query: string; call: () => Call }[] = [
      // The default answer: every service's total, the first page of services (quarters only).
      { query: 'all-services', call: () => ({ method: 'GET', path: quarterly(''), token }) },
      {
        query: 'one-region',
        call: () => ({
          method: 'GET',
          path: quarterly(`&regionId=${regions[Math.floor(pick() * REGIONS)]}`),
          token,
        }),
      },
      // Every service's quarter on one page, and with each month too (the answer before paging).
      {
        query: 'all-services-one-page',
        call: () => ({ method: 'GET', path: quarterly('&limit=1000'), token }),
      },
      {
        query: 'all-services-with-months',
        call: () => ({ method: 'GET', path: quarterly('&limit=1000&detail=months'), token }),
      },
    ];
    const shapes = allShapes.filter((s) => SHAPES_ASKED === null || SHAPES_ASKED.includes(s.query));
    // The first answer of the API: nothing kept yet, code not yet compiled by the JIT.
    const first = await client.send(shapes[0]!.call());
    const firstMs = round(first.ms, 1);
    const run = async (shape: (typeof shapes)[number], forSeconds: number) => {
      const latencies: number[] = [];
      const bytes: number[] = [];
      let lines = 0;
      let reportServices = 0;
      const deadline = Date.now() + forSeconds * 1000;
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (Date.now() < deadline) {
            const answer = await client.send(shape.call());
            latencies.push(answer.ms);
            bytes.push(answer.body.length);
            if (latencies.length === 1) {
              const body = JSON.parse(answer.body.toString()) as {
                services: { lines: unknown[] }[];
              };
              reportServices = body.services.length;
              lines = body.services.reduce((n, s) => n + s.lines.length, 0);
            }
          }
        }),
      );
      return { latencies, bytes, lines, reportServices, elapsed: seconds(started) };
    };
    for (const shape of shapes) {
      await run(shape, 2); // warm-up: JIT, connection pools, plan caches
      const cpuSince = cpuMeter({ api: api.pid! });
      const { latencies, bytes, lines, reportServices, elapsed } = await run(shape, SECONDS);
      const cpu = cpuSince();
      latencies.sort((a, b) => a - b);
      const p99Ms = round(percentile(latencies, 99), 1);
      const result = {
        bench: 'reports',
        query: shape.query,
        quarter: QUARTER,
        services: reportServices,
        lines,
        gridCells: Number(cells[0]!.n),
        ...(shape === shapes[0] ? { firstAnswerMs: firstMs } : {}),
        clients: CLIENTS,
        requests: latencies.length,
        requestsPerSec: round(latencies.length / elapsed, 1),
        p50Ms: round(percentile(latencies, 50), 1),
        p90Ms: round(percentile(latencies, 90), 1),
        p99Ms,
        maxMs: round(latencies[latencies.length - 1]!, 1),
        targetP99Ms: TARGET_P99_MS,
        met: p99Ms <= TARGET_P99_MS,
        bytesMean: round(mean(bytes)),
        cpuMsPerRequest: cpuMsPer(cpu, latencies.length),
        commit,
      };
      report(result);
      results.push(result);
    }
    client.destroy();
    saveResults('reports', results);
  } finally {
    await Promise.all(children.map(stopProcess));
    await database.drop();
    await deleteRedisKeys(database.name);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
