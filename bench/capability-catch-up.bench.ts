/**
 * bench/capability-catch-up: issue 18, "capability process catch-up ≥ 20,000 events/s; all read
 * models and processes together from nothing to the head of 1,000,000 events in < 2 min", with
 * BENCH_EVENTS (default 200,000) events seeded. Phases, each reported as a JSON line (and kept
 * with saveResults('capability-catch-up')):
 *
 * 1. seed (once, kept) — a database used as a template, `kpi_bench_capability_seed_<BENCH_EVENTS>`:
 *    the event store migrated (`eventStoreMigrations`), then the demo generator (`seedDemo`, as
 *    bench/queries does) writes BENCH_TENANTS tenants (default 8) at once, each with as many homes
 *    as it takes for the setup and the monthly returns (BENCH_MONTHS, default 24) to reach
 *    BENCH_EVENTS. Nothing reads the log meanwhile (no read model, no process); then VACUUM
 *    ANALYZE (not timed: a live database has its statistics and hint bits). The seed's line is
 *    kept in its table `bench_seed_state`: a later run that finds it there (with the same
 *    BENCH_TENANTS and BENCH_MONTHS) reuses the database and prints that line with `reused`;
 *    otherwise the database is dropped and seeded again;
 * 2. process — `kpi_bench_capability_run` made from the template (CREATE DATABASE … TEMPLATE; an
 *    old one is dropped first), migrated and opened as the worker opens its database
 *    (`openDatabase`, the environment of bench-support's `processEnv`); then, in this process,
 *    only the capability escalation process, from an empty checkpoint: `runner.catchUp()` until
 *    no event is left after its checkpoint (it appends the stages it concludes, and reads those
 *    too). BENCH_BATCH sets its batch (default 2,000: the runner's; the worker runs it at 500).
 *    The line: seededEventsPerSec (seeded events / seconds: the figure of the target), the
 *    log's events after (seeded + appended), the events of the process's types, the events it
 *    appended (actor `system:capability-escalation`), peak RSS (sampled every 250 ms), CPU
 *    milliseconds per seeded event of this process and of PostgreSQL (every postgres process of
 *    the machine, ended backends included, so other work on it counts too; `ownBackends`: only
 *    the run database's connections still open at the end);
 * 3. all — the run database made again from the template; in this process, what the worker
 *    runs, grouped as apps/worker groups it: one runner for every read model (batch 2,000,
 *    PROJECTION_BATCH_SIZE's default) and one for the capability process (batch 500), both
 *    started (`runner.start()`), from nothing to the head of the log; not the deadline, call-off
 *    and notification reactors (they send things; bench/queries leaves them out the same way
 *    with WORKER_PROJECTIONS). Done when every checkpoint has no event after it, for two
 *    seconds; the line gives when the read models and the process each got there.
 *
 * BENCH_PHASES=process,all (the default) chooses the phases. Progress goes to stderr every 10 s.
 * The run database is dropped at the end; the seed is kept unless BENCH_DROP_SEED=1.
 */
import { Client, Pool } from 'pg';
import { loadConfig } from '@kpi/config';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { allProjections } from '@kpi/features';
import {
  CAPABILITY_ESCALATION,
  CAPABILITY_ESCALATION_ACTOR,
  capabilityEscalationProcess,
} from '@kpi/features/capability';
import { createLogger } from '@kpi/logging';
import {
  checkpointNameOf,
  ensureProjectionReady,
  ProjectionRunner,
  type Projection,
} from '@kpi/projections';
import { eventTypeRegistry, openDatabase } from '@kpi/runtime';
import { adminDatabaseUrl } from '@kpi/testing';
import {
  codeVersion,
  cpuMeter,
  cpuSeconds,
  envInt,
  processEnv,
  report,
  round,
  saveResults,
  seconds,
} from './bench-support';
import { checkpointLags } from './worker-support';
import { analyzeWhileWriting, duration, seedDemoHistory } from './demo-history';

