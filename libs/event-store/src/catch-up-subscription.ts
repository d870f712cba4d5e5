import type { CheckpointStore } from './checkpoint-store';
import type { EventStore, GlobalCheckpoint, RecordedEvent } from './event-store.port';
import { PollingLoop } from './polling-loop';

export interface CatchUpSubscriptionOptions {
  /** The checkpoint name: one per consumer (a reactor, a process manager). */
  name: string;
  /**
   * Handles a batch of events in global-log order. The checkpoint moves past the batch only
   * after this resolves, so a crash means the batch is handled again: handlers are idempotent.
   */
  handle: (events: RecordedEvent[]) => Promise<void>;
  batchSize?: number;
  /** How long to wait before looking again once caught up. */
  idlePollMs?: number;
  /** How long to wait after a failed batch before trying it again. */
  retryDelayMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Reads the global log from a stored checkpoint, forever: catches up in batches, then polls.
 * Delivery is at least once and in order; it resumes where the last saved checkpoint says.
 */
export class CatchUpSubscription {
  private readonly loop = new PollingLoop(() => this.step());

  constructor(
    private readonly store: Pick<EventStore, 'readAll'>,
    private readonly checkpoints: CheckpointStore,
    private readonly options: CatchUpSubscriptionOptions,
  ) {}

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Handles everything readable now, then returns the checkpoint reached. */
  async catchUp(): Promise<GlobalCheckpoint> {
    let checkpoint = await this.checkpoints.load(this.options.name);
    for (;;) {
      const batch = await this.store.readAll(checkpoint, { limit: this.options.batchSize ?? 1000 });
      if (batch.events.length > 0) {
        await this.options.handle(batch.events);
        await this.checkpoints.save(this.options.name, batch.checkpoint);
        checkpoint = batch.checkpoint;
      }
      if (batch.caughtUp) return checkpoint;
    }
  }

  /** One turn of the loop: catch up, then wait a little (longer after a failure). */
  private async step(): Promise<number> {
    try {
      await this.catchUp();
      return this.options.idlePollMs ?? 50;
    } catch (error) {
      this.options.onError?.(error);
      return this.options.retryDelayMs ?? 1000;
    }
  }
}
