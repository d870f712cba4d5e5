import {
  isStillNews,
  NOTIFICATION_SOURCE_EVENT_TYPES,
  notificationsFor,
  uniqueDeliveries,
  type Delivery,
} from '@kpi/domain';
import type { RecordedEvent } from '@kpi/event-store';
import type { Projection } from '@kpi/projections';
import { withTimeout } from '@kpi/scheduling';
import type { Queue } from 'bullmq';
import type { PoolClient } from 'pg';
import { deliveryJob, type NotificationJobData } from './notification-jobs';
import { refKey, resolveRecipients } from './notification-recipients';

export const NOTIFICATION_REACTOR = 'notification-reactor';

/** How long enqueueing a batch's deliveries may take before the batch fails (Redis away but not refusing). */
const ENQUEUE_TIMEOUT_MS = 15_000;
/** Jobs per addBulk call. */
const ENQUEUE_CHUNK = 1_000;

export interface NotificationReactorOptions {
  /** Where deliveries are queued to be emailed; null keeps them in the pages only (no SMTP_URL). */
  queue: Queue<NotificationJobData> | null;
  clock?: () => Date;
}

/**
 * Turns the events the notification rules read into delivery rows and email jobs
 * (docs/decisions/0036). It runs like the deadline reactor: inside the transaction that moves
 * its checkpoint it inserts one row per notification and person (`ON CONFLICT DO NOTHING`: an
 * event read again adds nothing) and enqueues a job for each row it added, so when Redis is
 * away the batch rolls back and is tried again, and the checkpoint never passes a delivery not
 * queued. Its own table lists what each event made, for operators. Never rebuilt. An event
 * older than NOTIFICATION_MAX_AGE_DAYS when it is read (the history, the first time) tells nobody.
 */
export function notificationReactor(options: NotificationReactorOptions): Projection {
  const clock = options.clock ?? (() => new Date());
  return {
    name: NOTIFICATION_REACTOR,
    version: 1,
    table: 'reactor_notifications',
    eventTypes: NOTIFICATION_SOURCE_EVENT_TYPES,
    rebuildable: false,
    createTable: (table) => `
      CREATE TABLE ${table} (
        notification_id text PRIMARY KEY,
        tenant_id text NOT NULL,
        kind text NOT NULL,
        source_event_id uuid NOT NULL,
        source_position bigint NOT NULL,
        deliveries integer NOT NULL
      )`,
    async apply(tx: PoolClient, table: string, events: readonly RecordedEvent[]) {
      const now = clock();
      const made = events
        .filter((event) => isStillNews(event.recordedAt, now))
        .flatMap((event) =>
          notificationsFor(event).map((notification) => ({ notification, event })),
        );
      if (made.length === 0) return;
      const accounts = await resolveRecipients(
        tx,
        made.flatMap(({ notification }) => notification.recipients),
      );
      const deliveries = uniqueDeliveries(
        made.map(({ notification }) => notification),
        (ref) => accounts.get(refKey(ref)) ?? [],
      );
      const added = await insertDeliveries(tx, deliveries, now);
      if (options.queue && added.length > 0) {
        for (let i = 0; i < added.length; i += ENQUEUE_CHUNK) {
          await withTimeout(
            options.queue.addBulk(
              added.slice(i, i + ENQUEUE_CHUNK).map((key) => deliveryJob(key, now)),
            ),
            ENQUEUE_TIMEOUT_MS,
          );
        }
      }
      const perNotification = new Map<string, number>();
      for (const d of deliveries) {
        const id = d.notification.notificationId;
        perNotification.set(id, (perNotification.get(id) ?? 0) + 1);
      }
      await tx.query(
        `INSERT INTO ${table} (notification_id, tenant_id, kind, source_event_id, source_position, deliveries)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::bigint[], $6::int[])
         ON CONFLICT (notification_id) DO NOTHING`,
        [
          made.map(({ notification }) => notification.notificationId),
          made.map(({ notification }) => notification.tenantId),
          made.map(({ notification }) => notification.kind),
          made.map(({ event }) => event.eventId),
          made.map(({ event }) => event.globalPosition),
          made.map(({ notification }) => perNotification.get(notification.notificationId) ?? 0),
        ],
      );
    },
  };
}

/** Inserts the rows not there yet; answers the keys of those it added. */
async function insertDeliveries(tx: PoolClient, deliveries: readonly Delivery[], now: Date) {
  if (deliveries.length === 0) return [];
  const { rows } = await tx.query<{
    tenant_id: string;
    account_id: string;
    notification_id: string;
  }>(
    `INSERT INTO notification_deliveries
       (tenant_id, account_id, notification_id, source_event_id, source_tenant_id, kind, subject,
        facts, link, occurred_at, created_at)
     SELECT t, a, n, e, st, k, s, f, l, o, $11
       FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[],
                   $7::text[], $8::jsonb[], $9::text[], $10::timestamptz[])
            AS u (t, a, n, e, st, k, s, f, l, o)
     ON CONFLICT DO NOTHING
     RETURNING tenant_id, account_id, notification_id`,
    [
      deliveries.map((d) => d.recipientTenantId),
      deliveries.map((d) => d.accountId),
      deliveries.map((d) => d.notification.notificationId),
      deliveries.map((d) => d.notification.sourceEventId),
      deliveries.map((d) => d.notification.tenantId),
      deliveries.map((d) => d.notification.kind),
      deliveries.map((d) => d.notification.subject),
      deliveries.map((d) => JSON.stringify(d.notification.facts)),
      deliveries.map((d) => d.notification.link),
      deliveries.map((d) => d.notification.occurredAt),
      now,
    ],
  );
  return rows.map((row) => ({
    tenantId: row.tenant_id,
    accountId: row.account_id,
    notificationId: row.notification_id,
  }));
}
