import type { RecordedEvent } from '@kpi/event-store';
import type { PoolClient } from 'pg';

/**
 * A read model built from the global log. The runner hands it batches of events in log order,
 * inside a transaction that also moves the projection's checkpoint, so each event's effect is
 * applied exactly once even across crashes.
 */
export interface Projection {
  /** Stable name; its checkpoint is `projection:<name>`. */
  readonly name: string;
  /** Bump when the table or the logic changes: the runner then rebuilds it from the log. */
  readonly version: number;
  /** The table queries read. Rebuilds build a fresh table and swap it in under this name. */
  readonly table: string;
  /** Event types it reacts to; others are skipped without a round trip. */
  readonly eventTypes: readonly string[] | 'all';
  /** DDL creating the table (and its indexes) under the given name. Let PostgreSQL name indexes. */
  createTable(table: string): string;
  /**
   * Idempotent DDL run on an existing table each time the projection is made ready: how a
   * projection that is never rebuilt takes an additive change (`ADD COLUMN IF NOT EXISTS`)
   * without a new version. New tables get the change from `createTable`.
   */
  upgradeTable?(table: string): string;
  /**
   * false for a process whose effects are events it appends (the capability escalation process): replaying the log
   * into a fresh table would act on old facts against today's streams, so it is never rebuilt;
   * a change of its version is a migration to write, not a rebuild.
   */
  readonly rebuildable?: boolean;
  /** Applies a batch of relevant events to `table` using `tx` (an open transaction). */
  apply(tx: PoolClient, table: string, events: readonly RecordedEvent[]): Promise<void>;
}

export const checkpointNameOf = (projectionName: string): string => `projection:${projectionName}`;

/** Where runners and rebuilds report; a pino logger fits. */
export interface RunnerLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}
