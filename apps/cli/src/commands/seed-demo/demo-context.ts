import type { CommandContext } from '@kpi/command-handling';
import type { EventStore } from '@kpi/event-store';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/** What the seeders share: the store, the provider's tenant, and a command context maker. */
export interface DemoContext {
  store: EventStore;
  tenant: string;
  /** A command's context: `tenantId` at `now` (a moment of the story), by `actor`. */
  context(tenantId: string, now: Date, actor?: string): CommandContext;
}
