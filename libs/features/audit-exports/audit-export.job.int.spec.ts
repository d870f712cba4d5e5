import { SigningKeyRing, type BundleSigner } from '@kpi/audit-bundle';
import { DEVELOPMENT_SIGNING_KEYS } from '@kpi/config';
import { londonDateOf } from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import {
  createTestDatabase,
  deleteRedisKeys,
  runBundleVerifier,
  waitFor,
  type TestDatabase,
} from '@kpi/testing';
import { serviceRegistered, toAppend } from '@kpi/testing/fixtures';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Pool } from 'pg';
import { runAuditExport, type ExportProgress } from './audit-export.job';
import { auditExportProcessing } from './audit-export.processing';
import { findAuditExport, insertAuditExport } from './audit-exports.table';

/**
 * The export job against real PostgreSQL and Redis: what goes into a bundle, the progress it
 * reports, and what a failed attempt leaves behind (nothing) and says (why).
 */
const TENANT = 'acme';
const keys = SigningKeyRing.fromConfig(DEVELOPMENT_SIGNING_KEYS);
const prefix = `test-${randomUUID().slice(0, 8)}`;
let database: TestDatabase;
let pool: Pool;
let directory: string;
let today: string;

beforeAll(async () => {
  database = await createTestDatabase('audit_export_job');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  const store = new PostgresEventStore(pool, eventTypeRegistry());
  directory = await mkdtemp(join(tmpdir(), 'audit-export-job-'));
  today = londonDateOf(new Date());
  for (const serviceId of ['ty-gwyn', 'plas-newydd']) {
    await store.append(
      `${TENANT}:service:${serviceId}`,
      [toAppend(TENANT, serviceRegistered({ serviceId }))],
      'no-stream',
    );
    await store.append(
      `${TENANT}:complaint:c-${serviceId}`,
      [toAppend(TENANT, { type: 'ComplaintLogged', data: { complaintId: 'c', serviceId } })],
      'no-stream',
    );
  }
  await store.append(
    `${TENANT}:region:north`,
    [toAppend(TENANT, { type: 'RegionRegistered', data: { regionId: 'north' } })],
    'no-stream',
  );
  await store.append(
    'other:service:ty-gwyn',
    [toAppend('other', serviceRegistered({ serviceId: 'ty-gwyn' }))],
    'no-stream',
  );
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
  await database?.drop();
  await deleteRedisKeys(prefix);
});

async function anExport(serviceIds: string[] | null): Promise<string> {
  const exportId = `export-${randomUUID().slice(0, 8)}`;
  await insertAuditExport(pool, {
    exportId,
    tenantId: TENANT,
    requesterTenantId: TENANT,
    requestedBy: 'user:auditor',
    grantId: null,
    serviceIds,
    period: { from: today, to: today },
    requestedAt: new Date(),
  });
  return exportId;
}

const filesIn = async (path: string) => (await readdir(path)).sort();

