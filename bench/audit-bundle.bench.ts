/**
 * bench/audit-bundle: an evidence bundle of BENCH_EVENTS events (default 1,000,000) in
 * BENCH_STREAMS streams (default 10,000), half of them continuing from before the period.
 * Target: the writer and the verifier each under ~300 MB of peak memory (RSS).
 *
 * 1. write — `writeBundle` from a generator of stored events (hashes computed as the store
 *    computes them; no database, so only the writer's memory is measured) to a file;
 * 2. verify — `tools/verify-audit-bundle.mjs` in a process of its own, against the key set.
 *
 * One JSON line: events, bundle size, seconds and peak RSS of each phase (the writer's sampled
 * while it writes, beside the process's RSS before it began).
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createWriteStream, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKeyRing, writeBundle } from '@kpi/audit-bundle';
import type { StreamAnchor } from '@kpi/event-store';
import { BUNDLE_VERIFIER } from '@kpi/testing';
import { codeVersion, envInt, report, round, saveResults } from './bench-support';
import { generatedStoredEvents } from './stored-event-generator';

const EVENTS = envInt('BENCH_EVENTS', 1_000_000);
const STREAMS = envInt('BENCH_STREAMS', 10_000);
const TENANT = 'provider-bench';
const FROM = Date.parse('2026-01-01T00:00:00.000Z');
const TO = Date.parse('2027-01-01T00:00:00.000Z');

async function main(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'bench-audit-bundle-'));
  try {
    const anchors = new Map<string, StreamAnchor>();
    for (let s = 1; s < STREAMS; s += 2) {
      anchors.set(`monthly-return:${TENANT}:home-${s}`, { streamVersion: 7, hash: 'a'.repeat(64) });
    }
    const keys = SigningKeyRing.fromConfig([
      {
        keyId: 'bench',
        privateKeyPem: generateKeyPairSync('ed25519')
          .privateKey.export({ type: 'pkcs8', format: 'pem' })
          .toString(),
      },
    ]);
    const bundle = join(directory, 'bundle.tar.gz');
    const keySet = join(directory, 'keys.json');
    await writeFile(keySet, JSON.stringify(keys.jwks()));

    // RSS sampled while writing (maxRSS would count the TypeScript compiler's start-up too).
    const rssBeforeMb = process.memoryUsage.rss() / 1024 / 1024;
    let writerPeakRssMb = rssBeforeMb;
    const sampler = setInterval(() => {
      writerPeakRssMb = Math.max(writerPeakRssMb, process.memoryUsage.rss() / 1024 / 1024);
    }, 50);
    const writeStarted = performance.now();
    await writeBundle(createWriteStream(bundle), {
      manifestBase: {
        scope: { tenantId: TENANT, serviceIds: null },
        period: { from: new Date(FROM).toISOString(), to: new Date(TO).toISOString() },
        requestedBy: 'user:bench',
        grantId: null,
        createdAt: new Date().toISOString(),
      },
      // Events spread round-robin over the streams; odd streams continue from an anchor.
      events: generatedStoredEvents({
        tenantId: TENANT,
        count: EVENTS,
        streams: STREAMS,
        streamId: (stream) => `monthly-return:${TENANT}:home-${stream}`,
        from: FROM,
        to: TO,
        heads: new Map(anchors),
      }),
      anchors,
      signer: keys.current,
      temporaryDirectory: directory,
    });
    const writeSeconds = (performance.now() - writeStarted) / 1000;
    clearInterval(sampler);

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
          bundle,
          keySet,
        ],
        { encoding: 'utf8' },
      ),
    ) as { events: number; maxRssKb: number };
    const verifySeconds = (performance.now() - verifyStarted) / 1000;

    const result = {
      bench: 'audit-bundle',
      code: codeVersion(),
      events: EVENTS,
      streams: STREAMS,
      bundleMb: round(statSync(bundle).size / 1024 / 1024, 1),
      writeSeconds: round(writeSeconds, 1),
      rssBeforeWritingMb: round(rssBeforeMb),
      writerPeakRssMb: round(writerPeakRssMb),
      verifySeconds: round(verifySeconds, 1),
      verifierMaxRssMb: round(verifier.maxRssKb / 1024),
      eventsVerified: verifier.events,
    };
    report(result);
    saveResults('audit-bundle', [result]);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
