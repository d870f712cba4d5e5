import { randomUUID } from 'node:crypto';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { ensureProjectionReady, ProjectionRunner } from '@kpi/projections';
import { eventTypeRegistry } from '@kpi/runtime';
import {
  createTestDatabase,
  deleteRedisKeys,
  startSmtpServer,
  waitFor,
  type TestDatabase,
  type TestSmtpServer,
} from '@kpi/testing';
import { Queue, type Worker } from 'bullmq';
import type { Pool } from 'pg';
import { smtpMailSender, type MailSender } from './mail-sender';
import { NOTIFICATION_QUEUE, type NotificationJobData } from './notification-jobs';
import { startNotificationProcessor } from './notification-processor';
import { notificationReactor } from './notification-reactor';

/**
 * 10,000 due notifications while the SMTP server is down for 30 s (docs/decisions/0036): each is
 * delivered exactly once after it returns, counted by Message-ID at the server.
 */
const connection = { host: '127.0.0.1', port: 6379 };
const prefix = `notify-outage-${randomUUID().slice(0, 8)}`;
const PEOPLE = 100;
const EVENTS = 100; // × PEOPLE = 10,000 deliveries
const OUTAGE_MS = 30_000;
// About 70 s on a busy 2-core machine (the 30 s outage, then the sending): room for a busier one.
jest.setTimeout(240_000);

let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let smtp: TestSmtpServer;
let mail: MailSender;
let queue: Queue<NotificationJobData>;
let runner: ProjectionRunner;
let processor: Worker<NotificationJobData>;

beforeAll(async () => {
  database = await createTestDatabase('notifications_outage');
  pool = database.pool({ max: 16 });
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  smtp = await startSmtpServer();
  mail = smtpMailSender(smtp.url, 'KPI ledger <notifications@kpi-ledger.test>');
  queue = new Queue<NotificationJobData>(NOTIFICATION_QUEUE, { connection, prefix });
  const reactor = notificationReactor({ queue });
  await ensureProjectionReady(pool, store, reactor);
  runner = new ProjectionRunner(pool, store, reactor, { batchSize: 20, idlePollMs: 20 });
  processor = startNotificationProcessor({
    pool,
    mail,
    links: {},
    queue,
    connection,
    prefix,
    concurrency: 16,
    perSecond: 2_000,
    outagePauseCapMs: 2_000,
  });
});
afterAll(async () => {
  await runner.stop();
  await processor.close();
  await queue.close();
  mail.close();
  await smtp.close();
  await deleteRedisKeys(prefix);
  await database.drop();
});

const counts = async () => {
  const { rows } = await pool.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM notification_deliveries GROUP BY status`,
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
};

describe('an SMTP server down for 30 s under 10,000 due notifications', () => {
  it('delivers each exactly once after it returns', async () => {
    const tenantId = `t-${randomUUID().slice(0, 8)}`;
    await pool.query(
      `INSERT INTO accounts (tenant_id, account_id, email, roles, manager_id, status, invited_at, updated_at)
       SELECT $1, 'acc-' || i, 'hr-' || i || '@outage.example', ARRAY['hr'], NULL, 'active', now(), now()
         FROM generate_series(1, $2::int) AS i`,
      [tenantId, PEOPLE],
    );
    await smtp.stop();
    const stoppedAt = Date.now();
    for (let i = 0; i < EVENTS; i += 1) {
      await store.append(
        `${tenantId}:capability:mgr-${i}:home-${i}:EDU`,
        [
          {
            eventId: randomUUID(),
            type: 'CapabilityStageEntered',
            data: {
              managerId: `mgr-${i}`,
              serviceId: `home-${i}`,
              regionId: 'north',
              indicatorCode: 'EDU',
              entryId: `entry-${i}`,
              stage: 3,
              period: '2026-10',
              consecutiveMisses: 4,
              reviewDue: true,
            },
            metadata: {
              tenantId,
              actor: 'system:capability',
              correlationId: null,
              causationId: null,
              commandId: randomUUID(),
            },
          },
        ],
        'no-stream',
      );
    }
    runner.start();
    const total = async () => Object.values(await counts()).reduce((a, b) => a + b, 0);
    await waitFor(async () => (await total()) === PEOPLE * EVENTS, {
      description: 'the reactor to add the 10,000 deliveries',
      timeoutMs: 60_000,
    });
    // The queue has tried and met the server away (a try, and the error it left).
    await waitFor(
      async () => {
        const { rows } = await pool.query(
          `SELECT 1 FROM notification_deliveries WHERE last_error IS NOT NULL LIMIT 1`,
        );
        return rows.length > 0;
      },
      { description: 'a delivery to fail while the server is down' },
    );
    // The outage lasts 30 s from the stop (the figure), watched throughout: nothing may
    // reach the server while it is away.
    await waitFor(
      () => {
        if (smtp.messages.length > 0) throw new Error('a message was delivered during the outage');
        return Date.now() - stoppedAt >= OUTAGE_MS;
      },
      { description: 'the outage to last 30 s', timeoutMs: OUTAGE_MS + 60_000, intervalMs: 250 },
    );
    expect(smtp.messages).toHaveLength(0);
    expect((await counts()).sent).toBeUndefined();

    await smtp.start();
    await waitFor(async () => (await counts()).sent === PEOPLE * EVENTS, {
      description: 'every delivery sent',
      timeoutMs: 240_000,
      intervalMs: 500,
    });
    const messageIds = smtp.messages.map((m) => m.messageId);
    expect(messageIds).toHaveLength(PEOPLE * EVENTS);
    expect(new Set(messageIds).size).toBe(PEOPLE * EVENTS);
    expect(await queue.getJobCountByTypes('failed')).toBe(0);
  });
});
