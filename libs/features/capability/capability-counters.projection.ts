import type { CapabilityEvent, CounterStage } from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';

/**
 * Where each consecutive-miss counter (one manager, one home, one KPI) stands now: the
 * `CounterSummary` of the latest event on its stream. A counter back at 0 keeps its row — 0 is
 * its value, and dashboards list every counter of a manager or region.
 */
export interface CapabilityCounterRow {
  tenantId: string;
  managerId: string;
  serviceId: string;
  regionId: string;
  indicatorCode: string;
  consecutiveMisses: number;
  /** 0 when no stage is open. */
  stage: CounterStage;
  /** `YYYY-MM`: the first month of the open run; null at 0. */
  runStart: string | null;
  /** The timeline entry of the open stage. */
  openEntryId: string | null;
  /** `YYYY-MM`. */
  lastMissedPeriod: string | null;
  reviewDue: boolean;
  /** `YYYY-MM-DD`. */
  lastReviewOn: string | null;
  /** `YYYY-MM-DD`. */
  nextReviewDue: string | null;
  /**
   * The stream version of the event the summary comes from. Two transactions on one stream
   * may reach the global log out of stream order, so an older summary must not overwrite it.
   */
  streamVersion: number;
  /** When that event was recorded. */
  updatedAt: string;
}

/** Every capability event that carries the counter's summary (appeals do not change it). */
export const CAPABILITY_COUNTER_EVENT_TYPES = [
  'CapabilityStageEntered',
  'CapabilityMissCounted',
  'CapabilityStageResolved',
  'CapabilityStageWithdrawn',
  'CapabilityRecordWithdrawn',
  'CapabilityReviewRecorded',
] as const satisfies readonly CapabilityEvent['type'][];

export type CapabilityCounterEvent = Extract<
  CapabilityEvent,
  { type: (typeof CAPABILITY_COUNTER_EVENT_TYPES)[number] }
>;

/** The row key: tenant first, so tenants never share a row. */
export const capabilityCounterKey = (
  tenantId: string,
  managerId: string,
  serviceId: string,
  indicatorCode: string,
): string => JSON.stringify([tenantId, managerId, serviceId, indicatorCode]);

export const capabilityCounterKeyOf = (event: Recorded<CapabilityCounterEvent>): string => {
  const { managerId, serviceId, indicatorCode } = event.data;
  return capabilityCounterKey(event.metadata.tenantId, managerId, serviceId, indicatorCode);
};

/** The counter after the event: its summary, unless the row already holds a later one. */
export function evolveCapabilityCounter(
  row: CapabilityCounterRow | null,
  event: Recorded<CapabilityCounterEvent>,
): CapabilityCounterRow | null {
  if (row && event.streamVersion <= row.streamVersion) return row;
  switch (event.type) {
    case 'CapabilityStageEntered':
    case 'CapabilityMissCounted':
    case 'CapabilityStageResolved':
    case 'CapabilityStageWithdrawn':
    case 'CapabilityRecordWithdrawn':
    case 'CapabilityReviewRecorded': {
      const { managerId, serviceId, regionId, indicatorCode, counter } = event.data;
      return {
        tenantId: event.metadata.tenantId,
        managerId,
        serviceId,
        regionId,
        indicatorCode,
        consecutiveMisses: counter.consecutiveMisses,
        stage: counter.stage,
        runStart: counter.runStart,
        openEntryId: counter.openEntryId,
        lastMissedPeriod: counter.lastMissedPeriod,
        reviewDue: counter.reviewDue,
        lastReviewOn: counter.lastReviewOn,
        nextReviewDue: counter.nextReviewDue,
        streamVersion: event.streamVersion,
        updatedAt: event.recordedAt.toISOString(),
      };
    }
    default: {
      const _unexpected: never = event;
      return row;
    }
  }
}

export const capabilityCountersProjection = keyedProjection<CapabilityCounterRow>({
  name: 'capability-counters',
  version: 1,
  table: 'rm_capability_counters',
  eventTypes: CAPABILITY_COUNTER_EVENT_TYPES,
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'manager_id', type: 'text', field: 'managerId' },
    { name: 'service_id', type: 'text', field: 'serviceId' },
    { name: 'region_id', type: 'text', field: 'regionId' },
    { name: 'indicator_code', type: 'text', field: 'indicatorCode' },
    { name: 'consecutive_misses', type: 'integer', field: 'consecutiveMisses' },
    { name: 'stage', type: 'integer', field: 'stage' },
    { name: 'run_start', type: 'text', field: 'runStart', nullable: true },
    { name: 'open_entry_id', type: 'text', field: 'openEntryId', nullable: true },
    { name: 'last_missed_period', type: 'text', field: 'lastMissedPeriod', nullable: true },
    { name: 'review_due', type: 'boolean', field: 'reviewDue' },
    { name: 'last_review_on', type: 'date', field: 'lastReviewOn', nullable: true },
    { name: 'next_review_due', type: 'date', field: 'nextReviewDue', nullable: true },
    { name: 'stream_version', type: 'integer', field: 'streamVersion' },
    { name: 'updated_at', type: 'timestamptz', field: 'updatedAt' },
  ],
  indexes: [
    ['tenant_id', 'manager_id'],
    ['tenant_id', 'region_id', 'stage'],
  ],
  keyOf: (event) => {
    const counterEvent = recordedOneOf<CapabilityCounterEvent>(
      event,
      CAPABILITY_COUNTER_EVENT_TYPES,
    );
    return counterEvent && capabilityCounterKeyOf(counterEvent);
  },
  evolve: (row, event) => {
    const counterEvent = recordedOneOf<CapabilityCounterEvent>(
      event,
      CAPABILITY_COUNTER_EVENT_TYPES,
    );
    return counterEvent ? evolveCapabilityCounter(row, counterEvent) : row;
  },
});
