/**
 * bench/catch-up: how fast a projection catches up with a long log. Stores BENCH_EVENTS events
 * (default 1,000,000) across many streams and tenants, then times the projection runner taking
 * the tenant-activity read model from nothing to the head of the log (each batch: read, apply,
 * move the checkpoint, commit). Also times reading the log alone, for comparison.
 * Prints one JSON line.
 */
import { randomUUID } from 'node:crypto';
import {
  eventStoreMigrations,
  EventTypeRegistry,
  migrate,
  PostgresEventStore,
  START_OF_LOG,
  type NewEvent,
} from '@kpi/event-store';
import { ensureProjectionReady, ProjectionRunner } from '@kpi/projections';
import { tenantActivityProjection } from '@kpi/features/organisation';
import { createTestDatabase } from '@kpi/testing';
import { envInt, report, round, saveResults } from './bench-support';

const EVENTS = envInt('BENCH_EVENTS', 1_000_000);
const BATCH = envInt('BENCH_BATCH', 5_000);
const LOADERS = 4;
const EVENTS_PER_APPEND = 500;
const TYPES = [
  'MonthlyReturnSubmitted',
  'MonthlyReturnAmended',
  'SupervisionRecorded',
  'ComplaintLogged',
];

const registry = new EventTypeRegistry(TYPES.map((type) => ({ type, schemaVersion: 1 })));

function event(n: number, tenantId: string): NewEvent {
  return {
    eventId: randomUUID(),
    type: TYPES[n % TYPES.length]!,
    data: {
      serviceId: `home-${n % 997}`,
      period: `2026-${String((n % 12) + 1).padStart(2, '0')}`,
      value: n % 100,
    },
    metadata: {
      tenantId,
      actor: 'user:bench',
      correlationId: null,
      causationId: null,
      commandId: null,
    },
  };
}

async function main() {
  const database = await createTestDatabase('bench_catch_up');
  const pool = database.pool({ max: LOADERS + 4 });
  try {
    await migrate(pool, eventStoreMigrations);
    const store = new PostgresEventStore(pool, registry);

    const loadStarted = Date.now();
    let stored = 0;
    let lastPrinted = 0;
    await Promise.all(
      Array.from({ length: LOADERS }, async (_, loader) => {
        while (stored < EVENTS) {
          const count = Math.min(EVENTS_PER_APPEND, EVENTS - stored);
          stored += count;
          const base = stored;
          const tenant = `tenant-${Math.floor(base / EVENTS_PER_APPEND) % 25}`;
          const events = Array.from({ length: count }, (_, i) => event(base + i, tenant));
          await store.append(`bench-${loader}-${randomUUID()}`, events, 'no-stream');
          if (process.stderr.isTTY && stored - lastPrinted >= 50_000) {
            lastPrinted = stored;
            process.stderr.write(`\rstoring events: ${stored}/${EVENTS}`);
          }
        }
      }),
    );
    if (process.stderr.isTTY) process.stderr.write('\n');
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    await pool.query('VACUUM ANALYZE events');

    let readStarted = process.hrtime.bigint();
    let read = 0;
    for (let checkpoint = START_OF_LOG; ;) {
      const batch = await store.readAll(checkpoint, { limit: BATCH });
      read += batch.events.length;
      checkpoint = batch.checkpoint;
      if (batch.caughtUp) break;
    }
    const readSeconds = Number(process.hrtime.bigint() - readStarted) / 1e9;

    await ensureProjectionReady(pool, store, tenantActivityProjection);
    const runner = new ProjectionRunner(pool, store, tenantActivityProjection, {
      batchSize: BATCH,
    });
    readStarted = process.hrtime.bigint();
    await runner.catchUp();
    const projectSeconds = Number(process.hrtime.bigint() - readStarted) / 1e9;
    const { rows } = await pool.query<{ total: string }>(
      'SELECT sum(event_count) AS total FROM rm_tenant_activity',
    );
    if (Number(rows[0]!.total) !== EVENTS || read !== EVENTS) {
      throw new Error(`expected ${EVENTS} events, read ${read} and projected ${rows[0]!.total}`);
    }

    const result = {
      bench: 'catch-up',
      events: EVENTS,
      batch: BATCH,
      eventsPerSec: round(EVENTS / projectSeconds),
      readOnlyEventsPerSec: round(EVENTS / readSeconds),
      loadEventsPerSec: round(EVENTS / loadSeconds),
    };
    report(result);
    saveResults('catch-up', [result]);
  } finally {
    await database.drop();
  }
}

void main();
