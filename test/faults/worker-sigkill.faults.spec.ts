import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { allProjections } from '@kpi/features';
import { CAPABILITY_ESCALATION } from '@kpi/features/capability';
import {
  eventStoreMigrations,
  loadCheckpoint,
  migrate,
  PostgresEventStore,
} from '@kpi/event-store';
import { checkpointNameOf, rebuildProjection } from '@kpi/projections';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, deleteRedisKeys, waitFor, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { appendBacklog } from './support/backlog';
import { exited } from './support/services-of-its-own';

/**
 * Fault: the worker is killed (SIGKILL) while a batch is in flight, three times over a backlog,
 * and started again. Once it has caught up, every read model must equal a rebuild of it from
 * the whole log into a fresh table: nothing applied twice, nothing skipped.
 *
 * The worker is the real process (`apps/worker/src/main.ts`) running every read model and the
 * capability escalation process (the timers' reactors need Redis and have their own fault case).
 */
const repositoryRoot = join(__dirname, '..', '..');
const KILLS = 3;
const BATCH_SIZE = 500;
const RUNNERS = [...allProjections.map((p) => p.name), CAPABILITY_ESCALATION];
/** Its worker's BullMQ keys (the seals' and housekeeping's schedulers), deleted at the end. */
const PREFIX = `faults-worker-${process.pid}`;

let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase('faults_worker_kill');
  pool = database.pool({ max: 4 });
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
});
afterAll(async () => {
  for (const worker of workers) {
    worker.kill('SIGKILL');
    await exited(worker);
  }
  await database?.drop();
  await deleteRedisKeys(PREFIX);
});

function startWorker(): ChildProcess {
  const worker = spawn(
    process.execPath,
    ['-r', './scripts/register.js', 'apps/worker/src/main.ts'],
    {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: database.url,
        JWT_SECRET: 'faults-worker-secret-of-32-characters-at-least',
        BULLMQ_PREFIX: PREFIX,
        WORKER_PROJECTIONS: RUNNERS.join(','),
        PROJECTION_BATCH_SIZE: String(BATCH_SIZE),
        PROJECTION_IDLE_POLL_MS: '20',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  workers.push(worker);
  return worker;
}

async function kill(worker: ChildProcess): Promise<void> {
  worker.kill('SIGKILL');
  await exited(worker);
}

/** Events after each runner's checkpoint (a checkpoint not yet made counts the whole log). */
async function lags(): Promise<number[]> {
  return Promise.all(
    RUNNERS.map(async (name) =>
      store.countEventsAfter(await loadCheckpoint(pool, checkpointNameOf(name))),
    ),
  );
}

const caughtUp = async () => (await lags()).every((lag) => lag === 0);

/** Events the read models have applied in all: the tenant-activity read model counts each. */
async function eventsProjected(): Promise<number> {
  const { rows } = await pool.query<{ n: string | null }>(
    'SELECT sum(event_count) AS n FROM rm_tenant_activity',
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * True once the worker is inside a batch transaction that has written (PostgreSQL gave it a
 * transaction id) after `progressFrom` events were projected: a batch in flight, past the first.
 */
async function batchInFlight(progressFrom: number): Promise<boolean> {
  const { rows } = await pool.query<{ writing: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
                     WHERE datname = current_database() AND application_name = 'kpi-ledger-worker'
                       AND backend_xid IS NOT NULL) AS writing`,
  );
  if (!rows[0]!.writing) return false;
  return (await eventsProjected().catch(() => 0)) > progressFrom;
}

/** The rows of a table, in one text, in a fixed order: equal texts, equal tables. */
async function tableContents(table: string): Promise<{ rows: number; checksum: string }> {
  const { rows } = await pool.query<{ rows: string; checksum: string | null }>(
    `SELECT count(*) AS rows, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS checksum FROM ${table} t`,
  );
  return { rows: Number(rows[0]!.rows), checksum: rows[0]!.checksum ?? 'empty' };
}

describe('the worker killed with SIGKILL in the middle of a batch', () => {
  it('catches up when started again, and every read model equals a clean rebuild from the log', async () => {
    const seedStarted = Date.now();
    const events = await appendBacklog(pool, store, {
      tenants: 12,
      homesPerTenant: 20,
      months: 24,
    });
    const seedSeconds = (Date.now() - seedStarted) / 1000;

    const killedAt: { projected: number; behind: number }[] = [];
    for (let k = 0; k < KILLS; k++) {
      // Each kill after some more progress: the restart must pick up where the last commit was.
      const from = await eventsProjected().catch(() => 0);
      const worker = startWorker();
      await waitFor(() => batchInFlight(from + BATCH_SIZE), {
        description: `the worker to be mid-batch (kill ${k + 1})`,
        timeoutMs: 60_000,
        intervalMs: 5,
      });
      await kill(worker);
      const behind = Math.max(...(await lags()));
      killedAt.push({ projected: await eventsProjected(), behind });
      // The kill came before the end: there is work left for the restarted worker.
      expect(behind).toBeGreaterThan(0);
    }

    const restarted = Date.now();
    const worker = startWorker();
    await waitFor(caughtUp, {
      description: 'the restarted worker to catch up with the log',
      timeoutMs: 120_000,
      intervalMs: 100,
    });
    const recoverySeconds = (Date.now() - restarted) / 1000;
    worker.kill('SIGTERM');
    await exited(worker);

    const { rows: logSize } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
    const eventsInLog = Number(logSize[0]!.n);
    // The tenant-activity read model counted every event of the log once.
    expect(await eventsProjected()).toBe(eventsInLog);

    const compared: Record<string, number> = {};
    for (const projection of allProjections) {
      const afterCrashes = await tableContents(projection.table);
      await rebuildProjection(pool, store, projection);
      expect({ table: projection.table, ...(await tableContents(projection.table)) }).toEqual({
        table: projection.table,
        ...afterCrashes,
      });
      compared[projection.table] = afterCrashes.rows;
    }

    const figures = {
      fault: 'worker SIGKILL mid-batch',
      eventsSeeded: events,
      eventsInLog,
      seedSeconds,
      kills: killedAt,
      batchSize: BATCH_SIZE,
      recoverySeconds,
      readModelsCompared: Object.keys(compared).length,
      rowsCompared: Object.values(compared).reduce((a, b) => a + b, 0),
    };
    console.log(`FAULTS ${JSON.stringify(figures)}`);
  });
});
