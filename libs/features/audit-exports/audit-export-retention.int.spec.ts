import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConflictError } from '@kpi/domain';
import { eventStoreMigrations, migrate } from '@kpi/event-store';
import { createTestDatabase, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { expireAuditExportBundles } from './audit-export-retention';
import { openAuditExportBundle, readAuditExport } from './audit-exports.query';
import { insertAuditExport, markDone } from './audit-exports.table';

const DAY = 24 * 60 * 60 * 1000;
const now = new Date('2026-12-07T03:00:00Z');

let database: TestDatabase;
let pool: Pool;
let exportDirectory: string;
beforeAll(async () => {
  database = await createTestDatabase('audit_export_retention');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  exportDirectory = await mkdtemp(join(tmpdir(), 'export-retention-'));
});
afterAll(async () => {
  await database.drop();
  await rm(exportDirectory, { recursive: true, force: true });
});

/** An export of `tenant-a`'s own trail, done `daysAgo` days before now, its file written. */
async function exportDone(exportId: string, daysAgo: number, { file = true } = {}) {
  const finishedAt = new Date(now.getTime() - daysAgo * DAY);
  await insertAuditExport(pool, {
    exportId,
    tenantId: 'tenant-a',
    requesterTenantId: 'tenant-a',
    requestedBy: 'user:ann',
    grantId: null,
    serviceIds: null,
    period: { from: '2025-04-01', to: '2026-03-31' },
    requestedAt: finishedAt,
  });
  await markDone(pool, exportId, {
    finishedAt,
    fileName: `${exportId}.tar.gz`,
    sizeBytes: 4,
    sha256: 'a'.repeat(64),
    streamsMerkleRoot: 'b'.repeat(64),
    events: 10,
    streams: 2,
  });
  if (file) await writeFile(join(exportDirectory, `${exportId}.tar.gz`), 'gzip');
}

describe('exports past their retention', () => {
  it('have their bundle deleted and are marked expired, the newer ones kept; a second run does nothing', async () => {
    await exportDone('export-old', 31);
    await exportDone('export-just-kept', 29);
    await exportDone('export-old-file-gone', 40, { file: false });

    const settings = { exportDirectory, retentionDays: 30, now };
    await expect(expireAuditExportBundles(pool, settings)).resolves.toBe(2);
    expect((await readdir(exportDirectory)).sort()).toEqual(['export-just-kept.tar.gz']);

    const old = await readAuditExport(pool, 'tenant-a', { exportId: 'export-old', grantId: null });
    expect(old).toMatchObject({
      status: 'expired',
      expiredAt: now.toISOString(),
      bundle: { sha256: 'a'.repeat(64), streamsMerkleRoot: 'b'.repeat(64) },
    });
    const kept = { exportId: 'export-just-kept', grantId: null };
    expect(await readAuditExport(pool, 'tenant-a', kept)).toMatchObject({
      status: 'done',
      expiredAt: null,
    });
    await expect(openAuditExportBundle(pool, 'tenant-a', kept)).resolves.toBeDefined();

    await expect(expireAuditExportBundles(pool, settings)).resolves.toBe(0);
  });

  it('refuses the download of an expired bundle with 409, saying when and what to do', async () => {
    await exportDone('export-expired-download', 60);
    await expireAuditExportBundles(pool, { exportDirectory, retentionDays: 30, now });
    const download = openAuditExportBundle(pool, 'tenant-a', {
      exportId: 'export-expired-download',
      grantId: null,
    });
    await expect(download).rejects.toBeInstanceOf(ConflictError);
    await expect(download).rejects.toThrow(
      /was deleted on 2026-12-07, its retention over: ask for a new export of the same period/,
    );
  });
});
