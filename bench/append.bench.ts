/**
 * bench/append: events/s through `EventStore.append` for 8 concurrent writers at batch sizes
 * 1, 10 and 100, beside
 * - the same rows through a raw multi-row `INSERT … SELECT unnest(…)` into a table with the same
 *   columns, unique indexes and log-order index but none of the store's logic (no expected-version
 *   check, stream head, hash chain, validation): the physical limit of this database for these
 *   rows;
 * - the same events through Emmett's PostgreSQL event store (`appendToStream`,
 *   bench/emmett-peer.ts) in a database of its own: a peer doing the same job (issue 18).
 * Prints one JSON line per batch size.
 *
 * Each writer appends to streams of its own with an exact expected version, as command handlers
 * do. This machine is noisy (a shared VM), so each side runs BENCH_ROUNDS rounds (default 8) of
 * BENCH_SECONDS (default 2), the order of the three sides changing every round (ORDERS: each
 * pair of rounds puts every side once early and once late by the same amount), and the figures
 * are total events over total time. BENCH_WRITERS writers (default 8); BENCH_BATCHES the batch
 * sizes (default 1,10,100).
 */
import { randomUUID } from 'node:crypto';
import {
  contentHash,
  EventTypeRegistry,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  type NewEvent,
} from '@kpi/event-store';
import { createTestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { envInt, report, round, saveResults } from './bench-support';
import { emmettPeer } from './emmett-peer';

const WRITERS = envInt('BENCH_WRITERS', 8);
const SECONDS = envInt('BENCH_SECONDS', 2);
const ROUNDS = envInt('BENCH_ROUNDS', 8);
const BATCH_SIZES = (process.env.BENCH_BATCHES ?? '1,10,100').split(',').map((size) => {
  if (!/^[1-9]\d*$/.test(size.trim()))
    throw new Error(`BENCH_BATCHES: "${size}" is not a batch size`);
  return Number(size);
});

const registry = new EventTypeRegistry([{ type: 'KpiValueRecorded', schemaVersion: 1 }]);

function kpiEvent(tenantId: string, n: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'KpiValueRecorded',
    data: {
      serviceId: 'home-017',
      period: '2026-09',
      indicator: 'staff-supervision',
      value: 87.5 + (n % 10),
      unit: 'percentage',
    },
    metadata: {
      tenantId,
      actor: 'user:bench',
      correlationId: randomUUID(),
      causationId: null,
      commandId: randomUUID(),
    },
  };
}

const RAW_TABLE = `
CREATE TABLE raw_events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  event_id        uuid        NOT NULL UNIQUE,
  stream_id       text        NOT NULL,
  stream_version  bigint      NOT NULL,
  tenant_id       text        NOT NULL,
  type            text        NOT NULL,
  schema_version  integer     NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  effective_at    timestamptz,
  content_hash    text        NOT NULL,
  previous_hash   text        NOT NULL,
  hash            text        NOT NULL,
  UNIQUE (stream_id, stream_version)
);
CREATE INDEX ON raw_events (transaction_id, global_position);`;

interface Measurement {
  events: number;
  seconds: number;
}

/** Runs `writers` loops for `seconds`; each loop call appends one batch. */
async function measure(
  seconds: number,
  writers: number,
  batch: number,
  appendOne: (writer: number) => Promise<void>,
): Promise<Measurement> {
  const deadline = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  const counts = await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      let batches = 0;
      while (Date.now() < deadline) {
        await appendOne(writer);
        batches += 1;
      }
      return batches;
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return { events: counts.reduce((a, b) => a + b, 0) * batch, seconds: elapsed };
}

async function storeWriter(store: PostgresEventStore, batch: number) {
  const streams = Array.from({ length: WRITERS }, () => ({
    id: `bench-${randomUUID()}`,
    version: 0,
  }));
  return async (writer: number) => {
    const stream = streams[writer]!;
    const events = Array.from({ length: batch }, (_, i) => kpiEvent('tenant-bench', i));
    const result = await store.append(
      stream.id,
      events,
      stream.version === 0 ? 'no-stream' : stream.version,
    );
    stream.version = result.nextExpectedVersion;
  };
}

const PLACEHOLDER_HASH = contentHash({
  ...kpiEvent('tenant-bench', 0),
  streamId: 'placeholder',
  schemaVersion: 1,
  effectiveAt: null,
});

