import {
  capabilityStreamId,
  DOMAIN_EVENT_TYPES,
  emptyWorkingSet,
  frameworkKey,
  loadedCounterStream,
  serviceKey,
  type CapabilityEvent,
  type CapabilityFactEvent,
  type CapabilityReviewRecorded,
  type CapabilityServiceFacts,
  type CapabilityWorkingSet,
  type LoggedEvent,
  type MonthFacts,
  type MonthlyReturnFiguresEvent,
  type Period,
} from '@kpi/domain';
import {
  EventTypeRegistry,
  type GlobalCheckpoint,
  type PostgresEventStore,
  type RecordedEvent,
} from '@kpi/event-store';
import type { PoolClient } from 'pg';

/*
 * The escalation process's working set for a batch (step 1 of capability-escalation.process.ts):
 * the facts of the homes the batch names, read from process_capability_facts, and the streams of
 * their counters, read in the batch's transaction.
 */

interface FactsRow {
  kind: 'service' | 'month' | 'framework';
  tenant_id: string;
  service_id: string | null;
  framework_id: string | null;
  facts: unknown;
  applied_transaction_id: string | null;
  applied_position: string | null;
}

export interface LoadedWorkingSet {
  set: CapabilityWorkingSet;
  tenantOfStream: Map<string, string>;
  /** Row key (`service:…`, `framework:…`) → the last event it took in. */
  applied: Map<string, GlobalCheckpoint>;
}

function appliedOf(row: FactsRow): GlobalCheckpoint | null {
  return row.applied_position === null
    ? null
    : {
        transactionId: Number(row.applied_transaction_id),
        globalPosition: Number(row.applied_position),
      };
}

/** Everything the batch can touch: the homes it names (or whose framework it publishes), their counters. */
export async function loadWorkingSet(
  tx: PoolClient,
  store: PostgresEventStore,
  table: string,
  events: readonly RecordedEvent[],
): Promise<LoadedWorkingSet> {
  const applied = new Map<string, GlobalCheckpoint>();
  const services = new Map<string, { tenantId: string; serviceId: string }>();
  const frameworks = new Map<string, { tenantId: string; frameworkId: string }>();
  for (const event of events) {
    const tenantId = event.metadata.tenantId;
    const data = event.data as { serviceId?: string; frameworkId?: string };
    if (event.type === 'KpiFrameworkVersionPublished') {
      frameworks.set(frameworkKey(tenantId, data.frameworkId!), {
        tenantId,
        frameworkId: data.frameworkId!,
      });
    } else if (data.serviceId !== undefined) {
      services.set(serviceKey(tenantId, data.serviceId), { tenantId, serviceId: data.serviceId });
    }
  }
  if (frameworks.size > 0) {
    const { rows } = await tx.query<{ tenant_id: string; service_id: string }>(
      `SELECT t.tenant_id, t.service_id FROM ${table} t
         JOIN unnest($1::text[], $2::text[]) AS w(tenant_id, framework_id) USING (tenant_id, framework_id)
        WHERE t.kind = 'service'`,
      [
        [...frameworks.values()].map((f) => f.tenantId),
        [...frameworks.values()].map((f) => f.frameworkId),
      ],
    );
    for (const row of rows)
      services.set(serviceKey(row.tenant_id, row.service_id), {
        tenantId: row.tenant_id,
        serviceId: row.service_id,
      });
  }

  const set = emptyWorkingSet();
  const wanted = [...services.values()];
  const { rows } = await tx.query<FactsRow>(
    `SELECT t.kind, t.tenant_id, t.service_id, t.framework_id, t.facts,
            t.applied_transaction_id, t.applied_position FROM ${table} t
       JOIN unnest($1::text[], $2::text[]) AS w(tenant_id, service_id) USING (tenant_id, service_id)`,
    [wanted.map((s) => s.tenantId), wanted.map((s) => s.serviceId)],
  );
  for (const row of rows) {
    const key = serviceKey(row.tenant_id, row.service_id!);
    if (row.kind === 'service') {
      const facts = row.facts as CapabilityServiceFacts;
      set.services.set(key, facts);
      const position = appliedOf(row);
      if (position) applied.set(`service:${key}`, position);
      frameworks.set(frameworkKey(row.tenant_id, facts.frameworkId), {
        tenantId: row.tenant_id,
        frameworkId: facts.frameworkId,
      });
    } else if (row.kind === 'month') {
      const month = row.facts as MonthFacts;
      const months = set.months.get(key) ?? new Map<Period, MonthFacts>();
      months.set(month.period, month);
      set.months.set(key, months);
    }
  }
  // Frameworks registered in this batch are named by their services' registration events.
  for (const event of events) {
    if (event.type !== 'ServiceRegistered') continue;
    const { frameworkId } = event.data as { frameworkId: string };
    frameworks.set(frameworkKey(event.metadata.tenantId, frameworkId), {
      tenantId: event.metadata.tenantId,
      frameworkId,
    });
  }
  const frameworkRows = await tx.query<
    FactsRow & { framework_id: string; facts: { start: Period } }
  >(
    `SELECT t.kind, t.tenant_id, t.service_id, t.framework_id, t.facts,
            t.applied_transaction_id, t.applied_position FROM ${table} t
       JOIN unnest($1::text[], $2::text[]) AS w(tenant_id, framework_id) USING (tenant_id, framework_id)
      WHERE t.kind = 'framework'`,
    [
      [...frameworks.values()].map((f) => f.tenantId),
      [...frameworks.values()].map((f) => f.frameworkId),
    ],
  );
  for (const row of frameworkRows.rows) {
    const key = frameworkKey(row.tenant_id, row.framework_id);
    set.frameworkStarts.set(key, row.facts.start);
    const position = appliedOf(row);
    if (position) applied.set(`framework:${key}`, position);
  }

  const tenantOfStream = await loadCounters(tx, store, set, wanted, events);
  return { set, tenantOfStream, applied };
}

