import type { Issued } from '@kpi/command-handling';
import { NotFoundError, type NotificationMode } from '@kpi/domain';
import type { Pool } from 'pg';

/*
 * What people do with their notifications: settings and marks in mutable tables (no event:
 * they change no fact the trail records). The person is the command's actor, in its tenant.
 */

/** Sets the caller's choice of immediate or daily-digest email (a later notification follows it). */
export async function setNotificationPreference(
  pool: Pool,
  issued: Issued,
  { mode }: { mode: NotificationMode },
): Promise<{ mode: NotificationMode }> {
  await pool.query(
    `INSERT INTO notification_preferences (tenant_id, account_id, mode, updated_at)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, account_id) DO UPDATE SET mode = EXCLUDED.mode, updated_at = EXCLUDED.updated_at`,
    [issued.tenantId, issued.actor, mode, issued.now],
  );
  return { mode };
}

/** Marks the caller's notifications read (ids not theirs are ignored); answers what is left unread. */
export async function markNotificationsRead(
  pool: Pool,
  issued: Issued,
  { notificationIds }: { notificationIds: string[] | 'all' },
): Promise<{ marked: number; unread: number }> {
  const { rowCount } = await pool.query(
    `UPDATE notification_deliveries SET read_at = $3
      WHERE tenant_id = $1 AND account_id = $2 AND read_at IS NULL
        AND ($4::text[] IS NULL OR notification_id = ANY ($4))`,
    [issued.tenantId, issued.actor, issued.now, notificationIds === 'all' ? null : notificationIds],
  );
  const { rows } = await pool.query<{ unread: number }>(
    `SELECT count(*)::int AS unread FROM notification_deliveries
      WHERE tenant_id = $1 AND account_id = $2 AND read_at IS NULL`,
    [issued.tenantId, issued.actor],
  );
  return { marked: rowCount ?? 0, unread: rows[0]?.unread ?? 0 };
}

/**
 * Clears the bounces of an account of the caller's organisation: its next notifications are
 * emailed again (those held meanwhile stay in the person's page). 404 when it has none.
 */
export async function clearBounce(
  pool: Pool,
  issued: Issued,
  { accountId }: { accountId: string },
): Promise<{ cleared: number }> {
  const { rowCount } = await pool.query(
    'DELETE FROM notification_bounces WHERE tenant_id = $1 AND account_id = $2',
    [issued.tenantId, accountId],
  );
  if (!rowCount) throw new NotFoundError(`No address of account ${accountId} has bounced`);
  return { cleared: rowCount };
}
