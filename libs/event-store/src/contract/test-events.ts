import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent } from '../event-store.port';
import { EventTypeRegistry } from '../event-type-registry';

/** Event types the contract suite writes. `ThingRenamed` is at schema 2 with an upcaster. */
export function contractRegistry(): EventTypeRegistry {
  return new EventTypeRegistry([
    { type: 'ThingHappened', schemaVersion: 1 },
    { type: 'ThingCounted', schemaVersion: 1 },
    {
      type: 'ThingRenamed',
      schemaVersion: 2,
      upcasters: {
        1: (data) => ({
          ...(data as { name: string }),
          displayName: (data as { name: string }).name.toUpperCase(),
        }),
      },
    },
  ]);
}

export function metadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    tenantId: 'tenant-a',
    actor: 'user:contract-test',
    correlationId: 'corr-1',
    causationId: null,
    commandId: 'cmd-1',
    ...overrides,
  };
}

export function thingHappened(
  data: Record<string, unknown> = { n: 1 },
  overrides: Partial<NewEvent> = {},
): NewEvent {
  return { eventId: randomUUID(), type: 'ThingHappened', data, metadata: metadata(), ...overrides };
}

export function uniqueStreamId(label = 'thing'): string {
  return `${label}-${randomUUID()}`;
}
