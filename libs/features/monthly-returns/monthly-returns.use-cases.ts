import {
  InvalidCommandError,
  kpiFrameworkDecider,
  monthlyReturnDecider,
  NotFoundError,
  returnDueDate,
  streamIds,
  versionInForce,
  foldEvents,
  signOffDecider,
  type KpiFrameworkEvent,
  type SignOffEvent,
  type MonthlyReturnEvent,
  type MonthlyReturnState,
} from '@kpi/domain';
import {
  handleCommand,
  loadState,
  toDomainEvent,
  type CommandContext,
  type CommandOutcome,
} from '@kpi/command-handling';
import type { PersonalDataVault } from '@kpi/personal-data';
import { sealAmendmentReason } from './amendment-reason';
import { MonthlyReturnCaches } from './monthly-return-caches';
import type {
  AmendMonthlyReturnInput,
  JudgedReturn,
  SubmitMonthlyReturnInput,
} from './monthly-returns.commands';

/**
 * Submits a service's return for a month. The service must be the tenant's (else 404, the same
 * as a service that does not exist); the return is judged by the framework version in force
 * for that month.
 */
export async function submitMonthlyReturn(
  context: CommandContext,
  { serviceId, period, values }: SubmitMonthlyReturnInput,
  caches: MonthlyReturnCaches = new MonthlyReturnCaches(),
): Promise<JudgedReturn> {
  const { frameworkId, openedIn } = await caches.serviceFacts(context, serviceId);
  if (period < openedIn) {
    throw InvalidCommandError.of(
      'period',
      `${serviceId} opened in ${openedIn}: there is no return for ${period}`,
    );
  }
  // The framework (only events not seen yet), the return's own stream and the organisation's
  // sign-off setting in one round trip.
  const returnStream = streamIds.monthlyReturn(context.tenantId, serviceId, period);
  const frameworkStream = streamIds.kpiFramework(context.tenantId, frameworkId);
  const signOffStream = streamIds.signOff(context.tenantId);
  const known = caches.frameworkEvents(frameworkStream);
  const streams = await context.store.readStreams(
    [frameworkStream, returnStream, signOffStream],
    [known.length + 1, 1, 1],
  );
  const signOff = foldEvents(
    signOffDecider,
    (streams.get(signOffStream) ?? []).map(toDomainEvent<SignOffEvent>),
  );
  const frameworkEvents = [...known, ...streams.get(frameworkStream)!];
  caches.rememberFrameworkEvents(frameworkStream, frameworkEvents);
  const framework = foldEvents(
    kpiFrameworkDecider,
    frameworkEvents.map(toDomainEvent<KpiFrameworkEvent>),
  );
  const version = versionInForce(framework, period);
  if (!version) throw noVersionInForce(frameworkId, period);
  const outcome = await handleCommand(
    context,
    returnStream,
    monthlyReturnDecider,
    {
      type: 'SubmitMonthlyReturn',
      data: {
        serviceId,
        period,
        values,
        framework: version,
        submittedBy: context.actor,
        signOff: signOff.on,
        now: context.now,
      },
    },
    { read: { kind: 'known', history: streams.get(returnStream)! } },
  );
  return judgedReturn(outcome);
}

/**
 * Amends a submitted return; it is judged again by the version it was first judged by. The
 * reason is sealed into the vault under a data subject of its own (amendment-reason.ts).
 */
export async function amendMonthlyReturn(
  context: CommandContext,
  vault: PersonalDataVault,
  { serviceId, period, values, reason }: AmendMonthlyReturnInput,
  caches: MonthlyReturnCaches = new MonthlyReturnCaches(),
): Promise<JudgedReturn> {
  const streamId = streamIds.monthlyReturn(context.tenantId, serviceId, period);
  const current = await loadState(context, streamId, monthlyReturnDecider);
  if (current.status === 'none')
    throw new NotFoundError(`${serviceId} has no return for ${period} to amend`);
  const { frameworkId } = await caches.serviceFacts(context, serviceId);
  const framework = await loadFramework(context, frameworkId);
  const version = framework.versions.find((v) => v.version === current.frameworkVersion);
  if (!version) throw noVersionInForce(frameworkId, period);
  const signOff = await loadState(context, streamIds.signOff(context.tenantId), signOffDecider);
  const outcome = await handleCommand(
    context,
    streamId,
    monthlyReturnDecider,
    {
      type: 'AmendMonthlyReturn',
      data: {
        serviceId,
        period,
        values,
        reason,
        framework: version,
        amendedBy: context.actor,
        signOff: signOff.on,
        now: context.now,
      },
    },
    { beforeAppend: sealAmendmentReason(vault, context) },
  );
  return judgedReturn(outcome);
}

/** What a submission or an amendment answers: the return as its (last) event judged it. */
function judgedReturn({
  streamId,
  events,
  state,
  replayed,
  appended,
}: CommandOutcome<MonthlyReturnEvent, MonthlyReturnState>): JudgedReturn {
  const last = events[events.length - 1]!;
  if (state.status !== 'submitted')
    throw new Error(`${streamId} holds no return after ${last.type}`);
  if (last.type !== 'MonthlyReturnSubmitted' && last.type !== 'MonthlyReturnAmended')
    throw new Error(`${streamId}: ${last.type} sets no figures`);
  return {
    streamId,
    serviceId: state.serviceId,
    period: state.period,
    frameworkId: last.data.frameworkId,
    frameworkVersion: last.data.frameworkVersion,
    dueDate: returnDueDate(state.period),
    late: last.type === 'MonthlyReturnSubmitted' ? last.data.late : null,
    results: last.data.results,
    bonus: last.data.bonus,
    amendments: last.type === 'MonthlyReturnAmended' ? last.data.amendmentNumber : 0,
    signOff: state.signOff?.stage ?? null,
    replayed,
    appended,
  };
}

const noVersionInForce = (frameworkId: string, period: string) =>
  InvalidCommandError.of(
    'period',
    `no version of framework ${frameworkId} is in force for ${period}`,
  );

function loadFramework(context: CommandContext, frameworkId: string) {
  return loadState(
    context,
    streamIds.kpiFramework(context.tenantId, frameworkId),
    kpiFrameworkDecider,
  );
}