const EVENTS = envInt('BENCH_EVENTS', 200_000);
const TENANTS = envInt('BENCH_TENANTS', 8);
const MONTHS = envInt('BENCH_MONTHS', 24);
/** The process phase's batch: the runner's default unless set. */
const BATCH = envInt('BENCH_BATCH', 2_000);
const PHASES = (process.env.BENCH_PHASES ?? 'process,all').split(',').filter(Boolean);
const DROP_SEED = process.env.BENCH_DROP_SEED === '1';
const SEED_DATABASE = `kpi_bench_capability_seed_${EVENTS}`;
const RUN_DATABASE = 'kpi_bench_capability_run';
const STATE_TABLE = 'bench_seed_state';
/** Issue 18: the process alone, seeded events per second … */
const TARGET_PROCESS_EVENTS_PER_SEC = 20_000;
/** … and everything together: 1,000,000 events in under two minutes. */
const TARGET_ALL_EVENTS_PER_SEC = Math.ceil(1_000_000 / 120);
/** As apps/worker runs them: read models at PROJECTION_BATCH_SIZE's default, processes at 500. */
const READ_MODELS_BATCH = 2_000;
const PROCESS_BATCH_IN_WORKER = 500;
const PROGRESS_EVERY_MS = 10_000;

const PROCESS_CHECKPOINT = checkpointNameOf(CAPABILITY_ESCALATION);
const CHECKPOINTS = [...allProjections.map((p) => checkpointNameOf(p.name)), PROCESS_CHECKPOINT];

const urlOf = (database: string) => {
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
};

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminDatabaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const databaseExists = (name: string) =>
  withAdmin(
    async (admin) =>
      (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount !== 0,
  );

const dropDatabase = (name: string) =>
  withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

const thousands = (n: number) => Math.round(n).toLocaleString('en-GB');

// ---------------------------------------------------------------------------------------------
// 1. The seed, kept as a template.
// ---------------------------------------------------------------------------------------------

interface SeedState {
  /** The seed phase's line. */
  seed: Record<string, unknown> & { events: number; tenantsAsked: number; months: number };
  /** The last seeded event's global position. */
  seededTop: number;
}

/** The seed's state when its seeding finished; null when it did not (or it is no seed). */
async function loadSeedState(): Promise<SeedState | null> {
  const pool = new Pool({ connectionString: urlOf(SEED_DATABASE), max: 1 });
  pool.on('error', () => undefined);
  try {
    const { rows } = await pool.query<{ state: SeedState }>(
      `SELECT state FROM ${STATE_TABLE} WHERE id = 1`,
    );
    return rows[0]?.state ?? null;
  } catch {
    return null; // no state table: the seeding was cut short
  } finally {
    await pool.end();
  }
}

/** The seed database: reused when its seeding finished with these settings, else made again. */
async function ensureSeed(): Promise<{ state: SeedState; reused: boolean }> {
  if (await databaseExists(SEED_DATABASE)) {
    const state = await loadSeedState();
    if (state && state.seed.tenantsAsked === TENANTS && state.seed.months === MONTHS) {
      process.stderr.write(
        `seed: reusing ${SEED_DATABASE} (${thousands(state.seed.events)} events, seeded by ${String(state.seed.commit)})\n`,
      );
      return { state, reused: true };
    }
    process.stderr.write(
      `seed: ${SEED_DATABASE} ${state ? `was seeded with ${state.seed.tenantsAsked} tenants and ${state.seed.months} months` : 'was not seeded to the end'}: seeding it again\n`,
    );
    await dropDatabase(SEED_DATABASE);
  }
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${SEED_DATABASE}"`));
  const pool = new Pool({ connectionString: urlOf(SEED_DATABASE), max: TENANTS + 4 });
  pool.on('error', () => undefined);
  try {
    await migrate(pool, eventStoreMigrations);
    const store = new PostgresEventStore(pool, eventTypeRegistry());
    const line = { ...(await seed(pool, store)), commit: codeVersion() };
    const { rows } = await pool.query<{ max: string }>(
      'SELECT max(global_position) AS max FROM events',
    );
    const vacuumStarted = process.hrtime.bigint();
    await pool.query('VACUUM ANALYZE');
    process.stderr.write(`seed: VACUUM ANALYZE took ${duration(seconds(vacuumStarted))}\n`);
    const state: SeedState = { seed: line, seededTop: Number(rows[0]!.max) };
    await pool.query(
      // json, not jsonb: the line keeps its keys' order when printed again.
      `CREATE TABLE ${STATE_TABLE} (id integer PRIMARY KEY CHECK (id = 1), state json NOT NULL)`,
    );
    await pool.query(`INSERT INTO ${STATE_TABLE} (id, state) VALUES (1, $1)`, [
      JSON.stringify(state),
    ]);
    return { state, reused: false };
  } finally {
    // A template must have no connection when a database is made from it.
    await pool.end();
  }
}

/** bench/queries' seed phase: BENCH_TENANTS demo tenants at once, to BENCH_EVENTS events. */
async function seed(pool: Pool, store: PostgresEventStore) {
  const figures = await seedDemoHistory(pool, store, {
    events: EVENTS,
    tenants: TENANTS,
    months: MONTHS,
  });
  return {
    bench: 'capability-catch-up',
    phase: 'seed',
    database: SEED_DATABASE,
    tenantsAsked: TENANTS,
    ...figures,
  };
}

// ---------------------------------------------------------------------------------------------
// The run database, and what a phase measures besides time.
// ---------------------------------------------------------------------------------------------

/**
 * Makes the run database from the seed anew and opens it as the worker opens its own: the
 * configuration of `processEnv` (PG_POOL_MAX 10 …), migrations applied, the event store.
 */
async function openRunDatabase() {
  await dropDatabase(RUN_DATABASE);
  for (let attempt = 1; ; attempt++) {
    try {
      await withAdmin((admin) =>
        admin.query(`CREATE DATABASE "${RUN_DATABASE}" TEMPLATE "${SEED_DATABASE}"`),
      );
      break;
    } catch (error) {
      // 55006: the template still has a connection (a backend of a pool just closed, ending).
      if ((error as { code?: string }).code !== '55006' || attempt >= 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const config = loadConfig(processEnv(urlOf(RUN_DATABASE), 3999));
  const logger = createLogger(config, { name: 'bench-capability', fd: 2 });
  const { pool, store } = await openDatabase(config, logger, { component: 'bench-capability' });
  return { pool, store, logger };
}

/** The peak resident set size of this process, sampled every 250 ms. */
function rssSampler(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 250);
  timer.unref();
  return () => {
    clearInterval(timer);
    return round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024);
  };
}

/** CPU seconds of the run database's backends (open now) since they connected. */
async function ownBackendsCpuSeconds(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
  );
  return rows.reduce((sum, { pid }) => {
    try {
      return sum + cpuSeconds(pid);
    } catch {
      return sum; // not on this machine, or ended meanwhile
    }
  }, 0);
}

/** Every `every` ms, runs `work` (one at a time; a failure is printed, not thrown). */
function repeat(every: number, work: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(work).catch((error: unknown) => {
      process.stderr.write(`progress: ${String(error)}\n`);
    });
  }, every);
  return async () => {
    clearInterval(timer);
    await running;
  };
}

