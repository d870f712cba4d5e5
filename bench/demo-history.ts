import type { Pool } from 'pg';
import type { PostgresEventStore } from '@kpi/event-store';
import { PersonalDataVault } from '@kpi/personal-data';
import { seedDemo } from '../apps/cli/src/commands/seed-demo.command';
import { progressBar } from '../apps/cli/src/progress-bar';
import { BENCH_PERSONAL_DATA_KEY, round, seconds } from './bench-support';
import { countEvents } from './worker-support';

/** Minutes and seconds, for progress lines: `3m07s`. */
export const duration = (s: number) =>
  s >= 60
    ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`
    : `${Math.round(s)}s`;

/**
 * The history bench/queries and bench/capability-catch-up work on: the demo generator
 * (`seedDemo`, the code behind `cli seed-demo`) writing `tenants` tenants at once, each with as
 * many homes as it takes for their setup and `months` months of returns to reach `events`
 * events (per home its registration and manager appointment, then one return a month and an
 * amendment in about one in thirty); topped up by one more tenant when short. Progress on
 * stderr (a bar on a terminal, a line every ten seconds otherwise). Returns the seed's figures.
 */
export async function seedDemoHistory(
  pool: Pool,
  store: PostgresEventStore,
  { events, tenants, months }: { events: number; tenants: number; months: number },
) {
  const homes = Math.ceil(events / (tenants * (months + 2)));
  const vault = new PersonalDataVault(pool, BENCH_PERSONAL_DATA_KEY);
  const tty = process.stderr.isTTY;
  const bar = tty ? progressBar('seed', 'returns') : null;
  const done = new Map<string, number>();
  let total = tenants * homes * months;
  const started = process.hrtime.bigint();
  let printed = 0;
  let printedSum = 0;
  process.stderr.write(
    `seed: ${tenants} tenants at once, each ${homes} homes × ${months} months (homes are registered first)\n`,
  );
  const progressOf = (tenant: string) => ({
    update(n: number) {
      done.set(tenant, n);
      const sum = [...done.values()].reduce((a, b) => a + b, 0);
      bar?.update(sum, total);
      if (printed === 0) [printed, printedSum] = [Date.now(), sum]; // the homes are registered
      if (!tty && Date.now() - printed >= 10_000) {
        // The rate of the last ten seconds.
        const rate = ((sum - printedSum) * 1000) / (Date.now() - printed);
        printed = Date.now();
        printedSum = sum;
        process.stderr.write(
          `seed ${duration(seconds(started))}: ${sum.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} returns, ${Math.round(rate)}/s${rate > 0 ? `, ~${duration((total - sum) / rate)} left` : ''}\n`,
        );
      }
    },
    stop: () => undefined,
  });
  // This machine's PostgreSQL runs without autovacuum: keep the log's statistics fresh.
  const stopAnalyzing = analyzeWhileWriting(pool);
  const summaries = await Promise.all(
    Array.from({ length: tenants }, (_, t) => {
      const tenant = `bench-${String(t + 1).padStart(2, '0')}`;
      return seedDemo({ store, vault }, { tenant, homes, months }, progressOf(tenant));
    }),
  );
  // Short of the target (few amendments this time): one more tenant with the homes missing.
  let stored = await countEvents(pool);
  for (let extra = tenants + 1; stored < events; extra++) {
    const more = Math.ceil((events - stored) / (months + 2)) + 1;
    total += more * months;
    const tenant = `bench-${String(extra).padStart(2, '0')}`;
    summaries.push(
      await seedDemo({ store, vault }, { tenant, homes: more, months }, progressOf(tenant)),
    );
    stored = await countEvents(pool);
  }
  bar?.stop();
  await stopAnalyzing();
  const elapsed = seconds(started);
  const returns = summaries.reduce((n, s) => n + s.provider.returns, 0);
  return {
    tenants: summaries.length,
    homesPerTenant: homes,
    months,
    returns,
    amended: summaries.reduce((n, s) => n + s.provider.amended.length, 0),
    events: stored,
    seconds: round(elapsed, 1),
    eventsPerSec: round(stored / elapsed),
    returnsPerSec: round(returns / elapsed),
    concurrency: tenants,
  };
}

/**
 * Keeps the planner's statistics fresh while a bench writes a large history, as autovacuum
 * would: every `everyMs`, ANALYZE each of `tables` (default `events` and `streams`; `'all'`:
 * every table of the database, the read models' and the process's too, as a catch-up needs)
 * changed by more than autovacuum's default threshold since it was last analyzed (50 rows and
 * 10 % of its rows). Where autovacuum is off (this machine's PostgreSQL) nothing else does it,
 * and a command's read of its streams plans on statistics of a nearly empty table: as the log
 * grows it becomes a parallel scan of all of it (seeding 1,000,000 events fell from ~1,100 to
 * ~190 returns/s at 400,000). (ANALYZE of the whole database every 30 s instead ran without a
 * pause at 1,000,000 events.) Returns a function that stops it.
 */
export function analyzeWhileWriting(
  pool: Pool,
  { tables = 'events, streams', everyMs = 30_000 }: { tables?: string; everyMs?: number } = {},
): () => Promise<void> {
  const only = tables === 'all' ? null : tables.split(',').map((t) => t.trim());
  const analyzeChanged = async () => {
    const { rows } = await pool.query<{ name: string }>(
      `SELECT quote_ident(relname) AS name FROM pg_stat_user_tables
        WHERE schemaname = 'public' AND ($1::text[] IS NULL OR relname = ANY ($1))
          AND n_mod_since_analyze > 50 + 0.1 * n_live_tup`,
      [only],
    );
    for (const { name } of rows) await pool.query(`ANALYZE ${name}`);
  };
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => analyzeChanged().catch(() => undefined));
  }, everyMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
