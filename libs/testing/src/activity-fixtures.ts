import { randomUUID } from 'node:crypto';
import { EventTypeRegistry, type EventStore, type NewEvent } from '@kpi/event-store';
import type { Pool } from 'pg';

export const ACTIVITY_TYPES = ['HomeOpened', 'ReturnSubmitted', 'ReturnAmended'] as const;

export const activityRegistry = () =>
  new EventTypeRegistry(ACTIVITY_TYPES.map((type) => ({ type, schemaVersion: 1 })));

export function activityEvent(
  tenantId: string,
  type: (typeof ACTIVITY_TYPES)[number],
  n = 0,
): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data: { n },
    metadata: {
      tenantId,
      actor: 'user:fixture',
      correlationId: null,
      causationId: null,
      commandId: null,
    },
  };
}

/**
 * Appends `batches` batches of 1–3 events spread over tenants and types, and returns the
 * count per "tenant|type" that a correct tenant-activity read model must show.
 */
export async function appendActivity(
  store: EventStore,
  {
    tenants,
    batches,
    label = randomUUID(),
  }: { tenants: string[]; batches: number; label?: string },
): Promise<Map<string, number>> {
  const expected = new Map<string, number>();
  for (let i = 0; i < batches; i++) {
    const tenant = tenants[i % tenants.length]!;
    const events = Array.from({ length: 1 + (i % 3) }, (_, j) =>
      activityEvent(tenant, ACTIVITY_TYPES[(i + j) % 3]!, i),
    );
    await store.append(`activity-${label}-${i % 17}-${tenant}`, events, 'any');
    for (const e of events)
      expected.set(`${tenant}|${e.type}`, (expected.get(`${tenant}|${e.type}`) ?? 0) + 1);
  }
  return expected;
}

/** The read model's counts as "tenant|type" → count, for the given tenants. */
export async function activityCounts(
  pool: Pool,
  tenants: string[],
  table = 'rm_tenant_activity',
): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ tenant_id: string; event_type: string; event_count: string }>(
    `SELECT tenant_id, event_type, event_count FROM ${table} WHERE tenant_id = ANY ($1)`,
    [tenants],
  );
  return new Map(rows.map((r) => [`${r.tenant_id}|${r.event_type}`, Number(r.event_count)]));
}

/** A checksum of a whole table, row by row in key order. */
export async function tableChecksum(pool: Pool, table: string): Promise<string> {
  const { rows } = await pool.query<{ checksum: string | null; rows: string }>(
    `SELECT md5(string_agg(t::text, E'\\n' ORDER BY t.key)) AS checksum, count(*) AS rows FROM ${table} t`,
  );
  return `${rows[0]!.rows}:${rows[0]!.checksum ?? 'empty'}`;
}