async function capabilityCounts(pool: Pool, escalation: Projection) {
  const { rows } = await pool.query<{ events: string; consumed: string; appended: string }>(
    `SELECT count(*) AS events,
            count(*) FILTER (WHERE type = ANY ($1)) AS consumed,
            count(*) FILTER (WHERE metadata->>'actor' = $2) AS appended
       FROM events`,
    [escalation.eventTypes, CAPABILITY_ESCALATION_ACTOR],
  );
  return {
    events: Number(rows[0]!.events),
    consumed: Number(rows[0]!.consumed),
    appended: Number(rows[0]!.appended),
  };
}

/**
 * Roughly how many seeded events the process has taken in: its checkpoint's position over the
 * last seeded one's (positions stand for events; the log's order is by transaction first). Its
 * lag says less: the process appends about as many events as it takes in, after itself.
 */
async function seededTakenIn(pool: Pool, seeded: SeedState): Promise<number> {
  const { rows } = await pool.query<{ global_position: string }>(
    'SELECT global_position FROM checkpoints WHERE name = $1',
    [PROCESS_CHECKPOINT],
  );
  const position = Math.min(Number(rows[0]?.global_position ?? 0), seeded.seededTop);
  return (seeded.seed.events * position) / seeded.seededTop;
}

const msPer = (s: number, count: number) => round((s * 1000) / Math.max(1, count), 3);

// ---------------------------------------------------------------------------------------------
// 2. The capability process alone.
// ---------------------------------------------------------------------------------------------

