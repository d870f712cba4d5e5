export * from './event-store.port';
export * from './errors';
export type { StoredEventRecord, StreamAnchor } from './stored-event-record';
export { EventTypeRegistry, type EventTypeDefinition, type Upcaster } from './event-type-registry';
export {
  canonicalJson,
  contentHash,
  contentHashOfCanonical,
  hashedMetadata,
  chainHash,
  sha256Hex,
  type HashedContent,
  type ChainLink,
} from './hash-chain';
export { findJsonProblem } from './json-safety';
export { MAX_STREAM_ID_LENGTH } from './validation';
export { PollingLoop } from './polling-loop';
export { CatchUpSubscription, type CatchUpSubscriptionOptions } from './catch-up-subscription';
export {
  PostgresCheckpointStore,
  loadCheckpoint,
  loadCheckpoints,
  saveCheckpoint,
  saveCheckpoints,
  resetCheckpoint,
  type CheckpointStore,
} from './checkpoint-store';
export { PostgresEventStore } from './postgres/postgres-event-store';
export {
  InMemoryEventStore,
  type InMemoryEventStoreOptions,
} from './in-memory/in-memory-event-store';
export {
  readStoredStream,
  readStoredEventsRecorded,
  readStreamAnchors,
  type RecordedPeriod,
} from './postgres/stored-events';
export { createPostgresPool, type PostgresPoolOptions } from './postgres/pool';
export { migrate, MigrationChecksumError, type MigrationReport } from './postgres/migrator';
export { eventStoreMigrations, type Migration } from './postgres/migrations';
