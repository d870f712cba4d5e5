import { uuidFromParts } from '@kpi/command-handling';
import {
  serviceKey,
  type CapabilityRecordEvent,
  type CapabilityWorkingSet,
  type Period,
} from '@kpi/domain';
import type {
  GlobalCheckpoint,
  NewEvent,
  PostgresEventStore,
  RecordedEvent,
} from '@kpi/event-store';
import type { PoolClient } from 'pg';

/*
 * What the escalation process writes in the batch's transaction (step 3 of
 * capability-escalation.process.ts): the changed facts, and the counters' decided events
 * appended at the versions read.
 */

export const CAPABILITY_ESCALATION = 'capability-escalation';
export const CAPABILITY_ESCALATION_ACTOR = `system:${CAPABILITY_ESCALATION}`;

export async function saveFacts(
  tx: PoolClient,
  table: string,
  set: CapabilityWorkingSet,
  applied: ReadonlyMap<string, GlobalCheckpoint>,
): Promise<void> {
  const rows: {
    key: string;
    tenantId: string;
    kind: string;
    serviceId: string | null;
    frameworkId: string | null;
    facts: unknown;
    applied: GlobalCheckpoint | null;
  }[] = [];
  // A home's row carries the position of the last event taken in for it (months, reviews too).
  const servicesToSave = new Set(set.changed.services);
  for (const key of applied.keys())
    if (key.startsWith('service:')) servicesToSave.add(key.slice(8));
  for (const key of set.changed.months) {
    const [tenantId, serviceId] = JSON.parse(key) as [string, string];
    servicesToSave.add(serviceKey(tenantId, serviceId));
  }
  for (const key of servicesToSave) {
    const facts = set.services.get(key);
    if (!facts) continue;
    const [tenantId, serviceId] = JSON.parse(key) as [string, string];
    rows.push({
      key: `service:${key}`,
      tenantId,
      kind: 'service',
      serviceId,
      frameworkId: facts.frameworkId,
      facts,
      applied: applied.get(`service:${key}`) ?? null,
    });
  }
  for (const key of set.changed.months) {
    const [tenantId, serviceId, period] = JSON.parse(key) as [string, string, Period];
    const facts = set.months.get(serviceKey(tenantId, serviceId))!.get(period)!;
    rows.push({
      key: `month:${key}`,
      tenantId,
      kind: 'month',
      serviceId,
      frameworkId: null,
      facts,
      applied: null,
    });
  }
  for (const key of set.changed.frameworks) {
    const [tenantId, frameworkId] = JSON.parse(key) as [string, string];
    rows.push({
      key: `framework:${key}`,
      tenantId,
      kind: 'framework',
      serviceId: null,
      frameworkId,
      facts: { start: set.frameworkStarts.get(key)! },
      applied: applied.get(`framework:${key}`) ?? null,
    });
  }
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO ${table} (key, tenant_id, kind, service_id, framework_id, facts, applied_transaction_id, applied_position)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::bigint[], $8::bigint[])
     ON CONFLICT (key) DO UPDATE SET facts = excluded.facts, framework_id = excluded.framework_id,
       applied_transaction_id = excluded.applied_transaction_id, applied_position = excluded.applied_position`,
    [
      rows.map((r) => r.key),
      rows.map((r) => r.tenantId),
      rows.map((r) => r.kind),
      rows.map((r) => r.serviceId),
      rows.map((r) => r.frameworkId),
      rows.map((r) => JSON.stringify(r.facts)),
      rows.map((r) => r.applied?.transactionId ?? null),
      rows.map((r) => r.applied?.globalPosition ?? null),
    ],
  );
}

/** Appends each counter's decided events at the version read, in the batch's transaction. */
export async function appendDecided(
  tx: PoolClient,
  store: PostgresEventStore,
  set: CapabilityWorkingSet,
  tenantOfStream: ReadonlyMap<string, string>,
  batch: readonly RecordedEvent[],
): Promise<void> {
  const correlationOf = new Map(batch.map((e) => [e.eventId, e.metadata.correlationId]));
  const appends = [...set.counters.values()]
    .filter((stream) => stream.pending.length > 0)
    .map((stream) => {
      const tenantId = tenantOfStream.get(stream.streamId)!;
      const events: NewEvent[] = stream.pending.map((event: CapabilityRecordEvent, index) => {
        const cause = event.data.cause;
        return {
          // A stream version is written once: the id of the event that takes it is fixed.
          eventId: uuidFromParts(
            CAPABILITY_ESCALATION,
            stream.streamId,
            String(stream.storedVersion + index + 1),
          ),
          type: event.type,
          data: event.data,
          metadata: {
            tenantId,
            actor: CAPABILITY_ESCALATION_ACTOR,
            correlationId: correlationOf.get(cause.eventId) ?? null,
            causationId: cause.eventId,
            commandId: uuidFromParts(CAPABILITY_ESCALATION, cause.eventId, stream.streamId),
          },
          effectiveAt: new Date(cause.at),
        };
      });
      return {
        streamId: stream.streamId,
        events,
        expectedVersion: stream.storedVersion === 0 ? ('no-stream' as const) : stream.storedVersion,
      };
    });
  // Every counter's events in one round trip (a few hundred streams a batch while catching up).
  await store.appendManyInTransaction(tx, appends);
}
