import { endOfLondonDay, londonInstant, streamBelongsToServices } from '@kpi/domain';
import type { EventStore, ReadStreamOptions, RecordedEvent } from '@kpi/event-store';
import type { GrantPeriod, GrantScope } from './regulator-grant.events';

/**
 * Whether a grant's scope takes in a stream of the grantor's (which streams belong to a service:
 * `streamBelongsToServices` of @kpi/domain, the rule exports use too).
 */
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
