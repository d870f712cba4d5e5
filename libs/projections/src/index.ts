export { checkpointNameOf, type Projection, type RunnerLogger } from './projection';
export {
  keyedProjection,
  type KeyedProjection,
  type KeyedProjectionDefinition,
  type Queryable,
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
export { upsertRows, COPY_FROM_ROWS, type UpsertRows, type UpsertColumn } from './upsert-rows';
export { projectionStatus, type ProjectionStatus } from './projection-status';
export { recordedOneOf, type Recorded } from './recorded-domain-event';
export { FeatureQuery, type FeatureQueryClass, type QueryReading } from './feature-query';
