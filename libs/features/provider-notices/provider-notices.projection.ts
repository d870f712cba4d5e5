import type {
  HandBackEvent,
  ProviderNotificationEvent,
  ProviderNotificationKind,
} from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';

/**
 * What providers told a council (seed 004 §72–73) and the packages they gave notice to hand
 * back (§51), without who it concerned or what happened (those are sealed, read from the
 * streams): what the counts per provider per quarter and the pending notices read.
 */
export interface ProviderNotificationRow {
  /** The council. */
  tenantId: string;
  /** `notification` or `hand-back`. */
  record: 'notification' | 'hand-back';
  /** The notification's id, or the package's for a hand-back notice. */
  id: string;
  frameworkId: string;
  packageId: string;
  providerId: string;
  /** Notifications only (null for a hand-back notice), as are the times down to dueBy. */
  kind: ProviderNotificationKind | null;
  occurredAt: string | null;
  /** When the council was told: the notice's time for a hand-back. */
  notifiedAt: string;
  dueBy: string | null;
  late: boolean;
  acknowledgedAt: string | null;
  /** Hand-back notices only: when the package returns to the council. */
  handBackAt: string | null;
}

type NotificationsEvent = ProviderNotificationEvent | HandBackEvent;

export const PROVIDER_NOTIFICATION_EVENT_TYPES = [
  'ProviderNotificationLogged',
  'ProviderNotificationAcknowledged',
  'PackageHandBackNoticeGiven',
] as const satisfies readonly NotificationsEvent['type'][];

const keyOf = (event: Recorded<NotificationsEvent>): string =>
  event.type === 'PackageHandBackNoticeGiven'
    ? JSON.stringify([event.metadata.tenantId, 'hand-back', event.data.packageId])
    : JSON.stringify([event.metadata.tenantId, 'notification', event.data.notificationId]);

export function evolveProviderNotification(
  row: ProviderNotificationRow | null,
  event: Recorded<NotificationsEvent>,
): ProviderNotificationRow | null {
  switch (event.type) {
    case 'ProviderNotificationLogged': {
      const { data } = event;
      return (
        row ?? {
          tenantId: event.metadata.tenantId,
          record: 'notification',
          id: data.notificationId,
          frameworkId: data.frameworkId,
          packageId: data.packageId,
          providerId: data.providerId,
          kind: data.kind,
          occurredAt: data.occurredAt,
          notifiedAt: data.notifiedAt,
          dueBy: data.dueBy,
          late: data.late,
          acknowledgedAt: null,
          handBackAt: null,
        }
      );
    }
    case 'ProviderNotificationAcknowledged':
      return row && { ...row, acknowledgedAt: row.acknowledgedAt ?? event.data.acknowledgedAt };
    case 'PackageHandBackNoticeGiven': {
      const { data } = event;
      return (
        row ?? {
          tenantId: event.metadata.tenantId,
          record: 'hand-back',
          id: data.packageId,
          frameworkId: data.frameworkId,
          packageId: data.packageId,
          providerId: data.providerId,
          kind: null,
          occurredAt: null,
          notifiedAt: data.noticeGivenAt,
          dueBy: null,
          late: false,
          acknowledgedAt: null,
          handBackAt: data.handBackAt,
        }
      );
    }
    default: {
      const _unexpected: never = event;
      return row;
    }
  }
}

export const providerNotificationsProjection = keyedProjection<ProviderNotificationRow>({
  name: 'provider-notifications',
  version: 1,
  table: 'rm_provider_notifications',
  eventTypes: PROVIDER_NOTIFICATION_EVENT_TYPES,
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'record', type: 'text', field: 'record' },
    { name: 'id', type: 'text', field: 'id' },
    { name: 'framework_id', type: 'text', field: 'frameworkId' },
    { name: 'package_id', type: 'text', field: 'packageId' },
    { name: 'provider_id', type: 'text', field: 'providerId' },
    { name: 'kind', type: 'text', field: 'kind', nullable: true },
    { name: 'occurred_at', type: 'timestamptz', field: 'occurredAt', nullable: true },
    { name: 'notified_at', type: 'timestamptz', field: 'notifiedAt' },
    { name: 'due_by', type: 'timestamptz', field: 'dueBy', nullable: true },
    { name: 'late', type: 'boolean', field: 'late' },
    { name: 'acknowledged_at', type: 'timestamptz', field: 'acknowledgedAt', nullable: true },
    { name: 'hand_back_at', type: 'timestamptz', field: 'handBackAt', nullable: true },
  ],
  indexes: [
    ['tenant_id', 'record', 'occurred_at'],
    ['tenant_id', 'record', 'hand_back_at'],
  ],
  keyOf: (event) => {
    const recorded = recordedOneOf<NotificationsEvent>(event, PROVIDER_NOTIFICATION_EVENT_TYPES);
    return recorded && keyOf(recorded);
  },
  evolve: (row, event) => {
    const recorded = recordedOneOf<NotificationsEvent>(event, PROVIDER_NOTIFICATION_EVENT_TYPES);
    return recorded ? evolveProviderNotification(row, recorded) : row;
  },
});
