import type { CommandContext } from '@kpi/command-handling';
import type { EventStore } from '@kpi/event-store';
import type { PersonalDataVault } from '@kpi/personal-data';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/** Where the demo is written: the event store, and the vault for texts that can name people. */
export interface DemoStores {
  store: EventStore;
  vault: PersonalDataVault;
}

/** What the seeders share: the stores, the provider's tenant, and a command context maker. */
export interface DemoContext extends DemoStores {
  tenant: string;
  /** A command's context: `tenantId` at `now` (a moment of the story), by `actor`. */
  context(tenantId: string, now: Date, actor?: string): CommandContext;
}
