/**
 * bench/queries: the capability read side over HTTP with BENCH_EVENTS (default 1,000,000)
 * events stored. Three phases, each reported as a JSON line:
 *
 * 1. seed — the demo generator (`seedDemo`, the code behind `cli seed-demo`) writes
 *    BENCH_TENANTS tenants (default 8) at once, each with as many homes as it takes for the
 *    setup and the monthly returns (BENCH_MONTHS, default 24) to reach BENCH_EVENTS;
 * 2. catch-up — the real worker process (apps/worker) takes every read model and the
 *    capability-escalation process from nothing to the head of the log; the process appends
 *    the stages it concludes and the read models project those too (not the deadline reactor:
 *    WORKER_PROJECTIONS leaves it out). Done when every checkpoint (`projection:<name>`) has no
 *    event after it, and stays so;
 * 3. queries — the real API process (apps/api); BENCH_CLIENTS keep-alive clients (default 4)
 *    send BENCH_REQUESTS requests (default 2,000) per query after BENCH_WARM_UP (default 200),
 *    each with an `hr` token of the tenant the picked manager belongs to: a manager's
 *    timeline (now, and as of a random moment of the log), the "why" of a random entry (a
 *    quarter of them Stage 3), the counters and the stages-by-region dashboard. Every answer
 *    must be 200, or the bench fails. Prints one JSON line per query.
 *
 * BENCH_REUSE=1 works in a database of a fixed name (`kpi_bench_queries`) and keeps it. A later
 * run skips seeding and catch-up when it already holds at least BENCH_EVENTS seeded events
 * with every checkpoint caught up; when the seeding finished but the catch-up did not (the run
 * was killed), it starts the worker again and goes on, adding the time already spent (the
 * catch-up line then says `attempts` > 1); otherwise the database is dropped and generated
 * again. The phases' figures are kept in the table `bench_queries_state`. BENCH_KEEP=1 keeps a
 * fresh run's database.
 * BENCH_QUERIES=timeline,why measures only those. BENCH_PROFILE_DIR=/tmp/prof writes CPU
 * profiles of the worker and the API there.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client, Pool } from 'pg';
import { CAPABILITY_EVENT_TYPES } from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { CAPABILITY_ESCALATION } from '@kpi/features/capability';
import { allProjections } from '@kpi/features';
import { checkpointNameOf } from '@kpi/projections';
import { eventTypeRegistry } from '@kpi/runtime';
import { adminDatabaseUrl, createTestDatabase, deleteRedisKeys, waitFor } from '@kpi/testing';
import {
  benchClient,
  benchToken,
  codeVersion,
  cpuMeter,
  cpuMsPer,
  cpuSeconds,
  envInt,
  mean,
  percentile,
  postgresCpuSeconds,
  processEnv,
  report,
  round,
  saveResults,
  seconds,
  seededRandom,
  startProcess,
  stopProcess,
  waitForHealth,
  type Answer,
  type Call,
} from './bench-support';
import { allCaughtUp, checkpointLags, countEvents } from './worker-support';
import { analyzeWhileWriting, duration, seedDemoHistory } from './demo-history';

const EVENTS = envInt('BENCH_EVENTS', 1_000_000);
const TENANTS = envInt('BENCH_TENANTS', 8);
const MONTHS = envInt('BENCH_MONTHS', 24);
const CLIENTS = envInt('BENCH_CLIENTS', 4);
const REQUESTS = envInt('BENCH_REQUESTS', 2_000);
const WARM_UP = envInt('BENCH_WARM_UP', 200);
const PORT = envInt('BENCH_PORT', 3901);
const CATCH_UP_TIMEOUT_S = envInt('BENCH_CATCH_UP_TIMEOUT_S', 4 * 3600);
const REUSE = process.env.BENCH_REUSE === '1';
const KEEP = REUSE || process.env.BENCH_KEEP === '1';
const REUSED_DATABASE = 'kpi_bench_queries';
const TARGET_P99_MS = 20;
/** Of the "why" requests, the share asked about a Stage 3 entry. */
const STAGE3_SHARE = 0.25;

