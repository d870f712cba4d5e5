import {
  applyToWorkingSet,
  CAPABILITY_FACT_EVENT_TYPES,
  countNextMonth,
  frameworkKey,
  serviceKey,
  type HomeCursor,
  type LoggedEvent,
  type MonthlyReturnSubmitted,
} from '@kpi/domain';
import {
  isAfterInLog,
  type GlobalCheckpoint,
  type PostgresEventStore,
  type RecordedEvent,
} from '@kpi/event-store';
import type { Projection } from '@kpi/projections';
import {
  homesOfBatch,
  loadHomeRows,
  loadWorkingSet,
  loggedEvent,
  type HomeRow,
} from './capability-escalation.working-set';
import {
  appendDecided,
  CAPABILITY_ESCALATION,
  saveFacts,
  type CountedFromCursor,
} from './capability-escalation.writes';

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
 * 1. reads the rows of the homes the batch touches (`process_capability_facts`), and counts the
 *    short way (`countNextMonth`, docs/decisions/0042) each home whose only events in the batch
 *    are returns for the months after its latest, from the cursor its row keeps;
 * 2. for every other home, loads its months, its framework's first month and every counter
 *    stream of it (capability-escalation.working-set.ts) and runs the pure process
 *    (`applyToWorkingSet`, libs/domain) for each command's events: the full count;
 * 3. stores the changed facts and the homes' cursors, and appends what was decided to the
 *    counters' streams (`appendManyInTransaction`, at the versions read or kept;
 *    capability-escalation.writes.ts).
 *
 * So the checkpoint, the facts and the appended events commit together or not at all: a crash
 * writes nothing twice and loses nothing. A review recorded on a counter at the same moment
 * makes the append conflict; the batch rolls back and is tried again. Appended event ids derive
 * from the causing event, the stream and the position, so even an identical retry is a no-op.
 *
 * Not rebuildable (`rebuildable: false`): its output is events, not a table.
 */
export function capabilityEscalationProcess(store: PostgresEventStore): Projection {
  // After a failed batch (a counter's stream moved under a cursor: an appeal appended to it),
  // the next attempt counts every home the full way, which reads the streams and writes new cursors.
  let fullCountOnly = false;
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
        applied_position bigint,
        -- On service rows: where each counter stood after the home's latest month (HomeCursor).
        cursor jsonb
      );
      CREATE INDEX ON ${table} (tenant_id, service_id);
      CREATE INDEX ON ${table} (tenant_id, framework_id) WHERE kind = 'service';
      -- Each batch reads its frameworks' rows: without this, a scan of every home's months.
      CREATE INDEX ON ${table} (tenant_id, framework_id) WHERE kind = 'framework';`;
    },

    upgradeTable(table) {
      return `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS cursor jsonb`;
    },

    async apply(tx, table, events) {
      try {
        const groups = commandGroups(events);
        const homes = await homesOfBatch(tx, table, events);
        const rows = await loadHomeRows(tx, table, homes.values());
        // A framework published in the batch can move every home's first month: all go the full way.
        const short =
          fullCountOnly || events.some((e) => e.type === 'KpiFrameworkVersionPublished')
            ? new Map<string, CountedFromCursor>()
            : countFromCursors(groups, rows);
        const fullHomes = new Map([...homes].filter(([key]) => !short.has(key)));
        const loaded = await loadWorkingSet(tx, store, table, events, fullHomes, rows);
        for (const group of groups) {
          const home = homeKeyOf(group[0]!);
          if (home !== null && short.has(home)) continue;
          const fresh = group.filter((event) => takeIn(loaded.applied, event));
          if (fresh.length > 0)
            applyToWorkingSet(loaded.set, group[0]!.metadata.tenantId, fresh.map(loggedEvent));
        }
        await saveFacts(tx, table, loaded, [...short.values()]);
        await appendDecided(tx, store, loaded, [...short.values()], events);
        fullCountOnly = false;
      } catch (error) {
        fullCountOnly = true;
        throw error;
      }
    },
  };
}

/** The service key of the home an event is about (null: a framework's event). */
function homeKeyOf(event: RecordedEvent): string | null {
  const { serviceId } = event.data as { serviceId?: string };
  return event.type === 'KpiFrameworkVersionPublished' || serviceId === undefined
    ? null
    : serviceKey(event.metadata.tenantId, serviceId);
}

/**
 * The homes counted the short way: every one of their command groups in the batch a lone
 * return for the month after the home's latest, counted from the cursor on its row. A home
 * with anything else in the batch, or no cursor, is left to the full count.
 */
function countFromCursors(
  groups: readonly RecordedEvent[][],
  rows: ReadonlyMap<string, HomeRow>,
): Map<string, CountedFromCursor> {
  const byHome = new Map<string, RecordedEvent[][]>();
  const notShort = new Set<string>();
  for (const group of groups) {
    const key = homeKeyOf(group[0]!);
    if (key === null) continue;
    if (group.length !== 1 || group[0]!.type !== 'MonthlyReturnSubmitted') notShort.add(key);
    const known = byHome.get(key);
    if (known) known.push(group);
    else byHome.set(key, [group]);
  }
  const counted = new Map<string, CountedFromCursor>();
  for (const [key, homeGroups] of byHome) {
    const row = rows.get(key);
    if (notShort.has(key) || !row?.cursor) continue;
    const home = countHome(row, homeGroups);
    if (home) counted.set(key, home);
  }
  return counted;
}

/** One home's lone returns counted from its cursor, in log order (null: the full count). */
function countHome(row: HomeRow, groups: readonly RecordedEvent[][]): CountedFromCursor | null {
  let cursor: HomeCursor = row.cursor!;
  let applied = row.applied;
  const months: CountedFromCursor['months'] = [];
  // Two months of one home in a batch: one append per stream, the second month's after the first's.
  const appends = new Map<string, CountedFromCursor['appends'][number]>();
  for (const [event] of groups) {
    const position = { transactionId: event!.transactionId, globalPosition: event!.globalPosition };
    if (applied && !isAfterInLog(position, applied)) continue; // taken in before
    const counted = countNextMonth(
      cursor,
      row.facts,
      row.tenantId,
      loggedEvent(event!) as LoggedEvent<MonthlyReturnSubmitted>,
    );
    if (!counted) return null;
    months.push(counted.month);
    for (const append of counted.appends) {
      const earlier = appends.get(append.streamId);
      if (earlier) earlier.events.push(...append.events);
      else appends.set(append.streamId, { ...append, events: [...append.events] });
    }
    cursor = counted.cursor;
    applied = position;
  }
  return { row, months, appends: [...appends.values()], cursor, applied };
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
  const isNew = !last || isAfterInLog(event, last);
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
