import { registeredService, type CommandContext } from '@kpi/command-handling';
import type { RecordedEvent } from '@kpi/event-store';

/** What a submission needs to know about its service; fixed once the service is registered. */
export interface ServiceFacts {
  frameworkId: string;
  /** `YYYY-MM`: the first month it reports. */
  openedIn: string;
}

/**
 * What monthly-return commands remember between commands, one instance per process (the API
 * provides one; a command given none reads everything afresh):
 * - a service's framework and the month it opened: neither changes once the service is
 *   registered (and a service is never removed), so a submission needs one read and one append;
 * - a framework's events seen so far: events never change and versions have no gaps, so a
 *   submission reads only what was published since (usually nothing).
 * Both are kept per tenant and stream id; a tenant's entries never answer another tenant.
 */
export class MonthlyReturnCaches {
  private readonly facts = new Map<string, ServiceFacts>();
  private readonly events = new Map<string, readonly RecordedEvent[]>();

  async serviceFacts(context: CommandContext, serviceId: string): Promise<ServiceFacts> {
    const key = `${context.tenantId}\u0000${serviceId}`;
    const cached = this.facts.get(key);
    if (cached !== undefined) return cached;
    const service = await registeredService(context, serviceId);
    const facts = { frameworkId: service.frameworkId, openedIn: service.openedOn.slice(0, 7) };
    this.facts.set(key, facts);
    return facts;
  }

  /** The events of a framework stream (ids carry the tenant) remembered so far. */
  frameworkEvents(streamId: string): readonly RecordedEvent[] {
    return this.events.get(streamId) ?? [];
  }

  rememberFrameworkEvents(streamId: string, events: readonly RecordedEvent[]): void {
    this.events.set(streamId, events);
  }
}
