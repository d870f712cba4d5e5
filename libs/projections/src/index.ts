export { checkpointNameOf, type Projection, type RunnerLogger } from './projection';
export {
  keyedProjection,
  type KeyedProjectionDefinition,
  type Column,
  type ColumnType,
} from './keyed-projection';
export { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';
export {
  applyNextBatch,
  inTransaction,
  withTransaction,
  type BatchOutcome,
  type GlobalLogReader,
} from './projection-batch';
export {
  ensureProjectionReady,
  rebuildProjection,
  RebuildAlreadyRunningError,
  type RebuildOptions,
  type RebuildProgress,
  type RebuildResult,
} from './projection-table';
export { projectionStatus, type ProjectionStatus } from './projection-status';
export {
  tenantActivityProjection,
  evolveTenantActivity,
  type TenantActivityRow,
} from './read-models/tenant-activity.projection';
export { allProjections } from './read-models';
export { regionsProjection } from './read-models/regions.projection';
export { servicesProjection } from './read-models/services.projection';
export { monthlyReturnsProjection } from './read-models/monthly-returns.projection';
export { kpiGridProjection, type KpiGridRow } from './read-models/kpi-grid.projection';
export {
  capabilityCountersProjection,
  type CapabilityCounterRow,
} from './read-models/capability-counters.projection';
export {
  capabilityTimelineProjection,
  capabilityTimelineKey,
  type CapabilityTimelineRow,
} from './read-models/capability-timeline.projection';
export {
  timelineEntryOf,
  type TimelineEntry,
  type TimelineEntryStatus,
  type TimelineEventRecord,
  type TimelineEventStamp,
  type TimelineHistoryItem,
} from './read-models/capability-timeline-entry';
export { supervisionsProjection, type SupervisionRow } from './read-models/supervisions.projection';
export { deadlinesProjection } from './read-models/deadlines.projection';
export { complaintsProjection, type ComplaintRow } from './read-models/complaints.projection';
export { workforceProjection, type WorkforceRow } from './read-models/workforce.projection';
