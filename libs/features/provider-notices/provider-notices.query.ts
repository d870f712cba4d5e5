import {
  handBackStatus,
  PROVIDER_NOTIFICATION_KINDS,
  type FinancialQuarter,
  type ProviderNotificationKind,
} from '@kpi/domain';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import {
  providerNotificationsProjection,
  type ProviderNotificationRow,
} from './provider-notices.projection';

/*
 * Reads of rm_provider_notifications. The council reads every provider's; a provider only its
 * own (anyone else finds nothing). Who a notification concerns and what happened are not here:
 * they are sealed, and read from the notification's stream.
 */

export interface NotificationsParams {
  councilId: string;
  quarter: FinancialQuarter;
  /** Only the packages of this framework of the council's; by default all of them. */
  frameworkId?: string;
}

/** One notification as listed. */
export interface ProviderNotificationListed {
  notificationId: string;
  frameworkId: string;
  packageId: string;
  providerId: string;
  kind: ProviderNotificationKind;
  occurredAt: string;
  notifiedAt: string;
  dueBy: string;
  late: boolean;
  acknowledgedAt: string | null;
}

export interface ProviderNotificationList {
  councilId: string;
  quarter: string;
  notifications: ProviderNotificationListed[];
}

/** A provider's notifications in a quarter: how many of each kind, how many late, not yet acknowledged. */
export interface ProviderNotificationCount {
  providerId: string;
  total: number;
  byKind: Record<ProviderNotificationKind, number>;
  late: number;
  unacknowledged: number;
}

export interface ProviderNotificationCounts {
  councilId: string;
  quarter: string;
  providers: ProviderNotificationCount[];
}

export interface HandBackNoticeListed {
  packageId: string;
  frameworkId: string;
  providerId: string;
  noticeGivenAt: string;
  handBackAt: string;
  /** Judged now: still the provider's, or back with the council. */
  status: 'notice-pending' | 'handed-back';
}

export interface HandBackNotices {
  councilId: string;
  notices: HandBackNoticeListed[];
}

export class ListProviderNotifications extends FeatureQuery<
  NotificationsParams,
  ProviderNotificationList
> {}

export class ReadProviderNotificationCounts extends FeatureQuery<
  NotificationsParams,
  ProviderNotificationCounts
> {}

export interface HandBackNoticesParams {
  councilId: string;
  pendingOnly: boolean;
  frameworkId?: string;
}

export class ListHandBackNotices extends FeatureQuery<HandBackNoticesParams, HandBackNotices> {}

/**
 * Rows the caller may see: the council all of its own, a provider its own ($2); of one
 * framework ($3) when asked.
 */
const VISIBLE = `tenant_id = $1 AND ($2::text IS NULL OR provider_id = $2)
  AND ($3::text IS NULL OR framework_id = $3)`;
const visibleTo = (callerTenantId: string, councilId: string) =>
  callerTenantId === councilId ? null : callerTenantId;
const IN_QUARTER = `(occurred_at AT TIME ZONE 'Europe/London')::date BETWEEN $4::date AND $5::date`;

/** The notifications that happened in a quarter, oldest first. */
export async function listProviderNotifications(
  db: Queryable,
  callerTenantId: string,
  params: NotificationsParams,
): Promise<ProviderNotificationList> {
  const { councilId, quarter } = params;
  const rows = await notificationRows(db, callerTenantId, params);
  return {
    councilId,
    quarter: quarter.quarter,
    notifications: rows.map((row) => ({
      notificationId: row.id,
      frameworkId: row.frameworkId,
      packageId: row.packageId,
      providerId: row.providerId,
      kind: row.kind!,
      occurredAt: row.occurredAt!,
      notifiedAt: row.notifiedAt,
      dueBy: row.dueBy!,
      late: row.late,
      acknowledgedAt: row.acknowledgedAt,
    })),
  };
}

/** Per provider, the notifications of a quarter counted by kind, late and unacknowledged. */
export async function readProviderNotificationCounts(
  db: Queryable,
  callerTenantId: string,
  params: NotificationsParams,
): Promise<ProviderNotificationCounts> {
  const { councilId, quarter } = params;
  const rows = await notificationRows(db, callerTenantId, params);
  const byProvider = new Map<string, ProviderNotificationCount>();
  for (const row of rows) {
    let count = byProvider.get(row.providerId);
    if (!count) {
      count = {
        providerId: row.providerId,
        total: 0,
        byKind: Object.fromEntries(PROVIDER_NOTIFICATION_KINDS.map((k) => [k, 0])) as Record<
          ProviderNotificationKind,
          number
        >,
        late: 0,
        unacknowledged: 0,
      };
      byProvider.set(row.providerId, count);
    }
    count.total += 1;
    count.byKind[row.kind!] += 1;
    if (row.late) count.late += 1;
    if (row.acknowledgedAt === null) count.unacknowledged += 1;
  }
  return {
    councilId,
    quarter: quarter.quarter,
    providers: [...byProvider.values()].sort((a, b) => a.providerId.localeCompare(b.providerId)),
  };
}

/** Packages given back (§51), soonest first; with `pendingOnly`, those still the provider's. */
export async function listHandBackNotices(
  db: Queryable,
  callerTenantId: string,
  { councilId, pendingOnly, frameworkId }: HandBackNoticesParams,
  { now }: Pick<QueryReading, 'now'>,
): Promise<HandBackNotices> {
  const rows = await providerNotificationsProjection.rows(
    db,
    `${VISIBLE} AND record = 'hand-back' AND ($4::boolean = false OR hand_back_at > $5)`,
    [councilId, visibleTo(callerTenantId, councilId), frameworkId ?? null, pendingOnly, now],
    'hand_back_at, package_id',
  );
  return {
    councilId,
    notices: rows.map((row) => ({
      packageId: row.packageId,
      frameworkId: row.frameworkId,
      providerId: row.providerId,
      noticeGivenAt: row.notifiedAt,
      handBackAt: row.handBackAt!,
      status: handBackStatus(
        { providerId: row.providerId, noticeGivenAt: row.notifiedAt, handBackAt: row.handBackAt! },
        now,
      ) as HandBackNoticeListed['status'],
    })),
  };
}

function notificationRows(
  db: Queryable,
  callerTenantId: string,
  { councilId, quarter, frameworkId }: NotificationsParams,
): Promise<ProviderNotificationRow[]> {
  return providerNotificationsProjection.rows(
    db,
    `${VISIBLE} AND record = 'notification' AND ${IN_QUARTER}`,
    [
      councilId,
      visibleTo(callerTenantId, councilId),
      frameworkId ?? null,
      quarter.firstDay,
      quarter.lastDay,
    ],
    'occurred_at, id',
  );
}
