/**
 * bench/import: the returns import (issue 14) as the CLI runs it — BENCH_SERVICES services
 * (default 5,000) × BENCH_MONTHS months (default 12) × BENCH_INDICATORS indicators (default
 * 10), one CSV in the KPI grid's layout. Each phase one JSON line:
 *
 * 1. seed — the framework and the services, through the features' use cases;
 * 2. dry run — the file read and every row checked (`importReturns`, dryRun), nothing stored;
 * 3. import — read, checked and stored in transactions of BENCH_IMPORT_CHUNK returns (default
 *    50), BENCH_IMPORT_CONCURRENCY at once (default 4): returns/s and events/s, and the longest transaction (a transaction holds back
 *    every reader of the global log while it is open: docs/decisions/0024);
 * 4. again — the same file imported again: everything skipped, nothing stored.
 */
import { randomUUID } from 'node:crypto';
import { entityId, type CommandContext } from '@kpi/command-handling';
import { parsePeriod, periodsBetween, type IndicatorDefinition, type Period } from '@kpi/domain';
import {
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  type AppendResult,
  type StreamAppend,
} from '@kpi/event-store';
import { publishFrameworkVersion } from '@kpi/features/kpi-frameworks';
import {
  DEFAULT_IMPORT_CHUNK,
  DEFAULT_IMPORT_CONCURRENCY,
  importReturns,
  readReturnsCsv,
  type ReturnsImportReport,
} from '@kpi/features/monthly-returns';
import { registerRegion, registerService } from '@kpi/features/organisation';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase } from '@kpi/testing';
import {
  codeVersion,
  envInt,
  report,
  round,
  saveResults,
  seconds,
  seededRandom,
} from './bench-support';

const SERVICES = envInt('BENCH_SERVICES', 5000);
const MONTH_COUNT = envInt('BENCH_MONTHS', 12);
const INDICATOR_COUNT = envInt('BENCH_INDICATORS', 10);
const CHUNK = envInt('BENCH_IMPORT_CHUNK', DEFAULT_IMPORT_CHUNK);
const CONCURRENCY = envInt('BENCH_IMPORT_CONCURRENCY', DEFAULT_IMPORT_CONCURRENCY);
const SEED_CONCURRENCY = 8;
const TENANT = 'bench-council';
const FRAMEWORK = 'bench-dataset';
const MONTHS = periodsBetween('2025-04' as Period, '2026-03' as Period)
  .concat(periodsBetween('2026-04' as Period, '2026-10' as Period))
  .slice(0, MONTH_COUNT);

/** Counts, percentages, ratios and yes/no, as a council's dataset mixes them. */
const SHAPES: Pick<IndicatorDefinition, 'unit' | 'direction' | 'aggregation' | 'target'>[] = [
  { unit: 'count', direction: 'higher-is-better', aggregation: 'sum', target: 10 },
  { unit: 'percentage', direction: 'higher-is-better', aggregation: 'average', target: 90 },
  { unit: 'ratio', direction: 'higher-is-better', aggregation: 'ratio-of-sums', target: 85 },
  { unit: 'yes-no', direction: 'higher-is-better', aggregation: 'last', target: 1 },
  { unit: 'days', direction: 'lower-is-better', aggregation: 'sum', target: 20 },
];
const INDICATORS: IndicatorDefinition[] = Array.from({ length: INDICATOR_COUNT }, (_, i) => ({
  code: `I${String(i + 1).padStart(2, '0')}`,
  name: `Indicator ${i + 1}`,
  periodicity: 'monthly',
  ...SHAPES[i % SHAPES.length]!,
}));

/** A value as the export writes it. */
function shownValue(indicator: IndicatorDefinition, random: () => number): string {
  switch (indicator.unit) {
    case 'yes-no':
      return random() < 0.9 ? 'yes' : 'no';
    case 'ratio': {
      const denominator = 10 + Math.floor(random() * 90);
      return `${Math.floor(denominator * (0.5 + random() / 2))}/${denominator}`;
    }
    case 'percentage':
      return String(round(random() * 100, 1));
    default:
      return String(Math.floor(random() * 50));
  }
}

