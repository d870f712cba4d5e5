/**
 * bench/pages: server time and page weight of the web pages (issue 15) at the demo's size.
 *
 * 1. seed — the demo generator (`seedDemo`, the code behind `cli seed-demo`, its defaults:
 *    12 homes × 24 months of returns, the capability story, the council); then the real worker
 *    process (apps/worker, the read models only) projects the log until every checkpoint is at
 *    its head.
 * 2. pages — the real API process; for each page of PAGES, BENCH_REQUESTS requests (default
 *    200, after 20 to warm up) from BENCH_CLIENTS keep-alive clients (default 2), each timed
 *    from sending to the end of the answer (a bearer token, as the browser tests sign in, and
 *    `Accept-Encoding: gzip, deflate, br`, as a browser asks: the time includes compressing);
 *    every answer must be 200. Then the page's weight: its HTML plus every stylesheet
 *    (`<link rel="stylesheet" href>`) and script (`<script src>`) it names, fetched once each
 *    (fonts and images aside), both as transferred to a browser (compressed) and uncompressed.
 *    One JSON line per page; targets: p95 under 100 ms, transferred weight under 200 KB.
 *
 * To measure another page, add a line to PAGES.
 */
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { addMonths, londonPeriodOf, type Period } from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { PersonalDataVault } from '@kpi/personal-data';
import { allProjections } from '@kpi/features';
import { checkpointNameOf } from '@kpi/projections';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, deleteRedisKeys, waitFor } from '@kpi/testing';
import { SEED_DEMO_DEFAULTS, seedDemo } from '../apps/cli/src/commands/seed-demo.command';
import {
  benchClient,
  benchToken,
  codeVersion,
  envInt,
  percentile,
  processEnv,
  BENCH_PERSONAL_DATA_KEY,
  report,
  round,
  saveResults,
  seconds,
  startProcess,
  stopProcess,
  waitForHealth,
  type Call,
} from './bench-support';
import { allCaughtUp, countEvents } from './worker-support';

const REQUESTS = envInt('BENCH_REQUESTS', 200);
const WARM_UP = 20;
const CLIENTS = envInt('BENCH_CLIENTS', 2);
const PORT = envInt('BENCH_PORT', 3921);
const TARGET_P95_MS = 100;
const TARGET_WEIGHT_BYTES = 200 * 1024;
const TENANT = SEED_DEMO_DEFAULTS.tenant;
const CHECKPOINTS = allProjections.map((p) => checkpointNameOf(p.name));

/** What a page's address needs from the seeded demo. */
interface Demo {
  quarter: string;
  year: string;
  homeId: string;
  /** The month now under way: its return is not in yet, so its submit form opens. */
  openMonth: Period;
}

/** The pages measured: a name and its address. Add a line to measure another. */
const PAGES: { page: string; path: (demo: Demo) => string }[] = [
  { page: 'kpi-grid', path: () => '/app/kpi-grid' },
  { page: 'returns-due', path: () => '/app/returns-due' },
  {
    page: 'submit-return-form',
    path: (d) => `/app/services/${d.homeId}/returns/${d.openMonth}/submit`,
  },
  {
    page: 'quarterly-report',
    path: (d) => `/app/reports/quarterly?quarter=${encodeURIComponent(d.quarter)}`,
  },
  {
    page: 'quarterly-report-with-months',
    path: (d) => `/app/reports/quarterly?quarter=${encodeURIComponent(d.quarter)}&detail=months`,
  },
  {
    page: 'business-plan-report',
    path: (d) => `/app/reports/business-plan?year=${encodeURIComponent(d.year)}`,
  },
  { page: 'trend', path: (d) => `/app/services/${d.homeId}/trend` },
];

/** The stylesheets and scripts a page's HTML names (fonts and images are fetched by the CSS). */
export function assetsOf(html: string): string[] {
  const stylesheets = [...html.matchAll(/<link\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => /rel=["']?stylesheet/.test(tag))
    .map((tag) => /href=["']([^"']+)["']/.exec(tag)?.[1]);
  const scripts = [...html.matchAll(/<script\b[^>]*\bsrc=["']([^"']+)["']/g)].map((m) => m[1]);
  return [...new Set([...stylesheets, ...scripts].filter((a): a is string => a !== undefined))];
}

/** What a browser says it can decode (Chromium sends `gzip, deflate, br, zstd`). */
const BROWSER_ENCODINGS = 'gzip, deflate, br';

/** A page or asset as sent: its bytes on the wire, and their Content-Encoding. */
interface Sent {
  bytes: number;
  encoding: string;
  body: Buffer;
}

/** The bytes of a GET as sent, asking for the given encodings (`identity`: none). */
function sentBytes(path: string, acceptEncoding: string, token?: string): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'accept-encoding': acceptEncoding };
    if (token) headers.authorization = `Bearer ${token}`;
    request({ host: '127.0.0.1', port: PORT, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const encoding = String(res.headers['content-encoding'] ?? 'identity');
        if (res.statusCode === 200) resolve({ bytes: body.length, encoding, body });
        else reject(new Error(`${path}: ${res.statusCode}`));
      });
    })
      .on('error', reject)
      .end();
  });
}