async function rawWriter(pool: Pool, batch: number) {
  const streams = Array.from({ length: WRITERS }, () => ({
    id: `raw-${randomUUID()}`,
    version: 0,
  }));
  return async (writer: number) => {
    const stream = streams[writer]!;
    const events = Array.from({ length: batch }, (_, i) => kpiEvent('tenant-bench', i));
    const hashes = events.map(() => PLACEHOLDER_HASH); // same width as a real hash, none of the work
    await pool.query(
      `INSERT INTO raw_events (event_id, stream_id, stream_version, tenant_id, type, schema_version, data, metadata,
                               effective_at, content_hash, previous_hash, hash)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::int[], $7::jsonb[],
                            $8::jsonb[], $9::timestamptz[], $10::text[], $11::text[], $12::text[])`,
      [
        events.map((e) => e.eventId),
        events.map(() => stream.id),
        events.map((_, i) => stream.version + i + 1),
        events.map((e) => e.metadata.tenantId),
        events.map((e) => e.type),
        events.map(() => 1),
        events.map((e) => JSON.stringify(e.data)),
        events.map((e) => JSON.stringify(e.metadata)),
        events.map(() => null),
        hashes,
        hashes,
        hashes,
      ],
    );
    stream.version += batch;
  };
}

type Side = 'store' | 'raw' | 'emmett';

/**
 * The order of the sides in each round, taken in turn. Every two rounds mirror each other, so
 * over each pair every side's mean place is the middle one: a steady drift of the machine's speed
 * favours none of them.
 */
const ORDERS: readonly (readonly Side[])[] = [
  ['store', 'raw', 'emmett'],
  ['emmett', 'raw', 'store'],
  ['raw', 'emmett', 'store'],
  ['store', 'emmett', 'raw'],
  ['emmett', 'store', 'raw'],
  ['raw', 'store', 'emmett'],
];

async function main() {
  const database = await createTestDatabase('bench_append');
  const emmettDatabase = await createTestDatabase('bench_append_emmett');
  const pool = database.pool({ max: WRITERS + 2 });
  try {
    await migrate(pool, eventStoreMigrations);
    await pool.query(RAW_TABLE);
    const store = new PostgresEventStore(pool, registry);
    const emmett = await emmettPeer(emmettDatabase.url, emmettDatabase.pool({ max: WRITERS + 2 }));
    const results: Record<string, unknown>[] = [];
    for (const batch of BATCH_SIZES) {
      const sides: Record<Side, (writer: number) => Promise<void>> = {
        store: await storeWriter(store, batch),
        raw: await rawWriter(pool, batch),
        emmett: emmett.writer(WRITERS, batch, (n) => kpiEvent('tenant-bench', n)),
      };
      for (const side of ORDERS[0]!) await measure(1, WRITERS, batch, sides[side]); // warm-up
      const total: Record<Side, Measurement> = {
        store: { events: 0, seconds: 0 },
        raw: { events: 0, seconds: 0 },
        emmett: { events: 0, seconds: 0 },
      };
      const roundRatios = { raw: [] as number[], emmett: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        const rates: Record<Side, number> = { store: 0, raw: 0, emmett: 0 };
        for (const side of ORDERS[round % ORDERS.length]!) {
          const m = await measure(SECONDS, WRITERS, batch, sides[side]);
          total[side].events += m.events;
          total[side].seconds += m.seconds;
          rates[side] = m.events / m.seconds;
        }
        roundRatios.raw.push(rates.store / rates.raw);
        roundRatios.emmett.push(rates.store / rates.emmett);
      }
      const perSec = (side: Side) => total[side].events / total[side].seconds;
      const result = {
        bench: 'append',
        writers: WRITERS,
        batch,
        eventsPerSec: round(perSec('store')),
        rawEventsPerSec: round(perSec('raw')),
        emmettEventsPerSec: round(perSec('emmett')),
        // ours / raw (issue 18: ≥ 0.85 at batch 10 and 100)
        ratio: round(perSec('store') / perSec('raw'), 2),
        // ours / Emmett (issue 18: > 1 at batch 1, 10 and 100)
        ratioToEmmett: round(perSec('store') / perSec('emmett'), 2),
        rounds: ROUNDS,
        secondsPerRound: SECONDS,
        // How much single rounds disagree: the spread this machine's noise puts on the ratios.
        roundRatioMin: round(Math.min(...roundRatios.raw), 2),
        roundRatioMax: round(Math.max(...roundRatios.raw), 2),
        roundRatioToEmmettMin: round(Math.min(...roundRatios.emmett), 2),
        roundRatioToEmmettMax: round(Math.max(...roundRatios.emmett), 2),
      };
      report(result);
      results.push(result);
    }
    await emmett.close();
    saveResults('append', results);
  } finally {
    await emmettDatabase.drop();
    await database.drop();
  }
}

void main();
