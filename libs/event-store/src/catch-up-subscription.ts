import type { CheckpointStore } from './checkpoint-store';
import type { EventStore, GlobalCheckpoint, RecordedEvent } from './event-store.port';

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
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly store: Pick<EventStore, 'readAll'>,
    private readonly checkpoints: CheckpointStore,
    private readonly options: CatchUpSubscriptionOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
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

  private async run(): Promise<void> {
    while (this.running) {
      let delay = this.options.idlePollMs ?? 50;
      try {
        await this.catchUp();
      } catch (error) {
        this.options.onError?.(error);
        delay = this.options.retryDelayMs ?? 1000;
      }
      if (this.running) await this.pause(delay);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
