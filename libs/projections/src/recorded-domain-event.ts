import type { RecordedEvent } from '@kpi/event-store';

type DomainEvent = { type: string; data: unknown };

/**
 * A domain event as it comes back from the log: the recorded envelope with the event's own
 * `type` and `data`. A union of domain events gives a union of recorded ones, so a read model's
 * `evolve` can switch on `type` and end in an exhaustiveness check.
 */
export type Recorded<Event extends DomainEvent> = Event extends unknown
  ? RecordedEvent<Event['type'], Event['data']>
  : never;

/**
 * The event as one of the domain events a read model subscribes to, or null when its type is
 * not among `types` (the runner filters by type already; this keeps `keyOf` safe on its own).
 */
export function recordedOneOf<Event extends DomainEvent>(
  event: RecordedEvent,
  types: readonly Event['type'][],
): Recorded<Event> | null {
  return types.includes(event.type) ? (event as Recorded<Event>) : null;
}
