import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SIGN_IN_HOUSEKEEPING_EVERY_MS } from '@kpi/features/accounts';
import { eventStoreMigrations, migrate } from '@kpi/event-store';
import { createTestDatabase, deleteRedisKeys, waitFor, type TestDatabase } from '@kpi/testing';
import { Queue } from 'bullmq';
import type { Pool } from 'pg';
import { EXPORT_RETENTION_EVERY_MS } from '@kpi/features/audit-exports';
import {
  EXPIRE_EXPORT_BUNDLES,
  housekeeping,
  HOUSEKEEPING_QUEUE,
  PURGE_SIGN_IN_RECORDS,
} from './housekeeping';

const repositoryRoot = join(__dirname, '..', '..', '..');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefixes = [`housekeeping-${process.pid}`, `housekeeping-worker-${process.pid}`] as const;

let database: TestDatabase;
let pool: Pool;
beforeAll(async () => {
  database = await createTestDatabase('worker_housekeeping');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
});
afterAll(async () => {
  await database.drop();
  for (const prefix of prefixes) await deleteRedisKeys(prefix);
});

/** A lockout that lapsed an hour ago: the purge deletes it. */
async function lapsedLockout(subject: string): Promise<void> {
  await pool.query(
    `INSERT INTO sign_in_lockouts (subject, locked_until) VALUES ($1, now() - interval '1 hour')`,
    [subject],
  );
}

const lockoutGone = async (subject: string) =>
  (await pool.query('SELECT 1 FROM sign_in_lockouts WHERE subject = $1', [subject])).rowCount === 0;

describe('the worker’s housekeeping', () => {
  it('registers the hourly purge of sign-in records and expiry of export bundles as job schedulers, and runs them', async () => {
    await lapsedLockout('ip:10.1.1.1');
    const jobs = housekeeping(
      pool,
      { exportDirectory: join(repositoryRoot, 'var', 'no-exports'), retentionDays: 30 },
      { redisUrl, prefix: prefixes[0] },
    );
    try {
      await jobs.start();
      const scheduler = await jobs.queue.getJobScheduler(PURGE_SIGN_IN_RECORDS);
      expect(scheduler).toMatchObject({ every: SIGN_IN_HOUSEKEEPING_EVERY_MS });
      const expiry = await jobs.queue.getJobScheduler(EXPIRE_EXPORT_BUNDLES);
      expect(expiry).toMatchObject({ every: EXPORT_RETENTION_EVERY_MS });
      await waitFor(() => lockoutGone('ip:10.1.1.1'), {
        description: 'the first run to delete the lapsed lockout',
      });
    } finally {
      await jobs.close();
    }
  });

  it('is started by the worker process', async () => {
    await lapsedLockout('ip:10.1.1.2');
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
          BULLMQ_PREFIX: prefixes[1],
          JWT_SECRET: 'worker-housekeeping-secret-of-32-characters',
          WORKER_PROJECTIONS: 'tenant-activity',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    const queue = new Queue(HOUSEKEEPING_QUEUE, {
      connection: { url: redisUrl },
      prefix: prefixes[1],
    });
    try {
      await waitFor(() => queue.getJobScheduler(PURGE_SIGN_IN_RECORDS), {
        description: 'the worker to register the purge',
        timeoutMs: 60_000,
      });
      await waitFor(() => lockoutGone('ip:10.1.1.2'), {
        description: 'the worker to delete the lapsed lockout',
      });
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
