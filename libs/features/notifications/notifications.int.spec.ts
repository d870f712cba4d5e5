import { randomUUID } from 'node:crypto';
import { monthlyReturnDeadline, type Deadline, type Period } from '@kpi/domain';
import {
  eventStoreMigrations,
  loadCheckpoint,
  migrate,
  PostgresEventStore,
  resetCheckpoint,
  START_OF_LOG,
} from '@kpi/event-store';
import { checkpointNameOf, ensureProjectionReady, ProjectionRunner } from '@kpi/projections';
import { eventTypeRegistry } from '@kpi/runtime';
import { queueCounts } from '@kpi/scheduling';
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
import { planDigests, sendDigest } from './notification-digests';
import { deliverNotification, DeliveryDeferredError } from './notification-delivery';
import { NOTIFICATION_QUEUE, type NotificationJobData } from './notification-jobs';
import { requeueNotifications } from './notification-maintenance';
import { DIGEST_SCHEDULER, notificationScheduling } from './notification-scheduling';
import { startNotificationProcessor } from './notification-processor';
import { NOTIFICATION_REACTOR, notificationReactor } from './notification-reactor';
import { listBounces, readMyNotifications } from './notifications.query';
import { clearBounce, setNotificationPreference } from './notifications.use-cases';

/**
 * The reactor, the processor and a real SMTP server (docs/decisions/0036): each notification
 * reaches each person once, by email, with a stable Message-ID; a digest person gets one email
 * for several; a bounced address is shown to the admin and its mail held.
 */
const connection = { host: '127.0.0.1', port: 6379 };
const prefix = `notify-${randomUUID().slice(0, 8)}`;
const FROM = 'KPI ledger <notifications@kpi-ledger.test>';
/**
 * How long a wait may take: the reactor sees an event only once every older transaction on the
 * server has ended (pg_snapshot_xmin is server-wide), and other specs' run on the same server.
 */
const WAIT_MS = 100_000;
jest.setTimeout(300_000);

let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let smtp: TestSmtpServer;
let mail: MailSender;
let queue: Queue<NotificationJobData>;
let runner: ProjectionRunner;
let processor: Worker<NotificationJobData>;

