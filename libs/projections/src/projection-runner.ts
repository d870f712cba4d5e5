import { PollingLoop, type GlobalCheckpoint } from '@kpi/event-store';
import type { Pool, PoolClient } from 'pg';
import {
  applyNextBatchToAll,
  inTransaction,
  withTransaction,
  type BatchOutcome,
  type GlobalLogReader,
} from './projection-batch';
import { checkpointNameOf, type Projection, type RunnerLogger } from './projection';
import { ensureProjectionReady } from './projection-table';

export interface ProjectionRunnerOptions {
  batchSize?: number;
  /** Wait between looks at the log once caught up. */
  idlePollMs?: number;
  /** Wait between attempts to become the runner while another process is. */
  standbyPollMs?: number;
  retryDelayMs?: number;
  logger?: RunnerLogger;
}

const silent: RunnerLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * Keeps projections up to date with the global log: one, or several reading the log once.
 *
 * - One runner per projection (or group) across processes: a session-level advisory lock makes
 *   one process the runner; others stand by and take over when its connection ends (even by
 *   SIGKILL).
 * - Each batch is one transaction on the leader's own connection: lock the checkpoint row, read
 *   the events after it, apply them, move the checkpoint, commit. A crash mid-batch rolls all of
 *   it back; a lost connection fails the batch and gives up leadership. The row lock also keeps
 *   a rebuild's swap and any second runner from applying the same events.
 */
export class ProjectionRunner {
  private readonly loop = new PollingLoop(
    () => this.step(),
    () => this.releaseLeadership(),
  );
  private leaderClient: PoolClient | null = null;

  readonly projections: readonly Projection[];

  constructor(
    private readonly pool: Pool,
    private readonly store: GlobalLogReader,
    projections: Projection | readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.projections = Array.isArray(projections) ? projections : [projections as Projection];
    if (this.projections.length === 0)
      throw new Error('A projection runner needs at least one projection');
  }

  /** The advisory-lock name: the projection's checkpoint name, or the group's. */
  private get leadershipKey(): string {
    const [first, ...rest] = this.projections;
    return rest.length === 0
      ? checkpointNameOf(first!.name)
      : `projection-group:${this.projections
          .map((p) => p.name)
          .sort()
          .join(',')}`;
  }

  get isLeader(): boolean {
    return this.leaderClient !== null;
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Applies batches until the log has nothing more right now. Returns the checkpoint reached. */
  async catchUp(): Promise<GlobalCheckpoint> {
    for (;;) {
      const outcome = await this.processBatch();
      if (outcome.caughtUp) return outcome.checkpoint;
    }
  }

  /** One batch in one transaction (see the class comment). */
  async processBatch(): Promise<BatchOutcome> {
    const batch = (tx: PoolClient) =>
      applyNextBatchToAll(tx, this.store, this.projections, this.options.batchSize ?? 2000);
    return this.leaderClient
      ? inTransaction(this.leaderClient, batch)
      : withTransaction(this.pool, batch);
  }

  /** One turn of the loop: lead (or stand by), then one batch. Returns how long to wait. */
  private async step(): Promise<number> {
    const logger = this.options.logger ?? silent;
    const name = this.projections.map((p) => p.name).join(',');
    try {
      if (!this.leaderClient) {
        if (!(await this.tryToLead())) return this.options.standbyPollMs ?? 1000;
        logger.info({ projection: name }, 'projection runner: leading');
        for (const projection of this.projections) {
          await ensureProjectionReady(this.pool, this.store, projection, { logger });
        }
      }
      const outcome = await this.processBatch();
      return outcome.caughtUp ? (this.options.idlePollMs ?? 50) : 0;
    } catch (error) {
      logger.error({ projection: name, err: error }, 'projection runner: batch failed, will retry');
      await this.releaseLeadership();
      return this.options.retryDelayMs ?? 1000;
    }
  }

  private async tryToLead(): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
        [this.leadershipKey],
      );
      if (rows[0]?.locked) {
        // The session, and with it the lock, is gone: stop leading at once.
        client.on('error', () => void this.releaseLeadership());
        this.leaderClient = client;
        return true;
      }
      client.release();
      return false;
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  }

  private async releaseLeadership(): Promise<void> {
    const client = this.leaderClient;
    this.leaderClient = null;
    if (!client) return;
    // Ending the session releases the lock whatever state the connection is in.
    client.release(true);
  }
}
