import { EventTypeRegistry } from '@kpi/event-store';

/**
 * The registry of every event type kpi-ledger writes, with schema versions and upcasters.
 * Domain event types are added here as aggregates are built (issue by issue).
 */
export function eventTypeRegistry(): EventTypeRegistry {
  return new EventTypeRegistry([]);
}
