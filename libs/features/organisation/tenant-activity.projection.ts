import type { RecordedEvent } from '@kpi/event-store';
import { keyedProjection, type KeyedProjectionDefinition } from '@kpi/projections';

/**
 * Tenant activity: per tenant and event type, how many events there are and when the first and
 * last were recorded. Operators use it to see what each organisation is doing; it is also the
 * simplest read model, used by the catch-up benchmark and the runner's crash tests.
 */
export interface TenantActivityRow {
  tenantId: string;
  eventType: string;
  eventCount: number;
  firstRecordedAt: string;
  lastRecordedAt: string;
}

export function evolveTenantActivity(
  row: TenantActivityRow | null,
  event: RecordedEvent,
): TenantActivityRow {
  const recordedAt = event.recordedAt.toISOString();
  if (!row) {
    return {
      tenantId: event.metadata.tenantId,
      eventType: event.type,
      eventCount: 1,
      firstRecordedAt: recordedAt,
      lastRecordedAt: recordedAt,
    };
  }
  return {
    ...row,
    eventCount: row.eventCount + 1,
    lastRecordedAt: recordedAt > row.lastRecordedAt ? recordedAt : row.lastRecordedAt,
  };
}

/** The definition, exported so tests can run copies of it under other names and versions. */
export const tenantActivityDefinition: KeyedProjectionDefinition<TenantActivityRow> = {
  name: 'tenant-activity',
  version: 1,
  table: 'rm_tenant_activity',
  eventTypes: 'all',
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'event_type', type: 'text', field: 'eventType' },
    { name: 'event_count', type: 'bigint', field: 'eventCount' },
    { name: 'first_recorded_at', type: 'timestamptz', field: 'firstRecordedAt' },
    { name: 'last_recorded_at', type: 'timestamptz', field: 'lastRecordedAt' },
  ],
  indexes: [['tenant_id', 'event_type']],
  keyOf: (event) => JSON.stringify([event.metadata.tenantId, event.type]),
  evolve: evolveTenantActivity,
};

export const tenantActivityProjection = keyedProjection(tenantActivityDefinition);
