import { endOfLondonDay, londonInstant } from '@kpi/domain';
import type { EventStore, ReadStreamOptions, RecordedEvent } from '@kpi/event-store';
import type { GrantPeriod, GrantScope } from './regulator-grant.events';

/**
 * Streams whose id names the service they belong to: the service itself, its monthly returns,
 * and the capability counters kept at it (`<manager>:<service>:<indicator>`).
 */
const SERVICE_IN_STREAM_ID: Readonly<Record<string, (key: string[]) => string | undefined>> = {
  service: (key) => (key.length === 1 ? key[0] : undefined),
  'monthly-return': (key) => (key.length === 2 ? key[0] : undefined),
  capability: (key) => (key.length === 3 ? key[1] : undefined),
};

/**
 * Streams about one thing at one service, which their first event names for good: a
 * complaint, a compliment, a staff member's register entry, a deadline.
 */
const SERVICE_IN_FIRST_EVENT: Readonly<Record<string, (data: Record<string, unknown>) => unknown>> =
  {
    complaint: (data) => data.serviceId,
    compliment: (data) => data.serviceId,
    staff: (data) => data.serviceId,
    deadline: (data) => (data.deadline as Record<string, unknown> | undefined)?.serviceId,
  };

/**
 * Whether a stream belongs to one of `serviceIds`: by its id, or by what its first event says
 * it is about. Streams of the whole organisation (regions, frameworks, supervisions of a person,
 * accounts, grants, care frameworks…) belong to no service: only a whole-organisation grant
 * shows them.
 */
export function streamBelongsToServices(
  streamId: string,
  firstEvent: Pick<RecordedEvent, 'data'>,
  serviceIds: readonly string[],
): boolean {
  const [, category = '', ...key] = streamId.split(':');
  const byId = SERVICE_IN_STREAM_ID[category];
  const byFirstEvent = SERVICE_IN_FIRST_EVENT[category];
  const serviceId = byId
    ? byId(key)
    : byFirstEvent && isRecord(firstEvent.data)
      ? byFirstEvent(firstEvent.data)
      : undefined;
  return typeof serviceId === 'string' && serviceIds.includes(serviceId);
}

/** Whether a grant's scope takes in a stream of the grantor's. */
export function streamInScope(
  scope: GrantScope,
  streamId: string,
  firstEvent: Pick<RecordedEvent, 'data'>,
): boolean {
  return (
    scope.kind === 'organisation' || streamBelongsToServices(streamId, firstEvent, scope.serviceIds)
  );
}

/**
 * A period's instants: `start` (midnight starting its first day, London) included, `end`
 * (midnight ending its last day) excluded.
 */
export function periodInstants(period: GrantPeriod): { start: Date; end: Date } {
  return { start: londonInstant(period.from, '00:00'), end: endOfLondonDay(period.to) };
}

/**
 * The read `requested` narrowed to the events recorded in the period. Recorded times never go
 * back within a stream, so those events are one unbroken run of versions: the read starts at
 * the first version after the last one recorded before the period (one indexed read) and stops
 * at the period's end, and paging by version works as on any stream.
 */
export async function narrowedToPeriod(
  store: Pick<EventStore, 'readStream'>,
  streamId: string,
  requested: ReadStreamOptions,
  period: GrantPeriod,
): Promise<ReadStreamOptions> {
  const { start, end } = periodInstants(period);
  const [lastBefore] = await store.readStream(streamId, {
    direction: 'backward',
    recordedUntil: new Date(start.getTime() - 1),
    maxCount: 1,
  });
  const lastInPeriod = new Date(end.getTime() - 1);
  return {
    ...requested,
    fromVersion: Math.max(requested.fromVersion ?? 1, (lastBefore?.streamVersion ?? 0) + 1),
    recordedUntil:
      requested.recordedUntil && requested.recordedUntil < lastInPeriod
        ? requested.recordedUntil
        : lastInPeriod,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
