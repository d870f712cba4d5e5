import { DOMAIN_EVENT_TYPES } from '@kpi/domain';
import { EventTypeRegistry } from '@kpi/event-store';

/**
 * The registry of every event type kpi-ledger writes, with schema versions and upcasters.
 * The list lives with the domain (`DOMAIN_EVENT_TYPES`).
 */
export function eventTypeRegistry(): EventTypeRegistry {
  return new EventTypeRegistry(DOMAIN_EVENT_TYPES);
}