/** Every reader of the log the worker runs: its checkpoints are `projection:<name>`. */
const CHECKPOINTS = [
  ...allProjections.map((p) => checkpointNameOf(p.name)),
  checkpointNameOf(CAPABILITY_ESCALATION),
];
const PROCESS_CHECKPOINT = checkpointNameOf(CAPABILITY_ESCALATION);

interface BenchDatabase {
  name: string;
  url: string;
  pool(max: number): Pool;
  drop(): Promise<void>;
  closePools(): Promise<void>;
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

/** What a run has done so far, kept in the database (so BENCH_REUSE=1 can go on from it). */
interface BenchState {
  /** The seed phase's line, once seeding has finished. */
  seed: Record<string, unknown> & { events: number };
  /** The last seeded event's position: the process has taken in every seeded event once past it. */
  seededTop: number;
  /** The catch-up so far (a killed run goes on from here). */
  catchUp?: CatchUpProgress;
  /** The catch-up phase's line, once every checkpoint is at the head of the log. */
  caughtUp?: Record<string, unknown>;
}

interface CatchUpProgress {
  seconds: number;
  attempts: number;
  commits: string[];
  /** Per checkpoint: when (in catch-up seconds) it last reached the head of the log. */
  caughtUpAt: Record<string, number>;
  /** When the process had taken in every seeded event. */
  seededSeconds: number | null;
  cpuSeconds: { worker: number; postgres: number };
}

const STATE_TABLE = 'bench_queries_state';

async function ensureStateTable(pool: Pool): Promise<void> {
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (id integer PRIMARY KEY CHECK (id = 1), state jsonb NOT NULL)`,
  );
}

async function loadState(pool: Pool): Promise<BenchState | null> {
  await ensureStateTable(pool);
  const { rows } = await pool.query<{ state: BenchState }>(`SELECT state FROM ${STATE_TABLE}`);
  return rows[0]?.state ?? null;
}

async function saveState(pool: Pool, state: BenchState): Promise<void> {
  await pool.query(
    `INSERT INTO ${STATE_TABLE} (id, state) VALUES (1, $1)
     ON CONFLICT (id) DO UPDATE SET state = excluded.state`,
    [JSON.stringify(state)],
  );
}

/**
 * The database of the run: a fresh one; or with BENCH_REUSE=1 the fixed one, made when missing
 * and made again when its seeding did not finish (or seeded fewer than BENCH_EVENTS events).
 */
async function openBenchDatabase(): Promise<BenchDatabase & { state: BenchState | null }> {
  if (!REUSE) {
    const database = await createTestDatabase('bench_queries');
    const pools: Pool[] = [];
    return {
      name: database.name,
      url: database.url,
      state: null,
      pool(max) {
        const pool = database.pool({ max });
        pools.push(pool);
        return pool;
      },
      drop: () => database.drop(),
      closePools: async () => {
        await Promise.all(pools.splice(0).map((p) => p.end().catch(() => undefined)));
      },
    };
  }
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${REUSED_DATABASE}`;
  const pools: Pool[] = [];
  const closePools = async () => {
    await Promise.all(pools.splice(0).map((p) => p.end().catch(() => undefined)));
  };
  const database: BenchDatabase = {
    name: REUSED_DATABASE,
    url: url.toString(),
    pool(max) {
      const pool = new Pool({ connectionString: url.toString(), max });
      pool.on('error', () => undefined);
      pools.push(pool);
      return pool;
    },
    async drop() {
      await closePools();
      await withAdmin((admin) =>
        admin.query(`DROP DATABASE IF EXISTS "${REUSED_DATABASE}" WITH (FORCE)`),
      );
    },
    closePools,
  };
  const exists = await withAdmin(
    async (admin) =>
      (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [REUSED_DATABASE]))
        .rowCount !== 0,
  );
  if (exists) {
    const pool = database.pool(2);
    let state: BenchState | null = null;
    try {
      await migrate(pool, eventStoreMigrations);
      state = await loadState(pool);
    } catch {
      // not a database this bench made: generate it again
    }
    await closePools();
    if (state && state.seed.events >= EVENTS) {
      process.stderr.write(
        `BENCH_REUSE: ${REUSED_DATABASE} holds ${state.seed.events} seeded events; ${state.caughtUp ? 'caught up' : 'going on with the catch-up'}\n`,
      );
      return { ...database, state };
    }
    process.stderr.write(
      `BENCH_REUSE: ${REUSED_DATABASE} ${state ? `holds ${state.seed.events} seeded events` : 'was not seeded to the end'}: generating it again\n`,
    );
    await database.drop();
    await deleteRedisKeys(REUSED_DATABASE); // its deadline jobs went with it
  }
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${REUSED_DATABASE}"`));
  return { ...database, state: null };
}

