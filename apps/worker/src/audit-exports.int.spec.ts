import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { londonDateOf } from '@kpi/domain';
import { eventStoreMigrations, migrate } from '@kpi/event-store';
import { AUDIT_EXPORTS_QUEUE, enqueueAuditExport } from '@kpi/features/audit-exports';
import { createTestDatabase, deleteRedisKeys, waitFor, type TestDatabase } from '@kpi/testing';
import { Queue } from 'bullmq';
import type { Pool } from 'pg';

const repositoryRoot = join(__dirname, '..', '..', '..');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `audit-exports-worker-${process.pid}`;

let database: TestDatabase;
let pool: Pool;
let directory: string;
beforeAll(async () => {
  database = await createTestDatabase('worker_audit_exports');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  directory = await mkdtemp(join(tmpdir(), 'worker-audit-exports-'));
});
afterAll(async () => {
  await database.drop();
  await deleteRedisKeys(prefix);
  await rm(directory, { recursive: true, force: true });
});

describe('the worker’s exports', () => {
  it('takes an export from the queue and writes its bundle to EXPORT_DIR', async () => {
    const today = londonDateOf(new Date());
    await pool.query(
      `INSERT INTO audit_exports (export_id, tenant_id, requester_tenant_id, requested_by,
                                  period_from, period_to, requested_at)
       VALUES ('export-0000000000000001', 'acme', 'acme', 'user:auditor', $1, $1, now())`,
      [today],
    );
    const exportDirectory = join(directory, 'exports');
    const worker: ChildProcess = spawn(
      process.execPath,
      ['-r', './scripts/register.js', 'apps/worker/src/main.ts'],
      {
        cwd: repositoryRoot,
        env: {
          ...process.env,
          NODE_ENV: 'test',
          DATABASE_URL: database.url,
          REDIS_URL: redisUrl,
          BULLMQ_PREFIX: prefix,
          EXPORT_DIR: exportDirectory,
          JWT_SECRET: 'worker-audit-exports-secret-of-32-characters',
          WORKER_PROJECTIONS: 'tenant-activity',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    const queue = new Queue(AUDIT_EXPORTS_QUEUE, { connection: { url: redisUrl }, prefix });
    try {
      await enqueueAuditExport(queue, 'export-0000000000000001');
      await waitFor(
        async () => {
          const { rows } = await pool.query<{ status: string }>(
            `SELECT status FROM audit_exports WHERE export_id = 'export-0000000000000001'`,
          );
          return rows[0]?.status === 'done';
        },
        { description: 'the worker to finish the export', timeoutMs: 60_000 },
      );
      expect(await readdir(exportDirectory)).toEqual(['export-0000000000000001.tar.gz']);
    } finally {
      await queue.close();
      await new Promise<void>((resolve) => {
        if (worker.exitCode !== null || worker.signalCode !== null) return resolve();
        worker.once('exit', () => resolve());
        worker.kill('SIGTERM');
      });
    }
  });
});