/**
 * Every counter stream the batch can touch: each manager the homes have had (or get in this
 * batch) × each KPI their returns judged (or judge in this batch). Missing streams start empty.
 */
async function loadCounters(
  tx: PoolClient,
  store: PostgresEventStore,
  set: CapabilityWorkingSet,
  services: readonly { tenantId: string; serviceId: string }[],
  events: readonly RecordedEvent[],
): Promise<Map<string, string>> {
  const managers = new Map<string, Set<string>>();
  const codes = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, key: string, values: Iterable<string>) => {
    const known = map.get(key) ?? new Set<string>();
    for (const value of values) known.add(value);
    map.set(key, known);
  };
  for (const { tenantId, serviceId } of services) {
    const key = serviceKey(tenantId, serviceId);
    add(
      managers,
      key,
      (set.services.get(key)?.appointments ?? []).map((a) => a.managerId),
    );
    for (const month of set.months.get(key)?.values() ?? [])
      add(codes, key, Object.keys(month.results));
  }
  for (const event of events) {
    const key = serviceKey(
      event.metadata.tenantId,
      (event.data as { serviceId: string }).serviceId,
    );
    if (event.type === 'ManagerAppointed')
      add(managers, key, [(event.data as { managerId: string }).managerId]);
    if (event.type === 'MonthlyReturnSubmitted' || event.type === 'MonthlyReturnAmended')
      add(codes, key, Object.keys((event.data as MonthlyReturnFiguresEvent['data']).results));
  }
  const tenantOfStream = new Map<string, string>();
  for (const { tenantId, serviceId } of services) {
    const key = serviceKey(tenantId, serviceId);
    for (const managerId of managers.get(key) ?? [])
      for (const indicatorCode of codes.get(key) ?? [])
        tenantOfStream.set(
          capabilityStreamId(tenantId, { managerId, serviceId, indicatorCode }),
          tenantId,
        );
  }
  const stored = await readCounterStreams(tx, store, [...tenantOfStream.keys()]);
  for (const streamId of tenantOfStream.keys()) {
    set.counters.set(streamId, loadedCounterStream(streamId, stored.get(streamId) ?? []));
  }
  return tenantOfStream;
}

/** Evidence the recount never reads: left in the database when loading counters. */
const UNREAD_FIELDS = ['months', 'month', 'cause', 'explanation'];

/** Reviews and appeals, read whole, so upcast here from whichever schema version they are at. */
const READ_WHOLE = new EventTypeRegistry(
  DOMAIN_EVENT_TYPES.filter(
    ({ type }) => type === 'CapabilityReviewRecorded' || type === 'CapabilityAppealRecorded',
  ),
);

/**
 * The counters' streams, lean: a recount needs each record's key and place, the summary and
 * the reviews, not the evidence each record carries (most of its size). One query for the
 * batch. Reviews and appeals are read whole and upcast; the records are all at schema version
 * 1, and should one ever be stored at another, this reads through the store, which upcasts.
 */
async function readCounterStreams(
  tx: PoolClient,
  store: PostgresEventStore,
  streamIds: readonly string[],
): Promise<Map<string, LoggedEvent<CapabilityEvent>[]>> {
  const streams = new Map<string, LoggedEvent<CapabilityEvent>[]>();
  if (streamIds.length === 0) return streams;
  const { rows } = await tx.query<{
    stream_id: string;
    event_id: string;
    global_position: string;
    recorded_at: Date;
    actor: string;
    type: CapabilityEvent['type'];
    schema_version: number;
    data: CapabilityEvent['data'];
  }>(
    `SELECT stream_id, event_id, global_position, recorded_at, metadata->>'actor' AS actor, type,
            schema_version,
            CASE WHEN type IN ('CapabilityReviewRecorded', 'CapabilityAppealRecorded') THEN data
                 ELSE data - $2::text[] END AS data
       FROM events WHERE stream_id = ANY ($1::text[]) ORDER BY stream_id, stream_version`,
    [streamIds, UNREAD_FIELDS],
  );
  if (rows.some((row) => !READ_WHOLE.has(row.type) && row.schema_version !== 1)) {
    const upcast = await store.readStreams(streamIds);
    for (const [streamId, events] of upcast)
      streams.set(
        streamId,
        events.map((event) => loggedEvent(event) as unknown as LoggedEvent<CapabilityEvent>),
      );
    return streams;
  }
  for (const row of rows) {
    const list = streams.get(row.stream_id) ?? [];
    list.push({
      eventId: row.event_id,
      globalPosition: Number(row.global_position),
      streamId: row.stream_id,
      recordedAt: row.recorded_at.toISOString(),
      actor: row.actor,
      type: row.type,
      data: READ_WHOLE.has(row.type)
        ? READ_WHOLE.upcast(row.type, row.schema_version, row.data).data
        : row.data,
    } as LoggedEvent<CapabilityEvent>);
    streams.set(row.stream_id, list);
  }
  return streams;
}

/** What the process consumes: the facts' events and reviews. */
type ConsumedEvent = CapabilityFactEvent | CapabilityReviewRecorded;

/** A stored event as the pure process takes it in. */
export function loggedEvent(event: RecordedEvent): LoggedEvent<ConsumedEvent> {
  return {
    eventId: event.eventId,
    globalPosition: event.globalPosition,
    streamId: event.streamId,
    recordedAt: event.recordedAt.toISOString(),
    actor: event.metadata.actor,
    type: event.type as ConsumedEvent['type'],
    data: event.data as ConsumedEvent['data'],
  };
}