async function processPhase(seeded: SeedState): Promise<Record<string, unknown>> {
  const { pool, store } = await openRunDatabase();
  try {
    const seededEvents = seeded.seed.events;
    const escalation = capabilityEscalationProcess(store);
    await ensureProjectionReady(pool, store, escalation);
    const runner = new ProjectionRunner(pool, store, escalation, { batchSize: BATCH });
    const commit = codeVersion();

    const peakRss = rssSampler();
    const cpuSince = cpuMeter({}, { reaped: true });
    const started = process.hrtime.bigint();
    const stopAnalyzing = analyzeWhileWriting(pool, { tables: 'all' });
    const stopProgress = repeat(PROGRESS_EVERY_MS, async () => {
      const lag = (await checkpointLags(pool, store, [PROCESS_CHECKPOINT])).get(PROCESS_CHECKPOINT);
      const seededDone = await seededTakenIn(pool, seeded);
      const elapsed = seconds(started);
      process.stderr.write(
        `process ${duration(elapsed)}: ${CAPABILITY_ESCALATION} ${lag === null || lag === undefined ? 'not started' : thousands(lag)} behind; ~${thousands(seededDone)} of ${thousands(seededEvents)} seeded events taken in, ~${thousands(seededDone / elapsed)}/s; rss ${round(process.memoryUsage().rss / 1024 / 1024)} MB\n`,
      );
    });
    let rounds = 0;
    try {
      // The process appends as it goes, after its own checkpoint: go on until nothing is left.
      for (;;) {
        rounds++;
        const reached = await runner.catchUp();
        if ((await store.countEventsAfter(reached)) === 0) break;
      }
    } finally {
      await stopProgress();
      await stopAnalyzing();
    }
    const elapsed = seconds(started);
    const cpu = cpuSince();
    const ownPostgres = await ownBackendsCpuSeconds(pool);
    const rssMb = peakRss();
    const counts = await capabilityCounts(pool, escalation);
    const seededEventsPerSec = round(seededEvents / elapsed);
    return {
      bench: 'capability-catch-up',
      phase: 'process',
      seededEvents,
      // The whole log after: the seeded events and what the process appended (it reads both).
      eventsRead: counts.events,
      // Of those, the events of the types the process takes in.
      consumed: counts.consumed,
      appended: counts.appended,
      seconds: round(elapsed, 1),
      seededEventsPerSec,
      targetSeededEventsPerSec: TARGET_PROCESS_EVENTS_PER_SEC,
      met: seededEventsPerSec >= TARGET_PROCESS_EVENTS_PER_SEC,
      logEventsPerSec: round(counts.events / elapsed),
      batchSize: BATCH,
      // catchUp() calls: more than one when the last batch appended events after itself.
      catchUpRounds: rounds,
      peakRssMb: rssMb,
      // CPU milliseconds per seeded event: this process (the process runs in it), PostgreSQL.
      cpuMsPerSeededEvent: {
        bench: msPer(cpu.loadGenerator!, seededEvents),
        postgres: msPer(cpu.postgres!, seededEvents),
        ownBackends: msPer(ownPostgres, seededEvents),
      },
      commit,
    };
  } finally {
    await pool.end();
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Every read model and the capability process, as the worker runs them.
// ---------------------------------------------------------------------------------------------

async function allPhase(seeded: SeedState): Promise<Record<string, unknown>> {
  const { pool, store, logger } = await openRunDatabase();
  const runners: ProjectionRunner[] = [];
  let stopAnalyzing = async (): Promise<void> => undefined;
  try {
    const seededEvents = seeded.seed.events;
    const escalation = capabilityEscalationProcess(store);
    const options = { batchSize: READ_MODELS_BATCH, idlePollMs: 50, logger };
    runners.push(
      new ProjectionRunner(pool, store, allProjections, options),
      new ProjectionRunner(pool, store, escalation, {
        ...options,
        batchSize: PROCESS_BATCH_IN_WORKER,
      }),
    );
    const commit = codeVersion();

    const peakRss = rssSampler();
    const cpuSince = cpuMeter({}, { reaped: true });
    const started = process.hrtime.bigint();
    stopAnalyzing = analyzeWhileWriting(pool, { tables: 'all' });
    for (const runner of runners) runner.start();

    /** When each checkpoint last went from behind to caught up (seconds). */
    const caughtUpAt = new Map<string, number>();
    let zeroSamples = 0;
    let printed = Date.now();
    for (;;) {
      const elapsed = seconds(started);
      const lags = await checkpointLags(pool, store, CHECKPOINTS);
      for (const [name, lag] of lags) {
        if (lag !== 0) caughtUpAt.delete(name);
        else if (!caughtUpAt.has(name)) caughtUpAt.set(name, elapsed);
      }
      zeroSamples = [...lags.values()].every((lag) => lag === 0) ? zeroSamples + 1 : 0;
      if (zeroSamples >= 4) break; // two seconds with nothing left anywhere
      if (Date.now() - printed >= PROGRESS_EVERY_MS) {
        printed = Date.now();
        const processLag = lags.get(PROCESS_CHECKPOINT);
        const readModelLag = Math.max(
          ...[...lags].filter(([n]) => n !== PROCESS_CHECKPOINT).map(([, l]) => l ?? Infinity),
        );
        const seededDone = await seededTakenIn(pool, seeded);
        process.stderr.write(
          `all ${duration(elapsed)}: ${CAPABILITY_ESCALATION} ${processLag === null || processLag === undefined ? 'not started' : thousands(processLag)} behind (~${thousands(seededDone)} of ${thousands(seededEvents)} seeded events taken in, ~${thousands(seededDone / elapsed)}/s), read models ${Number.isFinite(readModelLag) ? thousands(readModelLag) : 'not started'} behind; rss ${round(process.memoryUsage().rss / 1024 / 1024)} MB\n`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await stopAnalyzing();
    const cpu = cpuSince();
    // Before the runners stop: stopping ends their connections, and the backends' CPU time.
    const ownPostgres = await ownBackendsCpuSeconds(pool);
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    const rssMb = peakRss();
    const counts = await capabilityCounts(pool, escalation);
    const processSeconds = caughtUpAt.get(PROCESS_CHECKPOINT)!;
    const readModelsSeconds = Math.max(
      ...CHECKPOINTS.filter((n) => n !== PROCESS_CHECKPOINT).map((n) => caughtUpAt.get(n)!),
    );
    const elapsed = Math.max(processSeconds, readModelsSeconds);
    const seededEventsPerSec = round(seededEvents / elapsed);
    return {
      bench: 'capability-catch-up',
      phase: 'all',
      seededEvents,
      events: counts.events,
      appended: counts.appended,
      readModels: allProjections.length,
      // Until the last checkpoint reached the head of the log for good.
      seconds: round(elapsed, 1),
      seededEventsPerSec,
      targetSeededEventsPerSec: TARGET_ALL_EVENTS_PER_SEC,
      met: seededEventsPerSec >= TARGET_ALL_EVENTS_PER_SEC,
      logEventsPerSec: round(counts.events / elapsed),
      // Per runner: one for the read models (it also waits for what the process appends) …
      readModelsSeconds: round(readModelsSeconds, 1),
      // … and the process's own.
      processSeconds: round(processSeconds, 1),
      batchSize: { readModels: READ_MODELS_BATCH, process: PROCESS_BATCH_IN_WORKER },
      peakRssMb: rssMb,
      cpuMsPerSeededEvent: {
        bench: msPer(cpu.loadGenerator!, seededEvents),
        postgres: msPer(cpu.postgres!, seededEvents),
        ownBackends: msPer(ownPostgres, seededEvents),
      },
      commit,
    };
  } finally {
    await stopAnalyzing();
    await Promise.all(runners.map((runner) => runner.stop()));
    await pool.end();
  }
}

async function main() {
  const unknown = PHASES.filter((phase) => phase !== 'process' && phase !== 'all');
  if (unknown.length > 0) throw new Error(`BENCH_PHASES: no phase ${unknown.join(', ')}`);
  const results: Record<string, unknown>[] = [];
  try {
    const { state, reused } = await ensureSeed();
    const seedLine = reused ? { ...state.seed, reused: true } : state.seed;
    report(seedLine);
    results.push(seedLine);
    if (PHASES.includes('process')) {
      const line = await processPhase(state);
      report(line);
      results.push(line);
    }
    if (PHASES.includes('all')) {
      const line = await allPhase(state);
      report(line);
      results.push(line);
    }
    saveResults('capability-catch-up', results);
  } finally {
    await dropDatabase(RUN_DATABASE);
    if (DROP_SEED) await dropDatabase(SEED_DATABASE);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
