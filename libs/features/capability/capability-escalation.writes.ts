import { uuidFromParts } from '@kpi/command-handling';
import {
  homeCursorOf,
  monthKey,
  serviceKey,
  type CapabilityRecordEvent,
  type HomeCursor,
  type MonthFacts,
  type Period,
} from '@kpi/domain';
import type {
  GlobalCheckpoint,
  NewEvent,
  PostgresEventStore,
  RecordedEvent,
} from '@kpi/event-store';
import { upsertRows } from '@kpi/projections';
import type { PoolClient } from 'pg';
import type { HomeRow, LoadedWorkingSet } from './capability-escalation.working-set';

/*
 * What the escalation process writes in the batch's transaction (step 3 of
 * capability-escalation.process.ts): the changed facts, and the counters' decided events
 * appended at the versions read.
 */

export const CAPABILITY_ESCALATION = 'capability-escalation';
export const CAPABILITY_ESCALATION_ACTOR = `system:${CAPABILITY_ESCALATION}`;

/** A home counted the short way in this batch (capability-escalation.process.ts). */
export interface CountedFromCursor {
  row: HomeRow;
  /** The months its returns brought, in order. */
  months: MonthFacts[];
  /** One append per counter stream, at the version the cursor kept. */
  appends: { streamId: string; expectedVersion: number; events: CapabilityRecordEvent[] }[];
  /** The cursor after its last month. */
  cursor: HomeCursor;
  /** The last event taken in for it. */
  applied: GlobalCheckpoint | null;
}

interface FactsRowToSave {
  key: string;
  tenantId: string;
  kind: string;
  serviceId: string | null;
  frameworkId: string | null;
  facts: unknown;
  applied: GlobalCheckpoint | null;
  cursor: HomeCursor | null;
}

/**
 * The facts the batch changed, in one statement: every home counted the full way (its facts
 * and a new cursor), the changed months and frameworks, and for each home counted the short
 * way its new months and cursor.
 */
export async function saveFacts(
  tx: PoolClient,
  table: string,
  { set, applied, homes }: LoadedWorkingSet,
  short: readonly CountedFromCursor[],
): Promise<void> {
  const rows: FactsRowToSave[] = [];
  for (const key of homes) {
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
      cursor: homeCursorOf(set, tenantId, serviceId),
    });
  }
  for (const key of set.changed.months) {
    const [tenantId, serviceId, period] = JSON.parse(key) as [string, string, Period];
    const facts = set.months.get(serviceKey(tenantId, serviceId))!.get(period)!;
    rows.push(monthRow(tenantId, serviceId, facts));
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
      cursor: null,
    });
  }
  for (const home of short) {
    const { tenantId, serviceId, facts } = home.row;
    rows.push({
      key: `service:${serviceKey(tenantId, serviceId)}`,
      tenantId,
      kind: 'service',
      serviceId,
      frameworkId: facts.frameworkId,
      facts,
      applied: home.applied,
      cursor: home.cursor,
    });
    for (const month of home.months) rows.push(monthRow(tenantId, serviceId, month));
  }
  if (rows.length === 0) return;
  await upsertRows(tx, {
    table,
    columns: [
      { name: 'key', type: 'text' },
      { name: 'tenant_id', type: 'text' },
      { name: 'kind', type: 'text' },
      { name: 'service_id', type: 'text' },
      { name: 'framework_id', type: 'text' },
      { name: 'facts', type: 'jsonb' },
      { name: 'applied_transaction_id', type: 'bigint' },
      { name: 'applied_position', type: 'bigint' },
      { name: 'cursor', type: 'jsonb' },
    ],
    conflictKey: 'key',
    update: ['facts', 'framework_id', 'applied_transaction_id', 'applied_position', 'cursor'],
    rows: rows.map((r) => [
      r.key,
      r.tenantId,
      r.kind,
      r.serviceId,
      r.frameworkId,
      r.facts,
      r.applied?.transactionId ?? null,
      r.applied?.globalPosition ?? null,
      r.cursor,
    ]),
  });
}

function monthRow(tenantId: string, serviceId: string, facts: MonthFacts): FactsRowToSave {
  return {
    key: `month:${monthKey(tenantId, serviceId, facts.period)}`,
    tenantId,
    kind: 'month',
    serviceId,
    frameworkId: null,
    facts,
    applied: null,
    cursor: null,
  };
}

/**
 * Appends each counter's decided events in the batch's transaction, in one round trip: those
 * of the full count at the version read, those of the short way at the version the cursor kept.
 */
export async function appendDecided(
  tx: PoolClient,
  store: PostgresEventStore,
  { set, tenantOfStream }: LoadedWorkingSet,
  short: readonly CountedFromCursor[],
  batch: readonly RecordedEvent[],
): Promise<void> {
  const correlationOf = new Map(batch.map((e) => [e.eventId, e.metadata.correlationId]));
  const decided = [
    ...[...set.counters.values()]
      .filter((stream) => stream.pending.length > 0)
      .map((stream) => ({
        streamId: stream.streamId,
        tenantId: tenantOfStream.get(stream.streamId)!,
        version: stream.storedVersion,
        events: stream.pending,
      })),
    ...short.flatMap((home) =>
      home.appends.map((append) => ({
        streamId: append.streamId,
        tenantId: home.row.tenantId,
        version: append.expectedVersion,
        events: append.events,
      })),
    ),
  ];
  const appends = decided.map(({ streamId, tenantId, version, events }) => ({
    streamId,
    events: events.map((event: CapabilityRecordEvent, index): NewEvent => {
      const cause = event.data.cause;
      return {
        // A stream version is written once: the id of the event that takes it is fixed.
        eventId: uuidFromParts(CAPABILITY_ESCALATION, streamId, String(version + index + 1)),
        type: event.type,
        data: event.data,
        metadata: {
          tenantId,
          actor: CAPABILITY_ESCALATION_ACTOR,
          correlationId: correlationOf.get(cause.eventId) ?? null,
          causationId: cause.eventId,
          commandId: uuidFromParts(CAPABILITY_ESCALATION, cause.eventId, streamId),
        },
        effectiveAt: new Date(cause.at),
      };
    }),
    expectedVersion: version === 0 ? ('no-stream' as const) : version,
  }));
  // Every counter's events in one round trip (a few hundred streams a batch while catching up).
  await store.appendManyInTransaction(tx, appends);
}