/** The machine's CPU time so far by kind (Linux /proc/stat, in ticks). */
function machineTicks(): { busy: number; iowait: number; steal: number; total: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number) as [number, number, number, number, number, number, number, number];
  const busy = user + nice + system + irq + softirq;
  return { busy, iowait, steal, total: busy + idle + iowait + steal };
}

const lags = (pool: Pool, store: PostgresEventStore) => checkpointLags(pool, store, CHECKPOINTS);

async function seed(pool: Pool, store: PostgresEventStore) {
  const figures = await seedDemoHistory(pool, store, {
    events: EVENTS,
    tenants: TENANTS,
    months: MONTHS,
  });
  return { bench: 'queries', phase: 'seed', ...figures };
}

/**
 * Waits, with the worker running, until every checkpoint has reached the head of the log for
 * good; keeps its progress in the state (every 5 s), so a killed run can go on from there.
 */
async function catchUp(
  pool: Pool,
  store: PostgresEventStore,
  worker: ChildProcess,
  state: BenchState,
): Promise<Record<string, unknown>> {
  const previous: CatchUpProgress = state.catchUp ?? {
    seconds: 0,
    attempts: 0,
    commits: [],
    caughtUpAt: {},
    seededSeconds: null,
    cpuSeconds: { worker: 0, postgres: 0 },
  };
  const started = process.hrtime.bigint();
  const postgresBefore = postgresCpuSeconds();
  /** When each checkpoint last went from behind to caught up (catch-up seconds). */
  const caughtUpAt = new Map<string, number>(Object.entries(previous.caughtUpAt));
  let seededSeconds = previous.seededSeconds;
  let zeroSamples = 0;
  let printed = Date.now();
  let saved = Date.now();
  let workerCpu = 0;
  const version = codeVersion(); // what the worker just loaded
  const progress = (elapsed: number): CatchUpProgress => ({
    seconds: elapsed,
    attempts: previous.attempts + 1,
    commits: [...previous.commits, version],
    caughtUpAt: Object.fromEntries(caughtUpAt),
    seededSeconds,
    cpuSeconds: {
      worker: previous.cpuSeconds.worker + workerCpu,
      postgres: previous.cpuSeconds.postgres + (postgresCpuSeconds() - postgresBefore),
    },
  });
  let elapsed = previous.seconds;
  // No autovacuum here: the read models' tables are analyzed as they grow, as it would.
  const stopAnalyzing = analyzeWhileWriting(pool, { tables: 'all' });
  try {
    for (;;) {
      if (worker.exitCode !== null) throw new Error(`the worker exited (${worker.exitCode})`);
      elapsed = previous.seconds + seconds(started);
      if (elapsed > CATCH_UP_TIMEOUT_S)
        throw new Error(`not caught up after ${CATCH_UP_TIMEOUT_S} s (BENCH_CATCH_UP_TIMEOUT_S)`);
      workerCpu = cpuSeconds(worker.pid!);
      const all = await lags(pool, store);
      if (seededSeconds === null) {
        const { rows } = await pool.query<{ global_position: string }>(
          'SELECT global_position FROM checkpoints WHERE name = $1',
          [PROCESS_CHECKPOINT],
        );
        if (rows[0] && Number(rows[0].global_position) >= state.seededTop) seededSeconds = elapsed;
      }
      for (const [name, lag] of all) {
        if (lag !== 0) caughtUpAt.delete(name);
        else if (!caughtUpAt.has(name)) caughtUpAt.set(name, elapsed);
      }
      zeroSamples = [...all.values()].every((lag) => lag === 0) ? zeroSamples + 1 : 0;
      if (zeroSamples >= 4) break; // two seconds with nothing left anywhere
      if (Date.now() - saved >= 5_000) {
        saved = Date.now();
        await saveState(pool, { ...state, catchUp: progress(elapsed) });
      }
      if (Date.now() - printed >= 10_000) {
        printed = Date.now();
        const processLag = all.get(PROCESS_CHECKPOINT);
        const readModelLag = Math.max(
          ...[...all].filter(([n]) => n !== PROCESS_CHECKPOINT).map(([, l]) => l ?? Infinity),
        );
        process.stderr.write(
          `catch-up ${duration(elapsed)}: ${CAPABILITY_ESCALATION} ${processLag ?? 'not started'} behind, read models ${Number.isFinite(readModelLag) ? readModelLag : 'not started'} behind\n`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await stopAnalyzing();
  }
  const done = progress(elapsed);
  const eventsBefore = state.seed.events;
  const events = await countEvents(pool);
  const { rows } = await pool.query<{ n: string }>(
    'SELECT count(*) AS n FROM events WHERE type = ANY ($1)',
    [CAPABILITY_EVENT_TYPES],
  );
  const processSeconds = caughtUpAt.get(PROCESS_CHECKPOINT)!;
  const readModelsSeconds = Math.max(
    ...CHECKPOINTS.filter((n) => n !== PROCESS_CHECKPOINT).map((n) => caughtUpAt.get(n)!),
  );
  const seededBy = seededSeconds ?? processSeconds;
  return {
    bench: 'queries',
    phase: 'catch-up',
    eventsBefore,
    events,
    appendedByProcess: events - eventsBefore,
    capabilityEvents: Number(rows[0]!.n),
    seconds: round(Math.max(processSeconds, readModelsSeconds), 1),
    // The process reads the whole log (its own appends included) with a batch of 500 …
    processSeconds: round(processSeconds, 1),
    processEventsPerSec: round(events / processSeconds),
    // … of which acting on the seeded events (returns, appointments); after that it only
    // reads past what it appended itself.
    processSeededSeconds: round(seededBy, 1),
    processSeededEventsPerSec: round(eventsBefore / seededBy),
    // One runner for all read models (PROJECTION_BATCH_SIZE, 2,000); it also has to wait
    // for what the process appends, so it finishes after it.
    readModelsSeconds: round(readModelsSeconds, 1),
    readModelsEventsPerSec: round(events / readModelsSeconds),
    cpuSeconds: {
      worker: round(done.cpuSeconds.worker, 1),
      postgres: round(done.cpuSeconds.postgres, 1),
    },
    // More than 1 when a killed run was taken up again (BENCH_REUSE=1): its time is added.
    attempts: done.attempts,
    commit: [...new Set(done.commits)].join(', '),
  };
}

interface Picked {
  path: string;
  tenantId: string;
  stage?: number;
}

interface Measured {
  latencies: number[];
  bytes: number[];
  sizes: number[];
  stages: number[];
  elapsed: number;
}

async function main() {
  const database = await openBenchDatabase();
  const pool = database.pool(TENANTS + 4);
  const children: ChildProcess[] = [];
  const results: Record<string, unknown>[] = [];
  let failed = false;
  try {
    await migrate(pool, eventStoreMigrations);
    await ensureStateTable(pool);
    const store = new PostgresEventStore(pool, eventTypeRegistry());
    const env = processEnv(database.url, PORT, {
      PG_POOL_MAX: '10',
      // The read models and the capability process, not the deadline reactor: two years of
      // seeded history would start ~900,000 month-by-month return deadlines at once, a one-off
      // burst that is not what this bench measures. Its processor's keys (none) stay under the
      // database's own BullMQ prefix, deleted with it.
      WORKER_PROJECTIONS: [...allProjections.map((p) => p.name), CAPABILITY_ESCALATION].join(','),
      BULLMQ_PREFIX: database.name,
      // The hourly seal (at each hour of the clock) once a day instead: a seal over a million
      // streams beside the queries took a core for seconds and put its tail in theirs
      // (docs/performance.md, issue 18). bench:seal measures the seal on its own.
      SEAL_INTERVAL_MINUTES: '1440',
    });

    let state = database.state;
    if (state) {
      report({ ...state.seed, reused: true });
      results.push({ ...state.seed, reused: true });
    } else {
      const seeded = { ...(await seed(pool, store)), commit: codeVersion() };
      const { rows: head } = await pool.query<{ max: string }>(
        'SELECT max(global_position) AS max FROM events',
      );
      state = { seed: seeded, seededTop: Number(head[0]!.max) };
      await saveState(pool, state);
      report(seeded);
      results.push(seeded);
    }
    const worker = startProcess('apps/worker/src/main.ts', env);
    children.push(worker);
    if (state.caughtUp) {
      report({ ...state.caughtUp, reused: true });
      results.push({ ...state.caughtUp, reused: true });
    } else {
      const caughtUp = await catchUp(pool, store, worker, state);
      state = { ...state, caughtUp };
      // A database that has run for a while has its statistics; one just filled needs them.
      await pool.query('VACUUM ANALYZE');
      await saveState(pool, state);
      report(caughtUp);
      results.push(caughtUp);
    }
    // A reused database lacks the read models added since it was made: the worker builds them.
    await waitFor(() => allCaughtUp(pool, store, CHECKPOINTS), {
      description: 'every read model to reach the head of the log',
      timeoutMs: CATCH_UP_TIMEOUT_S * 1000,
      intervalMs: 500,
    });
    const events = await countEvents(pool);

    const commit = codeVersion();
    const api = startProcess('apps/api/src/main.ts', env);
    children.push(api);
    await waitForHealth(PORT);

    const { rows: entries } = await pool.query<{
      tenant_id: string;
      manager_id: string;
      entry_id: string;
      stage: number;
    }>(
      'SELECT tenant_id, manager_id, entry_id, stage FROM rm_capability_timeline ORDER BY tenant_id, manager_id, entry_id',
    );
    if (entries.length === 0) throw new Error('rm_capability_timeline is empty');
    const managers = [
      ...new Map(entries.map((e) => [`${e.tenant_id}/${e.manager_id}`, e])).values(),
    ];
    const stage3 = entries.filter((e) => e.stage === 3);
    const tenants = [...new Set(entries.map((e) => e.tenant_id))];
    const { rows: span } = await pool.query<{ first: Date; last: Date }>(
      'SELECT min(recorded_at) AS first, max(recorded_at) AS last FROM events',
    );
    const first = span[0]!.first.getTime();
    const last = span[0]!.last.getTime();
    const tokens = new Map(tenants.map((tenantId) => [tenantId, benchToken(tenantId, 'hr')]));

    const random = seededRandom(20261203);
    const any = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const managerPath = (m: { manager_id: string }) =>
      `/capability/managers/${encodeURIComponent(m.manager_id)}/timeline`;
    const queries: {
      query: string;
      pick: () => Picked;
      /** What the answer holds, for the report (entries, months, counters …). */
      size: (body: Record<string, unknown[]> & Record<string, unknown>) => number;
      target?: number;
    }[] = [
      {
        query: 'timeline',
        pick: () => {
          const m = any(managers);
          return { path: managerPath(m), tenantId: m.tenant_id };
        },
        size: (body) => body.entries!.length,
        target: TARGET_P99_MS,
      },
      {
        query: 'timeline-as-of',
        pick: () => {
          const m = any(managers);
          const asOf = new Date(first + Math.floor(random() * (last - first + 1)));
          return {
            path: `${managerPath(m)}?asOf=${encodeURIComponent(asOf.toISOString())}`,
            tenantId: m.tenant_id,
          };
        },
        size: (body) => body.entries!.length,
        target: TARGET_P99_MS,
      },
      {
        query: 'why',
        pick: () => {
          const e = random() < STAGE3_SHARE && stage3.length > 0 ? any(stage3) : any(entries);
          return {
            path: `${managerPath(e)}/${encodeURIComponent(e.entry_id)}/why`,
            tenantId: e.tenant_id,
            stage: e.stage,
          };
        },
        size: (body) => body.months!.length,
        target: TARGET_P99_MS,
      },
      {
        query: 'counters',
        pick: () => {
          const tenantId = any(tenants);
          return { path: '/capability/counters', tenantId };
        },
        size: (body) => body.counters!.length,
      },
      {
        query: 'stages-by-region',
        pick: () => {
          const tenantId = any(tenants);
          return { path: '/capability/stages-by-region', tenantId };
        },
        size: (body) =>
          (body.regions as { managers: unknown[] }[]).reduce((n, r) => n + r.managers.length, 0),
      },
    ];

    const client = benchClient(PORT, CLIENTS);
    const callOf = (picked: Picked): Call => ({
      method: 'GET',
      path: picked.path,
      token: tokens.get(picked.tenantId)!,
      note: `tenant ${picked.tenantId}`,
    });
    const run = async (query: (typeof queries)[number], count: number): Promise<Measured> => {
      // Picked up front, so the clients spend no time choosing and every run asks the same.
      const picks = Array.from({ length: count }, () => query.pick());
      const measured: Measured = { latencies: [], bytes: [], sizes: [], stages: [], elapsed: 0 };
      const { elapsed } = await client.sendAll(
        picks.map(callOf),
        CLIENTS,
        ({ ms, body }: Answer, i) => {
          measured.latencies.push(ms);
          measured.bytes.push(body.length);
          // Read after the clock stopped; every tenth answer is parsed for its size.
          if (measured.bytes.length % 10 === 1)
            measured.sizes.push(query.size(JSON.parse(body.toString())));
          const { stage } = picks[i]!;
          if (stage !== undefined) measured.stages.push(stage);
        },
      );
      measured.elapsed = elapsed;
      return measured;
    };

    const only = process.env.BENCH_QUERIES?.split(',').filter(Boolean);
    const unknown = only?.filter((name) => !queries.some((q) => q.query === name));
    if (unknown?.length) throw new Error(`BENCH_QUERIES: no query ${unknown.join(', ')}`);
    for (const query of queries.filter((q) => !only || only.includes(q.query))) {
      await run(query, WARM_UP); // JIT, connection pools, plan caches
      const machineBefore = machineTicks();
      const cpuSince = cpuMeter({ api: api.pid! });
      const { latencies, bytes, sizes, stages, elapsed } = await run(query, REQUESTS);
      const cpu = cpuSince();
      const machine = machineTicks();
      const share = (key: 'busy' | 'iowait' | 'steal') =>
        round(
          (100 * (machine[key] - machineBefore[key])) /
            Math.max(1, machine.total - machineBefore.total),
        );
      latencies.sort((a, b) => a - b);
      sizes.sort((a, b) => a - b);
      const p99Ms = round(percentile(latencies, 99), 1);
      const result = {
        bench: 'queries',
        query: query.query,
        events,
        tenants: tenants.length,
        managers: managers.length,
        timelineEntries: entries.length,
        clients: CLIENTS,
        requests: latencies.length,
        requestsPerSec: round(latencies.length / elapsed),
        p50Ms: round(percentile(latencies, 50), 1),
        p90Ms: round(percentile(latencies, 90), 1),
        p99Ms,
        maxMs: round(latencies[latencies.length - 1]!, 1),
        ...(query.target !== undefined
          ? { targetP99Ms: query.target, met: p99Ms <= query.target }
          : {}),
        // What the answers held: entries (timeline), months (why), counters, managers.
        size: {
          of:
            query.query === 'why'
              ? 'months'
              : query.query === 'counters'
                ? 'counters'
                : query.query === 'stages-by-region'
                  ? 'managers'
                  : 'entries',
          mean: round(mean(sizes), 1),
          p50: percentile(sizes, 50),
          max: sizes[sizes.length - 1] ?? 0,
        },
        bytesMean: round(mean(bytes)),
        bytesMax: Math.max(...bytes),
        ...(stages.length > 0
          ? { stage3Share: round(stages.filter((s) => s === 3).length / stages.length, 2) }
          : {}),
        // CPU milliseconds per request, by process; and the machine meanwhile (a VM's steal
        // and waits on the disk explain runs that differ).
        cpuMsPerRequest: cpuMsPer(cpu, latencies.length),
        machinePct: { busy: share('busy'), iowait: share('iowait'), steal: share('steal') },
        commit,
      };
      report(result);
      results.push(result);
    }
    client.destroy();
    saveResults('queries', results);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    await Promise.all(children.map(stopProcess));
    if (KEEP) {
      await database.closePools();
      process.stderr.write(
        `kept the database ${database.name}${failed ? ' (the run failed)' : ''}\n`,
      );
    } else {
      await database.drop();
      await deleteRedisKeys(database.name);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
