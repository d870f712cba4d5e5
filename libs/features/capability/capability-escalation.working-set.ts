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
  type HomeCursor,
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

/** A home's row: its facts, the last event taken in for it, where its counters stand. */
export interface HomeRow {
  tenantId: string;
  serviceId: string;
  facts: CapabilityServiceFacts;
  applied: GlobalCheckpoint | null;
  cursor: HomeCursor | null;
}

export interface LoadedWorkingSet {
  set: CapabilityWorkingSet;
  tenantOfStream: Map<string, string>;
  /** Row key (`service:…`, `framework:…`) → the last event it took in. */
  applied: Map<string, GlobalCheckpoint>;
  /** The homes counted the full way (service keys): their cursors are written again. */
  homes: Set<string>;
}

function appliedOf(row: Pick<FactsRow, 'applied_position' | 'applied_transaction_id'>) {
  return row.applied_position === null
    ? null
    : {
        transactionId: Number(row.applied_transaction_id),
        globalPosition: Number(row.applied_position),
      };
}

/** The homes the batch names (or whose framework it publishes), by service key. */
export async function homesOfBatch(
  tx: PoolClient,
  table: string,
  events: readonly RecordedEvent[],
): Promise<Map<string, { tenantId: string; serviceId: string }>> {
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
  return services;
}

/** The rows of these homes (a home the log has not registered has none). One query. */
export async function loadHomeRows(
  tx: PoolClient,
  table: string,
  homes: Iterable<{ tenantId: string; serviceId: string }>,
): Promise<Map<string, HomeRow>> {
  const wanted = [...homes];
  const { rows } = await tx.query<
    Pick<FactsRow, 'tenant_id' | 'applied_transaction_id' | 'applied_position'> & {
      service_id: string;
      facts: CapabilityServiceFacts;
      cursor: HomeCursor | null;
    }
  >(
    // By primary key: the (tenant, service) index would also walk every month row of each home.
    `SELECT t.tenant_id, t.service_id, t.facts, t.applied_transaction_id, t.applied_position, t.cursor
       FROM ${table} t WHERE t.key = ANY ($1::text[])`,
    [wanted.map((s) => `service:${serviceKey(s.tenantId, s.serviceId)}`)],
  );
  return new Map(
    rows.map((row) => [
      serviceKey(row.tenant_id, row.service_id),
      {
        tenantId: row.tenant_id,
        serviceId: row.service_id,
        facts: row.facts,
        applied: appliedOf(row),
        cursor: row.cursor,
      },
    ]),
  );
}

/**
 * Everything the full count of these homes can touch: their facts and months, their
 * frameworks' first months, every counter stream of theirs (step 1 of the process).
 */
export async function loadWorkingSet(
  tx: PoolClient,
  store: PostgresEventStore,
  table: string,
  events: readonly RecordedEvent[],
  homes: ReadonlyMap<string, { tenantId: string; serviceId: string }>,
  rows: ReadonlyMap<string, HomeRow>,
): Promise<LoadedWorkingSet> {
  const applied = new Map<string, GlobalCheckpoint>();
  const frameworks = new Map<string, { tenantId: string; frameworkId: string }>();
  const set = emptyWorkingSet();
  const wanted = [...homes.values()];
  for (const [key, row] of rows) {
    if (!homes.has(key)) continue;
    set.services.set(key, row.facts);
    if (row.applied) applied.set(`service:${key}`, row.applied);
    frameworks.set(frameworkKey(row.tenantId, row.facts.frameworkId), {
      tenantId: row.tenantId,
      frameworkId: row.facts.frameworkId,
    });
  }
  const { rows: monthRows } = await tx.query<FactsRow>(
    `SELECT t.tenant_id, t.service_id, t.facts FROM ${table} t
       JOIN unnest($1::text[], $2::text[]) AS w(tenant_id, service_id) USING (tenant_id, service_id)
      WHERE t.kind = 'month'`,
    [wanted.map((s) => s.tenantId), wanted.map((s) => s.serviceId)],
  );
  for (const row of monthRows) {
    const key = serviceKey(row.tenant_id, row.service_id!);
    const month = row.facts as MonthFacts;
    const months = set.months.get(key) ?? new Map<Period, MonthFacts>();
    months.set(month.period, month);
    set.months.set(key, months);
  }
  // Frameworks published or registered in this batch are named by its events.
  for (const event of events) {
    const data = event.data as { frameworkId?: string };
    if (event.type !== 'ServiceRegistered' && event.type !== 'KpiFrameworkVersionPublished')
      continue;
    frameworks.set(frameworkKey(event.metadata.tenantId, data.frameworkId!), {
      tenantId: event.metadata.tenantId,
      frameworkId: data.frameworkId!,
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
  return { set, tenantOfStream, applied, homes: new Set(homes.keys()) };
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
