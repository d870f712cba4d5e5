import { PollingLoop, type GlobalCheckpoint } from '@kpi/event-store';
import type { Pool, PoolClient } from 'pg';
import {
  applyNextBatch,
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
 * Keeps one projection up to date with the global log.
 *
 * - One runner per projection across processes: a session-level advisory lock makes one
 *   process the runner; others stand by and take over when its connection ends (even by SIGKILL).
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

  constructor(
    private readonly pool: Pool,
    private readonly store: GlobalLogReader,
    readonly projection: Projection,
    private readonly options: ProjectionRunnerOptions = {},
  ) {}

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
    const { projection } = this;
    const batch = (tx: PoolClient) =>
      applyNextBatch(
        tx,
        this.store,
        projection,
        projection.table,
        checkpointNameOf(projection.name),
        this.options.batchSize ?? 2000,
      );
    return this.leaderClient
      ? inTransaction(this.leaderClient, batch)
      : withTransaction(this.pool, batch);
  }

  /** One turn of the loop: lead (or stand by), then one batch. Returns how long to wait. */
  private async step(): Promise<number> {
    const logger = this.options.logger ?? silent;
    const name = this.projection.name;
    try {
      if (!this.leaderClient) {
        if (!(await this.tryToLead())) return this.options.standbyPollMs ?? 1000;
        logger.info({ projection: name }, 'projection runner: leading');
        await ensureProjectionReady(this.pool, this.store, this.projection, { logger });
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
        [checkpointNameOf(this.projection.name)],
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
