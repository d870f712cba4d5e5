/**
 * bench/audit-export: the regulator's export of a year, BENCH_EVENTS (or EVENTS) events
 * (default 1,000,000) in BENCH_STREAMS streams (default 10,000), half of them continuing from an
 * event recorded before the year. Target: the export's process under ~300 MB of peak memory.
 *
 * 1. seed — the events (made as bench/audit-bundle makes them: hashes as the store computes
 *    them) inserted into a database of its own, recorded over the London year 2025-04-01 to
 *    2026-03-31, with the stream heads;
 * 2. export — `runAuditExport`, the job's own function (no HTTP, no queue), in a process of its
 *    own: events/s, and its peak RSS (`process.resourceUsage().maxRSS`) beside its RSS before the
 *    export began (the TypeScript loader's share);
 * 3. verify — tools/verify-audit-bundle.mjs on the bundle, in a process of its own.
 *
 * One JSON line.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKeyRing } from '@kpi/audit-bundle';
import { endOfLondonDay, londonInstant } from '@kpi/domain';
import {
  createPostgresPool,
  eventStoreMigrations,
  migrate,
  type StoredEventRecord,
  type StreamAnchor,
} from '@kpi/event-store';
import { runAuditExport } from '@kpi/features/audit-exports';
import { BUNDLE_VERIFIER, createTestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { codeVersion, envInt, report, round, saveResults } from './bench-support';
import { generatedStoredEvents } from './stored-event-generator';

const EVENTS = envInt('BENCH_EVENTS', envInt('EVENTS', 1_000_000));
const STREAMS = envInt('BENCH_STREAMS', 10_000);
const TENANT = 'provider-bench';
const PERIOD = { from: '2025-04-01', to: '2026-03-31' };
const INSERT_BATCH = 5_000;
const streamId = (stream: number) => `${TENANT}:monthly-return:home-${stream}:2026-04`;

/** Inserts stored events as they are (hashes, times, versions), a batch per statement. */
async function insertEvents(pool: Pool, events: Iterable<StoredEventRecord>): Promise<number> {
  let batch: StoredEventRecord[] = [];
  let inserted = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await pool.query(
      `INSERT INTO events (event_id, stream_id, stream_version, tenant_id, type, schema_version,
                           data, metadata, recorded_at, effective_at, content_hash,
                           previous_hash, hash)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::text[],
                            $6::int[], $7::jsonb[], $8::jsonb[], $9::timestamptz[],
                            $10::timestamptz[], $11::text[], $12::text[], $13::text[])`,
      [
        batch.map((e) => e.eventId),
        batch.map((e) => e.streamId),
        batch.map((e) => e.streamVersion),
        batch.map(() => TENANT),
        batch.map((e) => e.type),
        batch.map((e) => e.schemaVersion),
        batch.map((e) => JSON.stringify(e.data)),
        batch.map((e) => JSON.stringify(e.metadata)),
        batch.map((e) => e.recordedAt),
        batch.map((e) => e.effectiveAt),
        batch.map((e) => e.contentHash),
        batch.map((e) => e.previousHash),
        batch.map((e) => e.hash),
      ],
    );
    inserted += batch.length;
    batch = [];
    if (process.stderr.isTTY) process.stderr.write(`\rseeding: ${inserted} events`);
  };
  for (const event of events) {
    batch.push(event);
    if (batch.length >= INSERT_BATCH) await flush();
  }
  await flush();
  return inserted;
}

/** The year's events, after one event recorded before it in every odd stream (its anchor). */
async function seed(pool: Pool): Promise<void> {
  const heads = new Map<string, StreamAnchor>();
  const anchors = Math.floor(STREAMS / 2);
  await insertEvents(
    pool,
    generatedStoredEvents({
      tenantId: TENANT,
      count: anchors,
      streams: anchors,
      streamId: (n) => streamId(2 * n + 1),
      from: Date.parse('2025-01-01T00:00:00.000Z'),
      to: Date.parse('2025-02-01T00:00:00.000Z'),
      heads,
    }),
  );
  await insertEvents(
    pool,
    generatedStoredEvents({
      tenantId: TENANT,
      count: EVENTS,
      streams: STREAMS,
      streamId,
      from: londonInstant(PERIOD.from, '00:00').getTime(),
      to: endOfLondonDay(PERIOD.to).getTime(),
      heads,
      firstPosition: anchors + 1,
    }),
  );
  if (process.stderr.isTTY) process.stderr.write('\n');
  await pool.query(
    `INSERT INTO streams (stream_id, tenant_id, version, last_recorded_at)
     SELECT stream_id, $1, max(stream_version), max(recorded_at) FROM events GROUP BY stream_id`,
    [TENANT],
  );
  await pool.query('VACUUM ANALYZE events');
}

