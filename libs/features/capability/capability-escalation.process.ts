import {
  applyToWorkingSet,
  CAPABILITY_FACT_EVENT_TYPES,
  frameworkKey,
  serviceKey,
} from '@kpi/domain';
import type { GlobalCheckpoint, PostgresEventStore, RecordedEvent } from '@kpi/event-store';
import type { Projection } from '@kpi/projections';
import { loadWorkingSet, loggedEvent } from './capability-escalation.working-set';
import { appendDecided, CAPABILITY_ESCALATION, saveFacts } from './capability-escalation.writes';

export { CAPABILITY_ESCALATION, CAPABILITY_ESCALATION_ACTOR } from './capability-escalation.writes';

const CONSUMED_TYPES: readonly string[] = [
  ...CAPABILITY_FACT_EVENT_TYPES,
  'CapabilityReviewRecorded',
];

/**
 * The capability escalation process on PostgreSQL (docs/rules/capability.md). It
 * reads the global log with its own checkpoint, like a projection, and for each batch, in the
 * one transaction that moves the checkpoint:
 *
 * 1. loads the facts of the homes the batch touches (`process_capability_facts`: each home, its
 *    appointments, its judged months; each framework's first month) and every counter stream
 *    of those homes (capability-escalation.working-set.ts);
 * 2. runs the pure process (`applyToWorkingSet`, libs/domain) for each command's events;
 * 3. stores the changed facts and appends what the process decided to the counters' streams
 *    (`appendManyInTransaction`, at the version it read; capability-escalation.writes.ts).
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
