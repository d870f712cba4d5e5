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
