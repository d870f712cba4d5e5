/**
 * Runs `step` again and again until stopped. Each step says how long to wait before the next
 * (0: at once). `stop()` cuts a wait short and resolves once the current step has finished.
 * The shape of every background reader of the log: subscriptions, projection runners.
 */
export class PollingLoop {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly step: () => Promise<number>,
    private readonly onStopped: () => Promise<void> = async () => undefined,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

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

  private async run(): Promise<void> {
    while (this.running) {
      const delay = await this.step();
      if (this.running && delay > 0) await this.pause(delay);
    }
    await this.onStopped();
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
