import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import {
  createTestDatabase,
  deleteRedisKeys,
  startSmtpServer,
  waitFor,
  type TestDatabase,
  type TestSmtpServer,
} from '@kpi/testing';
import type { Pool } from 'pg';

const repositoryRoot = join(__dirname, '..', '..', '..');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `notifications-worker-${process.pid}`;

let database: TestDatabase;
let pool: Pool;
let smtp: TestSmtpServer;
beforeAll(async () => {
  database = await createTestDatabase('worker_notifications');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp.close();
  await database.drop();
  await deleteRedisKeys(prefix);
});

describe('the worker’s notifications', () => {
  it('with SMTP_URL set, emails an overdue action to its owner, once, from MAIL_FROM', async () => {
    const tenantId = 'acme';
    await pool.query(
      `INSERT INTO accounts (tenant_id, account_id, email, roles, manager_id, status, invited_at, updated_at)
       VALUES ($1, 'acc-owner', 'owner@acme.example', ARRAY['home-manager'], NULL, 'active', now(), now())`,
      [tenantId],
    );
    const deadline = {
      key: 'action:act-7:2026-11-30',
      kind: 'action',
      serviceId: 'home-01',
      subjectId: 'act-7',
      period: null,
      dueOn: '2026-11-30',
      workAfter: null,
      regionId: null,
    };
    await new PostgresEventStore(pool, eventTypeRegistry()).append(
      `${tenantId}:deadline:${deadline.key}`,
      [
        {
          eventId: randomUUID(),
          type: 'DeadlinePassed',
          data: {
            deadline,
            to: 'acc-owner',
            judgedAt: '2026-12-01T00:00:00.000Z',
            outcome: 'missed',
          },
          metadata: {
            tenantId,
            actor: 'system:deadlines',
            correlationId: null,
            causationId: null,
            commandId: randomUUID(),
          },
        },
      ],
      'no-stream',
    );
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
          JWT_SECRET: 'worker-notifications-secret-of-32-characters',
          WORKER_PROJECTIONS: 'notification-reactor',
          SMTP_URL: smtp.url,
          MAIL_FROM: 'KPI ledger <notifications@acme.example>',
          PUBLIC_BASE_URL: 'https://kpi.acme.example',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    try {
      const [mail] = await waitFor(() => (smtp.messages.length > 0 ? smtp.messages : null), {
        description: 'the worker to email the owner',
        timeoutMs: 90_000,
      });
      expect(mail).toMatchObject({
        from: 'notifications@acme.example',
        to: ['owner@acme.example'],
        subject: 'Overdue: an action (act-7) was due by 30 November 2026',
        messageId: expect.stringMatching(/@acme\.example>$/),
      });
      await waitFor(
        async () => {
          const { rows } = await pool.query<{ status: string }>(
            `SELECT status FROM notification_deliveries WHERE account_id = 'acc-owner'`,
          );
          return rows[0]?.status === 'sent';
        },
        { description: 'the delivery marked sent', timeoutMs: 60_000 },
      );
      expect(smtp.messages).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => {
        if (worker.exitCode !== null || worker.signalCode !== null) return resolve();
        worker.once('exit', () => resolve());
        worker.kill('SIGTERM');
      });
    }
  });
});
