import { CAPABILITY_EVENT_TYPES, type CapabilityEvent } from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';
import {
  timelineEntryOf,
  type TimelineEntryStatus,
  type TimelineEventRecord,
} from './capability-timeline-entry';

/**
 * The capability timeline: one row per entry (one stage of one run of misses of a counter),
 * holding every event that touched it. The columns are the entry as it stands now, for lists
 * and filters; `events` lets the API fold the entry as of any moment (`timelineEntryOf`).
 */
export interface CapabilityTimelineRow {
  tenantId: string;
  managerId: string;
  entryId: string;
  serviceId: string;
  regionId: string;
  indicatorCode: string;
  /** `YYYY-MM`: the first month of the run. */
  runStart: string;
  stage: number;
  /** `YYYY-MM`: the month that entered the stage. */
  period: string;
  /** When the stage was first entered (a recount may withdraw and enter it again later). */
  firstRecordedAt: string;
  status: TimelineEntryStatus;
  /** Every event that touched the entry, in stream order, each once. */
  events: TimelineEventRecord[];
}

export const CAPABILITY_TIMELINE_EVENT_TYPES = CAPABILITY_EVENT_TYPES;

/** The row key: tenant first, so tenants never share a row. */
export const capabilityTimelineKey = (
  tenantId: string,
  managerId: string,
  entryId: string,
): string => JSON.stringify([tenantId, managerId, entryId]);

const entryIdOf = (key: string): string => (JSON.parse(key) as string[])[2]!;

/** The entries an event touches: its own, and the earlier stage that an escalation names. */
export function capabilityTimelineKeysOf(event: Recorded<CapabilityEvent>): string[] {
  const key = (entryId: string) =>
    capabilityTimelineKey(event.metadata.tenantId, event.data.managerId, entryId);
  switch (event.type) {
    case 'CapabilityStageEntered':
    case 'CapabilityStageWithdrawn': {
      const { entryId, previousEntryId } = event.data;
      return previousEntryId === null ? [key(entryId)] : [key(entryId), key(previousEntryId)];
    }
    case 'CapabilityMissCounted':
    case 'CapabilityStageResolved':
    case 'CapabilityRecordWithdrawn':
    case 'CapabilityReviewRecorded':
      return [key(event.data.entryId)];
    case 'CapabilityAppealRecorded':
      return [key(event.data.against.entryId)];
    default: {
      const _unexpected: never = event;
      return [];
    }
  }
}

/** The entry named by `key` after the event. */
export function evolveCapabilityTimelineEntry(
  row: CapabilityTimelineRow | null,
  event: Recorded<CapabilityEvent>,
  key: string,
): CapabilityTimelineRow | null {
  const entryId = entryIdOf(key);
  // A stream enters a stage before anything names it; an entry not entered yet has no row.
  const entersIt = event.type === 'CapabilityStageEntered' && event.data.entryId === entryId;
  if (!row && !entersIt) return null;
  const known = row?.events ?? [];
  if (known.some((e) => e.eventId === event.eventId)) return row;
  const events = [...known, compactFor(entryId, timelineEventRecordOf(event))].sort(
    (a, b) => a.streamVersion - b.streamVersion,
  );
  const entry = timelineEntryOf(entryId, events);
  if (!entry) return row;
  const first = events.find(
    (e) => e.type === 'CapabilityStageEntered' && e.data.entryId === entryId,
  )!;
  return {
    tenantId: event.metadata.tenantId,
    managerId: entry.managerId,
    entryId,
    serviceId: entry.serviceId,
    regionId: entry.regionId,
    indicatorCode: entry.indicatorCode,
    runStart: entry.runStart,
    stage: entry.stage,
    period: entry.period,
    firstRecordedAt: first.recordedAt,
    status: entry.status,
    events,
  };
}

/**
 * What a row keeps of an event: not the counter summary (the counters read model has it), and
 * on the row of the stage an escalation follows, not the months that entered the later stage
 * (that stage's own row holds them). Rows stay small, so a timeline reads fast. Never the
 * reasons of a review or an appeal: they can name people, and an erasure must reach them.
 */
function compactFor(entryId: string, record: TimelineEventRecord): TimelineEventRecord {
  const data = { ...(record.data as unknown as Record<string, unknown>) };
  delete data.counter;
  delete data.reasons;
  if (record.type === 'CapabilityStageEntered' && data.entryId !== entryId) delete data.months;
  return { ...record, data } as unknown as TimelineEventRecord;
}

/** The event as the row keeps it: its place on the stream and its data as stored. */
export function timelineEventRecordOf(event: Recorded<CapabilityEvent>): TimelineEventRecord {
  return {
    type: event.type,
    eventId: event.eventId,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    globalPosition: event.globalPosition,
    recordedAt: event.recordedAt.toISOString(),
    data: event.data,
  } as TimelineEventRecord;
}

export const capabilityTimelineProjection = keyedProjection<CapabilityTimelineRow>({
  name: 'capability-timeline',
  // 2: rows keep events without the counter summary or another stage's months.
  // 3: nor the reasons of reviews and appeals.
  version: 3,
  table: 'rm_capability_timeline',
  eventTypes: CAPABILITY_TIMELINE_EVENT_TYPES,
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'manager_id', type: 'text', field: 'managerId' },
    { name: 'entry_id', type: 'text', field: 'entryId' },
    { name: 'service_id', type: 'text', field: 'serviceId' },
    { name: 'region_id', type: 'text', field: 'regionId' },
    { name: 'indicator_code', type: 'text', field: 'indicatorCode' },
    { name: 'run_start', type: 'text', field: 'runStart' },
    { name: 'stage', type: 'integer', field: 'stage' },
    { name: 'period', type: 'text', field: 'period' },
    { name: 'first_recorded_at', type: 'timestamptz', field: 'firstRecordedAt' },
    { name: 'status', type: 'text', field: 'status' },
    { name: 'events', type: 'jsonb', field: 'events' },
  ],
  indexes: [
    ['tenant_id', 'manager_id'],
    ['tenant_id', 'region_id'],
  ],
  keyOf: (event) => {
    const capabilityEvent = recordedOneOf<CapabilityEvent>(event, CAPABILITY_TIMELINE_EVENT_TYPES);
    return capabilityEvent && capabilityTimelineKeysOf(capabilityEvent);
  },
  evolve: (row, event, key) => {
    const capabilityEvent = recordedOneOf<CapabilityEvent>(event, CAPABILITY_TIMELINE_EVENT_TYPES);
    return capabilityEvent ? evolveCapabilityTimelineEntry(row, capabilityEvent, key) : row;
  },
});
