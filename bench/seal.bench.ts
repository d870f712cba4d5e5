/**
 * bench/seal: what sealing the log costs as the number of streams grows (decision 0035: the
 * worker seals every hour by default; issue 18 found a seal over 1.2 M streams taking a core for
 * tens of seconds beside the queries). BENCH_STREAMS streams (default 200,000), one event each,
 * are appended in transactions of 2,000 streams; then:
 *
 * 1. `first` — seal 1: every stream moved;
 * 2. `steady` — BENCH_ROUNDS times (default 3): BENCH_MOVED streams (default 1 % of them) get an
 *    event each, and the log is sealed again: the hourly case, most heads where they were;
 * 3. `verify` — `verifySeals` over every stream against the last seal.
 *
 * Each line: milliseconds (the mean of the steady rounds), CPU milliseconds of this process
 * and of PostgreSQL, and this process's peak RSS. The database is dropped at the end.
 */
import { randomUUID } from 'node:crypto';
import { SigningKeyRing } from '@kpi/audit-bundle';
import {
  EventTypeRegistry,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  type NewEvent,
} from '@kpi/event-store';
import { sealTheLog, verifySeals } from '@kpi/seals';
import { createTestDatabase, freshAuditSigningKeys } from '@kpi/testing';
import {
  codeVersion,
  cpuMeter,
  elapsedMs,
  envInt,
  report,
  round,
  saveResults,
} from './bench-support';

const STREAMS = envInt('BENCH_STREAMS', 200_000);
const MOVED = envInt('BENCH_MOVED', Math.max(1, Math.round(STREAMS / 100)));
const ROUNDS = envInt('BENCH_ROUNDS', 3);
const STREAMS_A_TRANSACTION = 2_000;

const registry = new EventTypeRegistry([
  { type: 'ThingRecorded', schemaVersion: 1 },
  { type: 'LogSealed', schemaVersion: 1 },
]);

function thing(n: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'ThingRecorded',
    data: { n },
    metadata: {
      tenantId: 'tenant-bench',
      actor: 'user:bench',
      correlationId: null,
      causationId: null,
      commandId: null,
    },
  };
}

async function main() {
  const database = await createTestDatabase('bench_seal');
  const pool = database.pool({ max: 4 });
  const keys = SigningKeyRing.fromConfig(JSON.parse(freshAuditSigningKeys('bench-seal')));
  const results: Record<string, unknown>[] = [];
  const now = new Date();
  try {
    await migrate(pool, eventStoreMigrations);
    const store = new PostgresEventStore(pool, registry);
    const streams = Array.from({ length: STREAMS }, () => `tenant-bench:thing-${randomUUID()}`);
    const versions = new Map<string, number>();

    /** One event to each stream, 2,000 streams a transaction. */
    const appendTo = async (ids: readonly string[]) => {
      for (let start = 0; start < ids.length; start += STREAMS_A_TRANSACTION) {
        const batch = ids.slice(start, start + STREAMS_A_TRANSACTION);
        await store.appendMany(
          batch.map((streamId) => ({
            streamId,
            events: [thing(start)],
            expectedVersion: versions.get(streamId) ?? 'no-stream',
          })),
        );
        batch.forEach((id) => versions.set(id, (versions.get(id) ?? 0) + 1));
      }
    };
    const seeding = process.hrtime.bigint();
    await appendTo(streams);
    await pool.query('VACUUM ANALYZE');
    console.error(`seeded ${STREAMS} streams in ${round(elapsedMs(seeding) / 1000, 1)} s`);

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 100);
    /** Runs `work`, reporting its time, CPU and the peak RSS meanwhile. */
    const timed = async (phase: string, work: () => Promise<unknown>, extra = {}) => {
      peakRss = process.memoryUsage().rss;
      const cpu = cpuMeter({});
      const started = process.hrtime.bigint();
      await work();
      const ms = elapsedMs(started);
      const used = cpu();
      const result = {
        bench: 'seal',
        phase,
        streams: STREAMS,
        ms: round(ms),
        cpuMs: { bench: round(used.loadGenerator! * 1000), postgres: round(used.postgres! * 1000) },
        peakRssMb: round(peakRss / 2 ** 20),
        code: codeVersion(),
        ...extra,
      };
      report(result);
      results.push(result);
    };

    await timed('first', () => sealTheLog(pool, store, keys.current, now));
    for (let round_ = 1; round_ <= ROUNDS; round_++) {
      const moved = Array.from({ length: MOVED }, (_, i) => streams[(i * 97 + round_) % STREAMS]!);
      await appendTo([...new Set(moved)]);
      await timed('steady', () => sealTheLog(pool, store, keys.current, now), {
        round: round_,
        moved: MOVED,
      });
    }
    await timed('verify', async () => {
      const verified = await verifySeals(pool, store, keys);
      if (verified.problems.length > 0) throw new Error(JSON.stringify(verified.problems[0]));
    });
    clearInterval(sampler);
    saveResults('seal', results);
  } finally {
    await pool.end();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