/** A page's HTML and the assets it names, as sent compressed (a browser) and uncompressed. */
async function pageWeight(path: string, token: string, assets: string[]) {
  const files = [{ path, token }, ...assets.map((asset) => ({ path: asset, token: undefined }))];
  const compressed = await Promise.all(
    files.map((f) => sentBytes(f.path, BROWSER_ENCODINGS, f.token)),
  );
  const plain = await Promise.all(files.map((f) => sentBytes(f.path, 'identity', f.token)));
  const total = (sent: Sent[]) => sent.reduce((sum, s) => sum + s.bytes, 0);
  return {
    htmlBytes: plain[0]!.bytes,
    htmlTransferredBytes: compressed[0]!.bytes,
    assets: Object.fromEntries(
      assets.map((asset, i) => [
        asset,
        { bytes: plain[i + 1]!.bytes, transferred: compressed[i + 1]!.bytes },
      ]),
    ),
    encodings: [...new Set(compressed.map((s) => s.encoding))],
    weightBytes: total(plain),
    transferredBytes: total(compressed),
  };
}

async function main() {
  const database = await createTestDatabase('bench_pages');
  const pool = database.pool({ max: 4 });
  const children: ChildProcess[] = [];
  const results: Record<string, unknown>[] = [];
  try {
    await migrate(pool, eventStoreMigrations);
    const store = new PostgresEventStore(pool, eventTypeRegistry());

    const seedStarted = process.hrtime.bigint();
    const vault = new PersonalDataVault(pool, BENCH_PERSONAL_DATA_KEY);
    const summary = await seedDemo({ store, vault }, { ...SEED_DEMO_DEFAULTS });
    const env = processEnv(database.url, PORT, {
      PG_POOL_MAX: '10',
      WORKER_PROJECTIONS: allProjections.map((p) => p.name).join(','),
      BULLMQ_PREFIX: database.name,
    });
    const worker = startProcess('apps/worker/src/main.ts', env);
    children.push(worker);
    await waitFor(() => allCaughtUp(pool, store, CHECKPOINTS), {
      description: 'every read model to reach the head of the log',
      timeoutMs: 600_000,
      intervalMs: 250,
    });
    await pool.query('VACUUM ANALYZE');
    const { rows: homes } = await pool.query<{ service_id: string }>(
      'SELECT service_id FROM rm_services WHERE tenant_id = $1 ORDER BY name LIMIT 1',
      [TENANT],
    );
    const seeded = {
      bench: 'pages',
      phase: 'seed',
      tenant: TENANT,
      homes: summary.provider.homes,
      returns: summary.provider.returns,
      events: await countEvents(pool),
      seconds: round(seconds(seedStarted), 1),
    };
    report(seeded);
    results.push(seeded);
    const demo: Demo = {
      quarter: summary.walkthrough.QUARTER,
      year: summary.walkthrough.YEAR,
      homeId: homes[0]!.service_id,
      openMonth: addMonths(londonPeriodOf(new Date()), 0),
    };

    const commit = codeVersion();
    const api = startProcess('apps/api/src/main.ts', env);
    children.push(api);
    await waitForHealth(PORT);
    const token = benchToken(TENANT, 'provider-admin');
    const client = benchClient(PORT, CLIENTS);
    for (const { page, path } of PAGES) {
      const call: Call = {
        method: 'GET',
        path: path(demo),
        token,
        headers: { 'accept-encoding': BROWSER_ENCODINGS },
        note: page,
      };
      await client.send(call);
      await client.sendAll(Array(WARM_UP).fill(call), CLIENTS, () => undefined);
      const latencies: number[] = [];
      await client.sendAll(Array(REQUESTS).fill(call), CLIENTS, (answer) =>
        latencies.push(answer.ms),
      );
      latencies.sort((a, b) => a - b);
      const html = (await sentBytes(call.path, 'identity', token)).body.toString('utf8');
      const weight = await pageWeight(call.path, token, assetsOf(html));
      const p95Ms = round(percentile(latencies, 95), 1);
      const result = {
        bench: 'pages',
        page,
        path: call.path,
        clients: CLIENTS,
        requests: latencies.length,
        p50Ms: round(percentile(latencies, 50), 1),
        p95Ms,
        p99Ms: round(percentile(latencies, 99), 1),
        maxMs: round(latencies[latencies.length - 1]!, 1),
        ...weight,
        weightKB: round(weight.weightBytes / 1024, 1),
        transferredKB: round(weight.transferredBytes / 1024, 1),
        targetP95Ms: TARGET_P95_MS,
        targetWeightKB: TARGET_WEIGHT_BYTES / 1024,
        met: p95Ms <= TARGET_P95_MS && weight.transferredBytes <= TARGET_WEIGHT_BYTES,
        commit,
      };
      report(result);
      results.push(result);
    }
    client.destroy();
    saveResults('pages', results);
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