interface ExportRun {
  seconds: number;
  events: number;
  streams: number;
  bundleMb: number;
  rssBeforeExportMb: number;
  maxRssMb: number;
}

/** The export, in this process (started by the bench with --export): the job's own function. */
async function exportInThisProcess(
  databaseUrl: string,
  exportId: string,
  directory: string,
): Promise<void> {
  const pool = createPostgresPool({ connectionString: databaseUrl, max: 2 });
  try {
    const keys = SigningKeyRing.fromConfig([
      {
        keyId: 'bench',
        privateKeyPem: generateKeyPairSync('ed25519')
          .privateKey.export({ type: 'pkcs8', format: 'pem' })
          .toString(),
      },
    ]);
    await writeFile(join(directory, 'keys.json'), JSON.stringify(keys.jwks()));
    const rssBefore = process.memoryUsage.rss();
    const started = performance.now();
    const bundle = await runAuditExport(
      { pool, signer: keys.current, exportDirectory: directory },
      exportId,
    );
    const run: ExportRun = {
      seconds: (performance.now() - started) / 1000,
      events: bundle!.events,
      streams: bundle!.streams,
      bundleMb: bundle!.sizeBytes / 1024 / 1024,
      rssBeforeExportMb: rssBefore / 1024 / 1024,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    };
    console.log(JSON.stringify(run));
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  const database = await createTestDatabase('bench_audit_export');
  const directory = await mkdtemp(join(tmpdir(), 'bench-audit-export-'));
  try {
    const pool = database.pool({ max: 2 });
    await migrate(pool, eventStoreMigrations);
    const seedStarted = performance.now();
    await seed(pool);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const exportId = `export-${randomUUID().slice(0, 8)}`;
    await pool.query(
      `INSERT INTO audit_exports (export_id, tenant_id, requester_tenant_id, requested_by,
                                  period_from, period_to, requested_at)
       VALUES ($1, $2, $2, 'user:bench', $3, $4, now())`,
      [exportId, TENANT, PERIOD.from, PERIOD.to],
    );

    const exported = JSON.parse(
      execFileSync(
        process.execPath,
        ['-r', './scripts/register.js', __filename, '--export', database.url, exportId, directory],
        { encoding: 'utf8', cwd: join(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] },
      ),
    ) as ExportRun;
    if (exported.events !== EVENTS) {
      throw new Error(`the bundle holds ${exported.events} events, not ${EVENTS}`);
    }

    const verifyStarted = performance.now();
    const verifier = JSON.parse(
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          // argv[1] is a placeholder: the verifier runs its command when argv[1] names it.
          `const { verifyBundle } = await import(process.argv[2]);
           const checked = await verifyBundle(process.argv[3], { publicKey: process.argv[4] });
           console.log(JSON.stringify({ events: checked.events, maxRssKb: process.resourceUsage().maxRSS }));`,
          'bench',
          BUNDLE_VERIFIER,
          join(directory, `${exportId}.tar.gz`),
          join(directory, 'keys.json'),
        ],
        { encoding: 'utf8' },
      ),
    ) as { events: number; maxRssKb: number };
    const verifySeconds = (performance.now() - verifyStarted) / 1000;

    const result = {
      bench: 'audit-export',
      code: codeVersion(),
      events: EVENTS,
      streams: STREAMS,
      seedSeconds: round(seedSeconds, 1),
      bundleMb: round(exported.bundleMb, 1),
      exportSeconds: round(exported.seconds, 1),
      exportEventsPerSec: round(EVENTS / exported.seconds),
      exportRssBeforeMb: round(exported.rssBeforeExportMb),
      exportPeakRssMb: round(exported.maxRssMb),
      verifySeconds: round(verifySeconds, 1),
      verifyEventsPerSec: round(verifier.events / verifySeconds),
      verifierMaxRssMb: round(verifier.maxRssKb / 1024),
      eventsVerified: verifier.events,
    };
    report(result);
    saveResults('audit-export', [result]);
  } finally {
    await rm(directory, { recursive: true, force: true });
    await database.drop();
  }
}

const [, , mode, ...args] = process.argv;
(mode === '--export' ? exportInThisProcess(args[0]!, args[1]!, args[2]!) : main()).catch(
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
