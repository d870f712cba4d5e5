/**
 * Streams whose id names the service they belong to: the service itself, its monthly returns,
 * the capability counters kept at it (`<manager>:<service>:<indicator>`) and the commentary on
 * its indicators (`<service>:<indicator>:<period>`; the organisation's, `_organisation`, none).
 */
const SERVICE_IN_STREAM_ID: Readonly<Record<string, (key: string[]) => string | undefined>> = {
  service: (key) => (key.length === 1 ? key[0] : undefined),
  'monthly-return': (key) => (key.length === 2 ? key[0] : undefined),
  capability: (key) => (key.length === 3 ? key[1] : undefined),
  commentary: (key) => (key.length === 3 && key[0] !== '_organisation' ? key[0] : undefined),
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
 * accounts, grants, care frameworks…) belong to no service: only a whole-organisation grant or
 * export shows them.
 */
export function streamBelongsToServices(
  streamId: string,
  firstEvent: { data: unknown },
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

/** Whether `streamBelongsToServices` must see the stream's first event to decide (its id does not say). */
export function serviceOfStreamIsInFirstEvent(streamId: string): boolean {
  const category = streamId.split(':')[1] ?? '';
  return SERVICE_IN_FIRST_EVENT[category] !== undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