beforeAll(async () => {
  database = await createTestDatabase('notifications');
  pool = database.pool({ max: 12 });
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  smtp = await startSmtpServer();
  mail = smtpMailSender(smtp.url, FROM);
  queue = new Queue<NotificationJobData>(NOTIFICATION_QUEUE, { connection, prefix });
  const reactor = notificationReactor({ queue });
  await ensureProjectionReady(pool, store, reactor);
  runner = new ProjectionRunner(pool, store, reactor, { batchSize: 100, idlePollMs: 20 });
  runner.start();
  processor = startNotificationProcessor({
    pool,
    mail,
    links: { baseUrl: 'https://kpi.example.org' },
    queue,
    connection,
    prefix,
    outagePauseCapMs: 1_000,
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

const metadata = (tenantId: string) => ({
  tenantId,
  actor: 'system:deadlines',
  correlationId: null,
  causationId: null,
  commandId: randomUUID(),
});

async function append(tenantId: string, streamId: string, type: string, data: object) {
  const eventId = randomUUID();
  await store.append(streamId, [{ eventId, type, data, metadata: metadata(tenantId) }], 'any');
  return eventId;
}

/** An account as the accounts feature keeps it (its table is a published read contract). */
async function account(
  tenantId: string,
  fields: { roles?: string[]; managerId?: string; status?: string } = {},
) {
  const accountId = `acc-${randomUUID().slice(0, 12)}`;
  const email = `${accountId}@${tenantId}.example`;
  await pool.query(
    `INSERT INTO accounts (tenant_id, account_id, email, roles, manager_id, status, invited_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, now(), now())`,
    [
      tenantId,
      accountId,
      email,
      fields.roles ?? ['regional-manager'],
      fields.managerId ?? null,
      fields.status ?? 'active',
    ],
  );
  return { accountId, email };
}

const newTenant = () => `t-${randomUUID().slice(0, 8)}`;

/** A return's deadline passed, missed, telling `to`; the stream is the deadline's. */
function returnMissed(tenantId: string, to: string, period = '2026-10') {
  const deadline = monthlyReturnDeadline(
    { serviceId: 'home-01', regionId: 'north' },
    period as Period,
  );
  return append(tenantId, `${tenantId}:deadline:${deadline.key}`, 'DeadlinePassed', {
    deadline,
    to,
    judgedAt: '2026-11-21T00:00:00.000Z',
    outcome: 'missed',
  });
}

/** An action overdue (kind `action`, as the actions slice writes it), telling its owner's account. */
function actionOverdue(tenantId: string, ownerAccountId: string, actionId: string) {
  const deadline: Deadline = {
    key: `action:${actionId}:2026-11-30`,
    kind: 'action' as Deadline['kind'],
    serviceId: 'home-01',
    subjectId: actionId,
    period: null,
    dueOn: '2026-11-30',
    workAfter: null,
    regionId: null,
  };
  return append(tenantId, `${tenantId}:deadline:${deadline.key}`, 'DeadlinePassed', {
    deadline,
    to: ownerAccountId,
    judgedAt: '2026-12-01T00:00:00.000Z',
    outcome: 'missed',
  });
}

const mailTo = (email: string) => smtp.messages.filter((m) => m.to.includes(email));

async function deliveryRows(tenantId: string, accountId: string) {
  const { rows } = await pool.query<{ notification_id: string; status: string; kind: string }>(
    `SELECT notification_id, status, kind FROM notification_deliveries
      WHERE tenant_id = $1 AND account_id = $2 ORDER BY occurred_at, notification_id`,
    [tenantId, accountId],
  );
  return rows;
}

/** The reactor has read every event appended so far (its checkpoint passed them). */
const reactorCaughtUp = async () =>
  (await store.countEventsAfter(
    await loadCheckpoint(pool, checkpointNameOf(NOTIFICATION_REACTOR)),
  )) === 0;

const queueIdle = async () => {
  const counts = await queueCounts(queue);
  return counts.waiting + counts.active + counts.delayed === 0;
};

describe('notifications that reach people', () => {
  it('a missed return reaches its regional manager once, by email with a stable Message-ID; the generic rule adds nothing for them; a replay of the log sends nothing again', async () => {
    const tenantId = newTenant();
    const gwen = await account(tenantId, { managerId: 'rm-gwen' });
    const eventId = await returnMissed(tenantId, 'rm-gwen');

    const [email] = await waitFor(
      () => (mailTo(gwen.email).length > 0 ? mailTo(gwen.email) : null),
      {
        description: 'the overdue email to rm-gwen',
        timeoutMs: WAIT_MS,
      },
    );
    expect(email).toMatchObject({
      subject: 'The October 2026 return of home-01 is overdue: it was due by 20 November 2026',
      messageId: expect.stringMatching(/^<[0-9a-f]{40}@kpi-ledger\.test>$/),
    });
    expect(email!.text).toContain('Open: https://kpi.example.org/app/returns-due');
    await waitFor(
      async () => (await deliveryRows(tenantId, gwen.accountId))[0]?.status === 'sent',
      { description: 'the delivery marked sent', timeoutMs: WAIT_MS },
    );
    expect(await deliveryRows(tenantId, gwen.accountId)).toEqual([
      { notification_id: `return-overdue~${eventId}`, status: 'sent', kind: 'return-overdue' },
    ]);

    // The whole log read again, as after a lost checkpoint: nothing is added, nothing sent.
    await runner.stop();
    await resetCheckpoint(pool, checkpointNameOf(NOTIFICATION_REACTOR), START_OF_LOG);
    runner.start();
    await waitFor(reactorCaughtUp, {
      description: 'the reactor to read the log again',
      timeoutMs: WAIT_MS,
    });
    await waitFor(queueIdle, { description: 'the queue to be idle', timeoutMs: WAIT_MS });
    expect(await deliveryRows(tenantId, gwen.accountId)).toHaveLength(1);
    expect(mailTo(gwen.email)).toHaveLength(1);
  });

  it('a job run again after the row was sent sends nothing; a claim left by a crashed attempt is taken over, with the same Message-ID', async () => {
    const tenantId = newTenant();
    const owner = await account(tenantId, { roles: ['home-manager'] });
    const eventId = await actionOverdue(tenantId, owner.accountId, 'act-1');
    await waitFor(() => mailTo(owner.email).length === 1, {
      description: 'the action email',
      timeoutMs: WAIT_MS,
    });
    const key = {
      tenantId,
      accountId: owner.accountId,
      notificationId: `deadline-missed~${eventId}`,
    };
    await waitFor(
      async () => (await deliveryRows(tenantId, owner.accountId))[0]?.status === 'sent',
      { description: 'the delivery marked sent', timeoutMs: WAIT_MS },
    );
    const links = {};
    expect(await deliverNotification(pool, mail, links, key, new Date())).toBe('already-sent');

    // A crash after the claim (status `sending`): a new attempt within the claim's time defers…
    await pool.query(
      `UPDATE notification_deliveries SET status = 'sending', claimed_at = $4
        WHERE tenant_id = $1 AND account_id = $2 AND notification_id = $3`,
      [tenantId, owner.accountId, key.notificationId, new Date()],
    );
    await expect(deliverNotification(pool, mail, links, key, new Date())).rejects.toThrow(
      /Another attempt is sending/,
    );
    // …and one after it takes over and sends, recognisably the same message.
    const later = new Date(Date.now() + 3 * 60_000);
    expect(await deliverNotification(pool, mail, links, key, later)).toBe('sent');
    const copies = mailTo(owner.email);
    expect(copies).toHaveLength(2);
    expect(copies[1]!.messageId).toBe(copies[0]!.messageId);
  });

  it('a role reaches its active accounts only: a removed one receives nothing', async () => {
    const tenantId = newTenant();
    const hr = await account(tenantId, { roles: ['hr'] });
    const removed = await account(tenantId, { roles: ['hr'], status: 'removed' });
    const invited = await account(tenantId, { roles: ['hr'], status: 'invited' });
    const other = await account(tenantId, { roles: ['provider-admin'] });
    await append(tenantId, `${tenantId}:capability:mgr-1:home-02:EDU`, 'CapabilityStageEntered', {
      managerId: 'mgr-1',
      serviceId: 'home-02',
      regionId: 'north',
      indicatorCode: 'EDU',
      entryId: 'entry-1',
      stage: 3,
      period: '2026-10',
      consecutiveMisses: 4,
      reviewDue: true,
    });
    await waitFor(() => mailTo(hr.email).length === 1, {
      description: 'HR’s email',
      timeoutMs: WAIT_MS,
    });
    await waitFor(reactorCaughtUp, { description: 'the reactor', timeoutMs: WAIT_MS });
    for (const nobody of [removed, invited, other]) {
      expect(await deliveryRows(tenantId, nobody.accountId)).toEqual([]);
    }
    expect(mailTo(hr.email)[0]!.subject).toBe(
      'A Stage 3 review is due: manager mgr-1 missed EDU at home-02 4 months running',
    );
  });

  it('a person who chose the daily digest gets one email listing several notifications; the day’s run again sends nothing more', async () => {
    const tenantId = newTenant();
    const owner = await account(tenantId, { roles: ['home-manager'] });
    const issued = {
      tenantId,
      actor: owner.accountId,
      correlationId: null,
      commandId: randomUUID(),
      now: new Date(),
    };
    await setNotificationPreference(pool, issued, { mode: 'daily-digest' });
    for (const actionId of ['act-1', 'act-2', 'act-3']) {
      await actionOverdue(tenantId, owner.accountId, actionId);
    }
    await waitFor(
      async () => {
        const rows = await deliveryRows(tenantId, owner.accountId);
        return rows.length === 3 && rows.every((row) => row.status === 'digest');
      },
      { description: 'three notifications left for the digest', timeoutMs: WAIT_MS },
    );
    expect(mailTo(owner.email)).toEqual([]);

    const now = new Date();
    expect(await planDigests(pool, queue, now)).toEqual({ digests: 1 });
    const [digest] = await waitFor(
      () => (mailTo(owner.email).length > 0 ? mailTo(owner.email) : null),
      { description: 'the digest email', timeoutMs: WAIT_MS },
    );
    expect(digest!.subject).toMatch(/^KPI ledger: 3 notifications \(\d{4}-\d{2}-\d{2}\)$/);
    for (const actionId of ['act-1', 'act-2', 'act-3']) expect(digest!.text).toContain(actionId);
    await waitFor(
      async () =>
        (await deliveryRows(tenantId, owner.accountId)).every((row) => row.status === 'sent'),
      { description: 'the rows marked sent', timeoutMs: WAIT_MS },
    );

    await planDigests(pool, queue, now);
    await waitFor(queueIdle, { description: 'the queue to be idle', timeoutMs: WAIT_MS });
    const digestDay = (
      await readMyNotifications(pool, tenantId, {
        accountId: owner.accountId,
        limit: 10,
      })
    ).notifications.every((n) => n.email.status === 'sent');
    expect(digestDay).toBe(true);
    expect(
      await sendDigest(
        pool,
        mail,
        {},
        {
          tenantId,
          accountId: owner.accountId,
          digestDay: (
            await pool.query<{ d: string }>(
              `SELECT digest_day::text AS d FROM notification_digests WHERE account_id = $1`,
              [owner.accountId],
            )
          ).rows[0]!.d,
        },
        new Date(),
      ),
    ).toBe('already-sent');
    expect(mailTo(owner.email)).toHaveLength(1);
  });

  it('a permanent refusal (550) marks the address bounced: the admin sees it, further mail is held, not sent, until the admin clears it', async () => {
    const tenantId = newTenant();
    const owner = await account(tenantId, { roles: ['home-manager'] });
    smtp.reject(owner.email);
    await actionOverdue(tenantId, owner.accountId, 'act-1');
    await waitFor(
      async () => (await deliveryRows(tenantId, owner.accountId))[0]?.status === 'held',
      { description: 'the first notification held after the bounce', timeoutMs: WAIT_MS },
    );
    expect(await listBounces(pool, tenantId)).toEqual([
      expect.objectContaining({
        accountId: owner.accountId,
        email: owner.email,
        smtpCode: 550,
        held: 1,
      }),
    ]);
    expect((await listBounces(pool, tenantId))[0]!.smtpResponse).not.toContain(owner.email);

    await actionOverdue(tenantId, owner.accountId, 'act-2');
    await waitFor(
      async () =>
        (await deliveryRows(tenantId, owner.accountId)).filter((r) => r.status === 'held')
          .length === 2,
      { description: 'the second notification held without a send', timeoutMs: WAIT_MS },
    );
    const { rows } = await pool.query<{ last_error: string }>(
      `SELECT last_error FROM notification_deliveries WHERE account_id = $1 ORDER BY occurred_at DESC LIMIT 1`,
      [owner.accountId],
    );
    expect(rows[0]!.last_error).toBe('the address bounced');

    const admin = {
      tenantId,
      actor: 'acc-admin',
      correlationId: null,
      commandId: randomUUID(),
      now: new Date(),
    };
    expect(await clearBounce(pool, admin, { accountId: owner.accountId })).toEqual({ cleared: 1 });
    expect(await listBounces(pool, tenantId)).toEqual([]);
    smtp.accept(owner.email);
    await actionOverdue(tenantId, owner.accountId, 'act-3');
    await waitFor(() => mailTo(owner.email).length === 1, {
      description: 'mail sent again',
      timeoutMs: WAIT_MS,
    });
    expect(mailTo(owner.email)[0]!.text).toContain('act-3');
  });

  it('after Redis lost its jobs, requeue queues what was not sent from the rows: sent once, and once only when run again', async () => {
    const tenantId = newTenant();
    const owner = await account(tenantId, { roles: ['home-manager'] });
    const eventId = randomUUID();
    // A row the reactor wrote whose job Redis no longer holds.
    await pool.query(
      `INSERT INTO notification_deliveries
         (tenant_id, account_id, notification_id, source_event_id, source_tenant_id, kind,
          subject, facts, link, occurred_at, created_at)
       VALUES ($1, $2, $3, $4, $1, 'deadline-missed', 'Overdue: an action (act-9) was due by 30 November 2026',
               '{}', NULL, now(), now())`,
      [tenantId, owner.accountId, `deadline-missed~${eventId}`, eventId],
    );
    const requeued = await requeueNotifications(pool, queue);
    expect(requeued.deliveries).toBeGreaterThanOrEqual(1);
    await waitFor(() => mailTo(owner.email).length === 1, {
      description: 'the requeued email',
      timeoutMs: WAIT_MS,
    });
    await waitFor(
      async () => (await deliveryRows(tenantId, owner.accountId))[0]?.status === 'sent',
      { description: 'the row marked sent', timeoutMs: WAIT_MS },
    );
    await requeueNotifications(pool, queue);
    await waitFor(queueIdle, { description: 'the queue to be idle', timeoutMs: WAIT_MS });
    expect(mailTo(owner.email)).toHaveLength(1);
  });

  it('an event read more than 7 days after it was recorded (the history, the first time) tells nobody', async () => {
    const tenantId = newTenant();
    const owner = await account(tenantId, { roles: ['home-manager'] });
    await actionOverdue(tenantId, owner.accountId, 'act-old');
    await waitFor(() => mailTo(owner.email).length === 1, {
      description: 'the email of the fresh event',
      timeoutMs: WAIT_MS,
    });
    const [event] = await store.readStream(`${tenantId}:deadline:action:act-old:2026-11-30`);
    const eightDaysOn = new Date(event!.recordedAt.getTime() + 8 * 24 * 3600_000);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // As if this were the first time the reactor read it: no row of it yet.
      for (const table of ['notification_deliveries', 'reactor_notifications']) {
        await client.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [tenantId]);
      }
      await notificationReactor({ queue, clock: () => eightDaysOn }).apply(
        client,
        'reactor_notifications',
        [event!],
      );
      const { rows } = await client.query(
        'SELECT 1 FROM notification_deliveries WHERE tenant_id = $1',
        [tenantId],
      );
      expect(rows).toEqual([]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('a job that runs before the reactor’s transaction has committed its row is tried again, not dropped', async () => {
    const tenantId = newTenant();
    const owner = await account(tenantId, { roles: ['home-manager'] });
    const eventId = randomUUID();
    const key = {
      tenantId,
      accountId: owner.accountId,
      notificationId: `deadline-missed~${eventId}`,
    };
    const reactorTransaction = await pool.connect();
    try {
      await reactorTransaction.query('BEGIN');
      await reactorTransaction.query(
        `INSERT INTO notification_deliveries
           (tenant_id, account_id, notification_id, source_event_id, source_tenant_id, kind,
            subject, facts, link, occurred_at, created_at)
         VALUES ($1, $2, $3, $4, $1, 'deadline-missed', 'Overdue: an action (act-5) was due by 30 November 2026',
                 '{}', NULL, now(), now())`,
        [tenantId, owner.accountId, key.notificationId, eventId],
      );
      await expect(deliverNotification(pool, mail, {}, key, new Date())).rejects.toThrow(
        DeliveryDeferredError,
      );
      await reactorTransaction.query('COMMIT');
    } finally {
      reactorTransaction.release();
    }
    expect(await deliverNotification(pool, mail, {}, key, new Date())).toBe('sent');
    expect(mailTo(owner.email)).toHaveLength(1);
  });

  it('the worker’s wiring registers the digest run at 07:00 London; without SMTP there is no queue, only the rows', async () => {
    const wiringPrefix = `${prefix}-wiring`;
    const redisUrl = `redis://${connection.host}:${connection.port}`;
    const withSmtp = notificationScheduling({
      redisUrl,
      pool,
      mail: smtpMailSender(smtp.url, FROM),
      links: {},
      prefix: wiringPrefix,
    });
    try {
      await withSmtp.start();
      expect(await withSmtp.queue!.getJobScheduler(DIGEST_SCHEDULER)).toMatchObject({
        pattern: '0 7 * * *',
        tz: 'Europe/London',
      });
    } finally {
      await withSmtp.close();
      await deleteRedisKeys(wiringPrefix);
    }
    const pagesOnly = notificationScheduling({ redisUrl, pool, mail: null, links: {} });
    expect(pagesOnly.queue).toBeNull();
    expect(await pagesOnly.start()).toBeNull();
    expect(pagesOnly.reactor.name).toBe(NOTIFICATION_REACTOR);
    await pagesOnly.close();
  });

  it('a bounce holds mail to that address only: once the account’s address changes, mail goes to the new one', async () => {
    const tenantId = newTenant();
    const owner = await account(tenantId, { roles: ['home-manager'] });
    smtp.reject(owner.email);
    await actionOverdue(tenantId, owner.accountId, 'act-1');
    await waitFor(async () => (await listBounces(pool, tenantId)).length === 1, {
      description: 'the bounce',
      timeoutMs: WAIT_MS,
    });
    const newEmail = `new-${owner.email}`;
    await pool.query('UPDATE accounts SET email = $3 WHERE tenant_id = $1 AND account_id = $2', [
      tenantId,
      owner.accountId,
      newEmail,
    ]);
    // The bounce was of the old address: it no longer holds anything, nor is it listed.
    expect(await listBounces(pool, tenantId)).toEqual([]);
    await actionOverdue(tenantId, owner.accountId, 'act-2');
    await waitFor(() => mailTo(newEmail).length === 1, {
      description: 'mail to the new address',
      timeoutMs: WAIT_MS,
    });
    expect(mailTo(newEmail)[0]!.subject).toContain('act-2');
  });
});
