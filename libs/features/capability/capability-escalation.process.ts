import { uuidFromParts } from '@kpi/command-handling';
import {
  applyToWorkingSet,
  CAPABILITY_FACT_EVENT_TYPES,
  capabilityStreamId,
  emptyWorkingSet,
  frameworkKey,
  loadedCounterStream,
  serviceKey,
  type CapabilityEvent,
  type CapabilityFactEvent,
  type CapabilityRecordEvent,
  type CapabilityReviewRecorded,
  type CapabilityServiceFacts,
  type CapabilityWorkingSet,
  type LoggedEvent,
  type MonthFacts,
  type MonthlyReturnEvent,
  type Period,
} from '@kpi/domain';
import type {
  GlobalCheckpoint,
  NewEvent,
  PostgresEventStore,
  RecordedEvent,
} from '@kpi/event-store';
import type { Projection } from '@kpi/projections';
import type { PoolClient } from 'pg';

export const CAPABILITY_ESCALATION = 'capability-escalation';
export const CAPABILITY_ESCALATION_ACTOR = `system:${CAPABILITY_ESCALATION}`;

const CONSUMED_TYPES: readonly string[] = [
  ...CAPABILITY_FACT_EVENT_TYPES,
  'CapabilityReviewRecorded',
];

type ConsumedEvent = CapabilityFactEvent | CapabilityReviewRecorded;

/**
 * The capability escalation process on PostgreSQL (docs/rules/capability.md). It
 * reads the global log with its own checkpoint, like a projection, and for each batch, in the
 * one transaction that moves the checkpoint:
 *
 * 1. loads the facts of the homes the batch touches (`process_capability_facts`: each home, its
 *    appointments, its judged months; each framework's first month) and every counter stream
 *    of those homes;
 * 2. runs the pure process (`applyToWorkingSet`, libs/domain) for each command's events;
 * 3. stores the changed facts and appends what the process decided to the counters' streams
 *    (`appendInTransaction`, at the version it read).
 *
 * So the checkpoint, the facts and the appended events commit together or not at all: a crash
 * writes nothing twice and loses nothing. A review recorded on a counter at the same moment
 * makes the append conflict; the batch rolls back and is tried again. Appended event ids derive
 * from the causing event, the stream and the position, so even an identical retry is a no-op.
 *
 * Not rebuildable (`rebuildable: false`): its output is events, not a table.
 */
export function capabilityEscalationProcess(store: PostgresEventStore): Projection {
  return {
    name: CAPABILITY_ESCALATION,
    version: 1,
    table: 'process_capability_facts',
    eventTypes: CONSUMED_TYPES,
    rebuildable: false,

    createTable(table) {
      return `CREATE TABLE ${table} (
        key text PRIMARY KEY,
        tenant_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('service', 'month', 'framework')),
        service_id text,
        framework_id text,
        facts jsonb NOT NULL,
        -- On service and framework rows: the last event taken in (a redelivered one is skipped).
        applied_transaction_id bigint,
        applied_position bigint
      );
      CREATE INDEX ON ${table} (tenant_id, service_id);
      CREATE INDEX ON ${table} (tenant_id, framework_id) WHERE kind = 'service';
      -- Each batch reads its frameworks' rows: without this, a scan of every home's months.
      CREATE INDEX ON ${table} (tenant_id, framework_id) WHERE kind = 'framework';`;
    },

    async apply(tx, table, events) {
      const { set, tenantOfStream, applied } = await loadWorkingSet(tx, store, table, events);
      for (const group of commandGroups(events)) {
        const fresh = group.filter((event) => takeIn(applied, event));
        if (fresh.length > 0)
          applyToWorkingSet(set, group[0]!.metadata.tenantId, fresh.map(loggedEvent));
      }
      await saveFacts(tx, table, set, applied);
      await appendDecided(tx, store, set, tenantOfStream, events);
    },
  };
}

/** The row an event changes: its home's, or its framework's. */
function factsKeyOf(event: RecordedEvent): string {
  const data = event.data as { serviceId?: string; frameworkId?: string };
  return event.type === 'KpiFrameworkVersionPublished'
    ? `framework:${frameworkKey(event.metadata.tenantId, data.frameworkId!)}`
    : `service:${serviceKey(event.metadata.tenantId, data.serviceId!)}`;
}

/**
 * Whether the event is new to its row (and then marks it taken). The runner hands each event
 * over once; this keeps a redelivered one from being taken twice all the same.
 */
function takeIn(applied: Map<string, GlobalCheckpoint>, event: RecordedEvent): boolean {
  const key = factsKeyOf(event);
  const last = applied.get(key);
  const isNew =
    !last ||
    event.transactionId > last.transactionId ||
    (event.transactionId === last.transactionId && event.globalPosition > last.globalPosition);
  if (isNew)
    applied.set(key, { transactionId: event.transactionId, globalPosition: event.globalPosition });
  return isNew;
}

/**
 * The events one command stored, together (a handover ends one appointment and starts the
 * next): consecutive events of one stream with one command id.
 */
function commandGroups(events: readonly RecordedEvent[]): RecordedEvent[][] {
  const groups: RecordedEvent[][] = [];
  for (const event of events) {
    const current = groups[groups.length - 1];
    const previous = current?.[current.length - 1];
    const sameCommand =
      previous !== undefined &&
      previous.streamId === event.streamId &&
      event.metadata.commandId !== null &&
      previous.metadata.commandId === event.metadata.commandId;
    if (sameCommand) current!.push(event);
    else groups.push([event]);
  }
  return groups;
}

function loggedEvent(event: RecordedEvent): LoggedEvent<ConsumedEvent> {
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

interface FactsRow {
  kind: 'service' | 'month' | 'framework';
  tenant_id: string;
  service_id: string | null;
  framework_id: string | null;
  facts: unknown;
  applied_transaction_id: string | null;
  applied_position: string | null;
}

interface LoadedWorkingSet {
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
async function loadWorkingSet(
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
      add(codes, key, Object.keys((event.data as MonthlyReturnEvent['data']).results));
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

/**
 * The counters' streams, lean: a recount needs each record's key and place, the summary and
 * the reviews, not the evidence each record carries (most of its size). One query for the
 * batch. Capability events are all at schema version 1; should one ever be stored at another,
 * this reads through the store, which upcasts.
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
  if (rows.some((row) => row.schema_version !== 1)) {
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
      data: row.data,
    } as LoggedEvent<CapabilityEvent>);
    streams.set(row.stream_id, list);
  }
  return streams;
}

async function saveFacts(
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
async function appendDecided(
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