function returnsCsv(services: readonly string[]): string {
  const random = seededRandom(20261207);
  const lines = ['service_id,service_name,region_id,period,indicator,value,outcome,rag,target'];
  for (const serviceId of services)
    for (const period of MONTHS)
      for (const indicator of INDICATORS)
        lines.push(
          `${serviceId},,north,${period},${indicator.code},${shownValue(indicator, random)},,,`,
        );
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The store, with the time each multi-stream transaction took. */
class TimedStore extends PostgresEventStore {
  readonly transactionSeconds: number[] = [];
  override async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const started = process.hrtime.bigint();
    try {
      return await super.appendMany(appends);
    } finally {
      this.transactionSeconds.push(seconds(started));
    }
  }
}

async function main() {
  const database = await createTestDatabase('bench_import');
  const pool = database.pool({ max: SEED_CONCURRENCY + 2 });
  const results: Record<string, unknown>[] = [];
  const emit = (line: Record<string, unknown>) => {
    report(line);
    results.push(line);
  };
  try {
    await migrate(pool, eventStoreMigrations);
    const store = new TimedStore(pool, eventTypeRegistry());
    const context = (now: string): CommandContext & { store: TimedStore } => {
      const commandId = randomUUID();
      return {
        store,
        tenantId: TENANT,
        actor: 'system:bench',
        correlationId: commandId,
        commandId,
        now: new Date(now),
      };
    };

    // 1. Seed: the framework and the services.
    const seedStarted = process.hrtime.bigint();
    await registerRegion(context('2025-01-02T09:00:00Z'), {
      regionId: entityId('north', 'regionId'),
      name: 'North',
      regionalManagerId: entityId('rm-1', 'regionalManagerId'),
    });
    await publishFrameworkVersion(context('2025-01-02T09:00:00Z'), {
      frameworkId: entityId(FRAMEWORK, 'frameworkId'),
      name: 'Bench dataset',
      effectiveFrom: parsePeriod('2025-01'),
      indicators: INDICATORS,
    });
    const services = Array.from({ length: SERVICES }, (_, s) => `service-${s}`);
    let next = 0;
    await Promise.all(
      Array.from({ length: SEED_CONCURRENCY }, async () => {
        while (next < services.length) {
          const serviceId = services[next++]!;
          await registerService(context('2025-01-02T09:00:00Z'), {
            serviceId: entityId(serviceId, 'serviceId'),
            name: serviceId,
            regionId: entityId('north', 'regionId'),
            serviceType: 'day-service',
            frameworkId: entityId(FRAMEWORK, 'frameworkId'),
            openedOn: '2025-01-01',
          });
        }
      }),
    );
    const csv = returnsCsv(services);
    emit({
      bench: 'import',
      phase: 'seed',
      services: SERVICES,
      months: MONTHS.length,
      indicators: INDICATORS.length,
      csvMegabytes: round(Buffer.byteLength(csv) / 1024 / 1024, 1),
      seconds: round(seconds(seedStarted), 1),
    });

    const run = async (phase: string, dryRun: boolean) => {
      store.transactionSeconds.length = 0;
      const started = process.hrtime.bigint();
      const file = readReturnsCsv(csv);
      const readSeconds = seconds(started);
      const result: ReturnsImportReport = await importReturns(
        context('2026-12-07T09:00:00Z'),
        file,
        {
          dryRun,
          chunkSize: CHUNK,
          concurrency: CONCURRENCY,
        },
      );
      const total = seconds(started);
      if (result.problems.length > 0)
        throw new Error(`${phase}: ${JSON.stringify(result.problems.slice(0, 3))}`);
      const longest = Math.max(0, ...store.transactionSeconds);
      emit({
        bench: 'import',
        phase,
        rows: result.rows,
        returns: result.returns,
        stored: result.stored,
        unchanged: result.unchanged,
        events: result.events,
        chunk: CHUNK,
        concurrency: CONCURRENCY,
        readSeconds: round(readSeconds, 2),
        seconds: round(total, 2),
        returnsPerSecond: round(result.returns / total),
        eventsPerSecond: round(result.events / total),
        transactions: store.transactionSeconds.length,
        longestTransactionSeconds: round(longest, 2),
        code: codeVersion(),
      });
    };
    await run('dry-run', true);
    await run('import', false);
    await run('again', false);
    saveResults('import', results);
  } finally {
    await pool.end();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
