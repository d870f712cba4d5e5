import {
  InvalidCommandError,
  kpiFrameworkDecider,
  monthlyReturnDecider,
  NotFoundError,
  parsePeriod,
  streamIds,
  versionInForce,
  foldEvents,
  type FrameworkVersion,
  type KpiFrameworkEvent,
} from '@kpi/domain';
import type { RecordedEvent } from '@kpi/event-store';
import {
  type CommandContext,
  entityId,
  handleCommand,
  loadState,
  toDomainEvent,
  registeredService,
} from '@kpi/command-handling';

export interface SubmitMonthlyReturnInput {
  serviceId: unknown;
  period: unknown;
  values: unknown;
}

/**
 * Submits a service's return for a month. The service must be the tenant's (else 404, the same
 * as a service that does not exist); the return is judged by the framework version in force
 * for that month.
 */
export async function submitMonthlyReturn(
  context: CommandContext,
  input: SubmitMonthlyReturnInput,
) {
  const serviceId = entityId(input.serviceId, 'serviceId');
  const period = parsePeriod(input.period);
  const { frameworkId, openedIn } = await serviceFacts(context, serviceId);
  if (period < openedIn) {
    throw InvalidCommandError.of(
      'period',
      `${serviceId} opened in ${openedIn}: there is no return for ${period}`,
    );
  }
  // The framework (only events not seen yet) and the return's own stream in one round trip.
  const returnStream = streamIds.monthlyReturn(context.tenantId, serviceId, period);
  const frameworkStream = streamIds.kpiFramework(context.tenantId, frameworkId);
  const known = knownFrameworkEvents(context, frameworkStream);
  const streams = await context.store.readStreams(
    [frameworkStream, returnStream],
    [known.length + 1, 1],
  );
  const frameworkEvents = [...known, ...streams.get(frameworkStream)!];
  rememberFrameworkEvents(context, frameworkStream, frameworkEvents);
  const framework = foldEvents(
    kpiFrameworkDecider,
    frameworkEvents.map(toDomainEvent<KpiFrameworkEvent>),
  );
  const version = versionInForce(framework, period);
  if (!version) throw noVersionInForce(frameworkId, period);
  return handleCommand(
    context,
    returnStream,
    monthlyReturnDecider,
    {
      type: 'SubmitMonthlyReturn',
      data: {
        serviceId,
        period,
        values: input.values,
        framework: version,
        submittedBy: context.actor,
        now: context.now,
      },
    },
    streams.get(returnStream),
  );
}

export interface AmendMonthlyReturnInput extends SubmitMonthlyReturnInput {
  reason: unknown;
}

/** Amends a submitted return; it is judged again by the version it was first judged by. */
export async function amendMonthlyReturn(context: CommandContext, input: AmendMonthlyReturnInput) {
  const serviceId = entityId(input.serviceId, 'serviceId');
  const period = parsePeriod(input.period);
  const streamId = streamIds.monthlyReturn(context.tenantId, serviceId, period);
  const current = await loadState(context, streamId, monthlyReturnDecider);
  if (current.status === 'none')
    throw new NotFoundError(`${serviceId} has no return for ${period} to amend`);
  const framework = await frameworkVersionFor(
    context,
    serviceId,
    (state) => state.versions.find((v) => v.version === current.frameworkVersion) ?? null,
    period,
  );
  return handleCommand(context, streamId, monthlyReturnDecider, {
    type: 'AmendMonthlyReturn',
    data: {
      serviceId,
      period,
      values: input.values,
      reason: input.reason,
      framework,
      amendedBy: context.actor,
      now: context.now,
    },
  });
}

async function frameworkVersionFor(
  context: CommandContext,
  serviceId: string,
  pick: (framework: Awaited<ReturnType<typeof loadFramework>>) => FrameworkVersion | null,
  period: string,
): Promise<FrameworkVersion> {
  const frameworkId = await frameworkOfService(context, serviceId);
  const version = pick(await loadFramework(context, frameworkId));
  if (!version) throw noVersionInForce(frameworkId, period);
  return version;
}

const noVersionInForce = (frameworkId: string, period: string) =>
  InvalidCommandError.of(
    'period',
    `no version of framework ${frameworkId} is in force for ${period}`,
  );

/** What a submission needs to know about its service; fixed once the service is registered. */
interface ServiceFacts {
  frameworkId: string;
  /** `YYYY-MM`: the first month it reports. */
  openedIn: string;
}

/**
 * The framework a service's returns are judged by and the month it opened. Neither changes
 * once the service is registered (and a service is never removed), so they are remembered per
 * store and tenant: a submission then needs one read and one append.
 */
const serviceFactsCache = new WeakMap<object, Map<string, ServiceFacts>>();

async function serviceFacts(context: CommandContext, serviceId: string): Promise<ServiceFacts> {
  let known = serviceFactsCache.get(context.store);
  if (!known) serviceFactsCache.set(context.store, (known = new Map()));
  const key = `${context.tenantId}\u0000${serviceId}`;
  const cached = known.get(key);
  if (cached !== undefined) return cached;
  const service = await registeredService(context, serviceId);
  const facts = { frameworkId: service.frameworkId, openedIn: service.openedOn.slice(0, 7) };
  known.set(key, facts);
  return facts;
}

/**
 * A framework's events seen so far, per store: events never change and versions have no gaps,
 * so a submission reads only what was published since (usually nothing) instead of the whole
 * framework every time.
 */
const frameworkEventsCache = new WeakMap<object, Map<string, RecordedEvent[]>>();

function knownFrameworkEvents(context: CommandContext, streamId: string): RecordedEvent[] {
  return frameworkEventsCache.get(context.store)?.get(streamId) ?? [];
}

function rememberFrameworkEvents(
  context: CommandContext,
  streamId: string,
  events: RecordedEvent[],
): void {
  let known = frameworkEventsCache.get(context.store);
  if (!known) frameworkEventsCache.set(context.store, (known = new Map()));
  known.set(streamId, events);
}

async function frameworkOfService(context: CommandContext, serviceId: string): Promise<string> {
  return (await serviceFacts(context, serviceId)).frameworkId;
}

function loadFramework(context: CommandContext, frameworkId: string) {
  return loadState(
    context,
    streamIds.kpiFramework(context.tenantId, frameworkId),
    kpiFrameworkDecider,
  );
}
