import { FeatureQuery, type Queryable } from '@kpi/projections';
import { requireKnownManager } from './capability-counters.query';
import { reasonsOf, type CapabilityReading } from './capability-reasons';
import {
  entriesAsOf,
  supervisionSessions,
  timelineEntryView,
  timelineRows,
  type TimelineEntryView,
} from './capability-timeline-view';

/** A manager's timeline, now or as known at a moment. */
export interface CapabilityTimelineParams {
  managerId: string;
  /** Only events recorded by then count; now when undefined. */
  asOf?: Date;
}

export interface CapabilityTimeline {
  managerId: string;
  asOf: string | null;
  openStages: number;
  entries: TimelineEntryView[];
}

/** Every stage entry of a manager, for every home and KPI, oldest run first. */
export class ReadCapabilityTimeline extends FeatureQuery<
  CapabilityTimelineParams,
  CapabilityTimeline
> {}

/**
 * An empty timeline for a manager the tenant has had; a manager it never had is not found. The
 * reasons of reviews and appeals are read from their streams and opened from the vault.
 */
export async function readCapabilityTimeline(
  db: Queryable,
  tenantId: string,
  { managerId, asOf }: CapabilityTimelineParams,
  { store, vault }: Pick<CapabilityReading, 'store' | 'vault'>,
): Promise<CapabilityTimeline> {
  const [rows, sessions] = await Promise.all([
    timelineRows(
      db,
      tenantId,
      managerId,
      '($3::timestamptz IS NULL OR first_recorded_at <= $3)',
      [asOf ?? null],
      'run_start, service_id, indicator_code, stage',
    ),
    supervisionSessions(db, tenantId, managerId, asOf),
  ]);
  const known = entriesAsOf(rows, asOf);
  const reasons = await reasonsOf(store, vault, tenantId, known);
  const entries = known.map((entry) => timelineEntryView(entry, rows, sessions, reasons));
  if (rows.length === 0) await requireKnownManager(db, tenantId, managerId);
  return {
    managerId,
    asOf: asOf?.toISOString() ?? null,
    openStages: entries.filter((e) => e.status === 'open').length,
    entries,
  };
}