describe('the export job', () => {
  it("writes the scope's streams to a verified bundle, with its progress, hash and Merkle root", async () => {
    const exportDirectory = join(directory, 'scoped');
    const exportId = await anExport(['ty-gwyn']);
    const progress: ExportProgress[] = [];

    const bundle = await runAuditExport(
      { pool, signer: keys.current, exportDirectory },
      exportId,
      async (p) => void progress.push(p),
    );

    const file = join(exportDirectory, `${exportId}.tar.gz`);
    const bytes = await readFile(file);
    expect(bundle).toEqual({
      fileName: `${exportId}.tar.gz`,
      sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      streamsMerkleRoot: expect.stringMatching(/^[0-9a-f]{64}$/),
      events: 2,
      streams: 2,
    });
    expect(progress).toEqual([
      { eventsDone: 0, eventsTotal: 2 },
      { eventsDone: 2, eventsTotal: 2 },
    ]);
    const stored = await findAuditExport(pool, exportId);
    expect(stored).toMatchObject({
      status: 'done',
      attempts: 1,
      progress: { eventsDone: 2, eventsTotal: 2 },
      bundle,
      failure: null,
    });
    const streams = ndjson(tarFile(gunzipSync(bytes), 'streams.ndjson')).map((s) => s.streamId);
    expect(streams).toEqual([`${TENANT}:complaint:c-ty-gwyn`, `${TENANT}:service:ty-gwyn`]);
    const manifest = JSON.parse(tarFile(gunzipSync(bytes), 'manifest.json'));
    expect(manifest.scope).toEqual({ tenantId: TENANT, serviceIds: ['ty-gwyn'] });
    expect(manifest.streamsMerkleRoot).toBe(bundle!.streamsMerkleRoot);
    const keySet = join(directory, 'keys.json');
    await writeFile(keySet, JSON.stringify(keys.jwks()));
    const run = await runBundleVerifier([file, '--public-key', keySet]);
    expect(run.stdout).toContain('every check holds');
    expect(await filesIn(exportDirectory)).toEqual([`${exportId}.tar.gz`]);
  });

  it('takes in every stream of the organisation, and no other tenant’s, without services', async () => {
    const exportDirectory = join(directory, 'whole');
    const exportId = await anExport(null);
    const bundle = await runAuditExport({ pool, signer: keys.current, exportDirectory }, exportId);
    expect(bundle).toMatchObject({ events: 5, streams: 5 });
  });

  it('leaves an export that is done as it is', async () => {
    const exportDirectory = join(directory, 'again');
    const exportId = await anExport(null);
    await runAuditExport({ pool, signer: keys.current, exportDirectory }, exportId);
    const before = await readFile(join(exportDirectory, `${exportId}.tar.gz`));
    expect(
      await runAuditExport({ pool, signer: keys.current, exportDirectory }, exportId),
    ).toBeNull();
    expect(await readFile(join(exportDirectory, `${exportId}.tar.gz`))).toEqual(before);
    expect(await findAuditExport(pool, exportId)).toMatchObject({ status: 'done', attempts: 1 });
  });
});

describe('a failed attempt', () => {
  const failingSigner: BundleSigner = {
    keyId: keys.current.keyId,
    publicJwk: keys.current.publicJwk,
    sign: () => {
      throw new Error('the signing key is unavailable');
    },
  };

  it('leaves no file, is retried, and once no attempt is left the export is failed with the reason; a later run writes it whole', async () => {
    const exportDirectory = join(directory, 'failing');
    const exportId = await anExport(null);
    const processing = auditExportProcessing({
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      prefix,
      pool,
      signer: failingSigner,
      exportDirectory,
    });
    try {
      processing.startProcessor();
      await processing.queue.add(
        'export',
        { exportId },
        { jobId: exportId, attempts: 2, backoff: { type: 'fixed', delay: 1 } },
      );
      const failed = await waitFor(
        async () => {
          const found = await findAuditExport(pool, exportId);
          return found?.status === 'failed' ? found : null;
        },
        { description: 'the export to be marked failed' },
      );
      expect(failed).toMatchObject({
        status: 'failed',
        attempts: 2,
        failure: 'the signing key is unavailable',
        bundle: null,
      });
      expect(await filesIn(exportDirectory)).toEqual([]);
    } finally {
      await processing.close();
    }

    const bundle = await runAuditExport({ pool, signer: keys.current, exportDirectory }, exportId);
    expect(bundle).toMatchObject({ events: 5 });
    expect(await filesIn(exportDirectory)).toEqual([`${exportId}.tar.gz`]);
    expect(await findAuditExport(pool, exportId)).toMatchObject({
      status: 'done',
      attempts: 3,
      failure: null,
    });
  });
});

function tarFile(tar: Buffer, name: string): string {
  for (let at = 0; at + 512 <= tar.length && tar[at] !== 0;) {
    const entry = tar.toString('utf8', at, at + 100).replace(/\0.*$/s, '');
    const size = parseInt(tar.toString('latin1', at + 124, at + 135), 8);
    if (entry === name) return tar.toString('utf8', at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`no ${name} in the bundle`);
}

function ndjson(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
