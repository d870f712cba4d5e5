import {
  callOffRotationDecider,
  carePackageDecider,
  carePackageDetails,
  careFrameworkDecider,
  ConflictError,
  ENTITY_ID,
  heldUntil,
  InvalidCommandError,
  NotFoundError,
  organisationDecider,
  streamIds,
  type CallOffRotation,
  type CarePackageCommand,
  type CarePackageRegistered,
  type FieldProblem,
} from '@kpi/domain';
import {
  actingForProvider,
  councilFramework,
  frameworkViewer,
  loadWorkingDayCalendar,
  type CommandContext,
  handleCommand,
  loadState,
  uuidFromParts,
} from '@kpi/command-handling';
import type { RecordedEvent } from '@kpi/event-store';
import type {
  AddProviderToCareFrameworkInput,
  CareFrameworkOutcome,
  CarePackageOutcome,
  DeclineCarePackageInput,
  EstablishCareFrameworkInput,
  ProviderPackageInput,
  RecordCareStartedInput,
  RecordFamilyContactInput,
  RegisterCarePackageInput,
} from './call-off.commands';

/**
 * The care-at-home call-off (docs/rules/care-at-home-call-off.md; docs/decisions/0013). Every
 * stream is the council's: a council sets up its framework and refers packages with its own
 * tenant; a provider on the framework answers offers with *its* tenant, and its acts are
 * written to the council's streams naming it. Anyone else finds nothing (404).
 */

/**
 * Every referral of a framework appends to its one rotation stream: when several are referred at
 * once, each loses the race at most once per referral ahead of it, so it may decide this often.
 */
const ROTATION_ATTEMPTS = 20;

/**
 * How many of the latest referrals a referral reads: enough to find its own earlier turn when
 * a request is retried after a crash (moments later), never the whole history of the framework.
 */
const RECENT_REFERRALS = 200;

/** Sets up the caller's (a council's) framework agreement: providers in rotation order. */
export async function establishCareFramework(
  context: CommandContext,
  { frameworkId, name, contractStartDate, providers }: EstablishCareFrameworkInput,
): Promise<CareFrameworkOutcome> {
  await requireCouncil(context);
  await requireProviders(context, providers);
  return handleCommand(
    context,
    streamIds.careFramework(context.tenantId, frameworkId),
    careFrameworkDecider,
    {
      type: 'EstablishCareFramework',
      data: {
        frameworkId,
        councilId: context.tenantId,
        name,
        contractStartDate,
        providers,
        establishedBy: context.actor,
        now: context.now,
      },
    },
  );
}

/** Adds a provider to the end of the framework's rotation. */
export async function addProviderToCareFramework(
  context: CommandContext,
  { frameworkId, providerId }: AddProviderToCareFrameworkInput,
): Promise<CareFrameworkOutcome> {
  if (providerId === context.tenantId)
    throw InvalidCommandError.of('providerId', 'is the council itself, not a provider');
  await requireProviders(context, [providerId], 'providerId');
  return handleCommand(
    context,
    streamIds.careFramework(context.tenantId, frameworkId),
    careFrameworkDecider,
    {
      type: 'AddProviderToCareFramework',
      data: { frameworkId, providerId, addedBy: context.actor, now: context.now },
    },
  );
}

/**
 * Refers a new package: the framework's rotation stream gives it its turn (appended at its
 * version, so two packages at once never share a turn), then the package is registered and
 * offered to its first-refusal provider at once. Both steps carry the command id: a retry
 * finishes what a crash between them left, and a package referred but never registered is
 * registered, with the turn it was given, on the next try.
 */
export async function registerCarePackage(
  context: CommandContext,
  input: RegisterCarePackageInput,
): Promise<CarePackageOutcome> {
  const { frameworkId } = input;
  const packageId =
    input.packageId ?? `pkg-${uuidFromParts(context.commandId, 'care-package').slice(0, 18)}`;
  carePackageDetails(input);
  const packageStream = streamIds.carePackage(context.tenantId, packageId);
  const framework = await councilFramework(context, context.tenantId, frameworkId);
  const existing = await context.store.readStream(packageStream);
  // This very command registered it already (a retry): handleCommand answers what it wrote.
  const retried = existing.some((event) => event.metadata.commandId === context.commandId);
  if (existing.length > 0 && !retried)
    throw new ConflictError(`Package ${packageId} is already registered`, { packageId });
  const rotation = retried
    ? (existing[0]!.data as CarePackageRegistered['data']).rotation
    : await takeTurn(context, frameworkId, packageId, framework.providers);
  const calendar = await loadWorkingDayCalendar(context.store);
  return handleCommand(
    context,
    packageStream,
    carePackageDecider,
    {
      type: 'RegisterCarePackage',
      data: {
        ...input,
        packageId,
        frameworkId,
        rotation,
        heldUntil: heldUntil(context.now, calendar),
        registeredBy: context.actor,
        now: context.now,
      },
    },
    { read: { kind: 'known', history: existing } },
  );
}

/**
 * The package's turn of the framework's rotation: the one it was given already (a retry), or the
 * next, appended at the stream's version. Reads only the latest referrals, so referring stays as
 * quick in a framework's fifth year as on its first day.
 */
async function takeTurn(
  context: CommandContext,
  frameworkId: string,
  packageId: string,
  providers: readonly string[],
): Promise<CallOffRotation> {
  const { state } = await handleCommand(
    context,
    streamIds.careFrameworkRotation(context.tenantId, frameworkId),
    turnGivenOnce,
    { type: 'ReferCarePackage', data: { frameworkId, packageId, providers, now: context.now } },
    { read: { kind: 'last', count: RECENT_REFERRALS }, attempts: ROTATION_ATTEMPTS },
  );
  return state.referred.get(packageId)!;
}

/** The rotation, where a package already referred keeps the turn it was given (nothing new). */
const turnGivenOnce: typeof callOffRotationDecider = {
  ...callOffRotationDecider,
  decide: (command, state) =>
    state.referred.has(command.data.packageId) ? [] : callOffRotationDecider.decide(command, state),
};

/**
 * A package of a council, as stored, for the provider asking about it (404 for anyone not on
 * its framework). The history is handed on to the command, so the stream is read once.
 */
async function packageForProvider(
  context: CommandContext,
  councilId: string,
  packageId: string,
): Promise<readonly RecordedEvent[]> {
  const history = await context.store.readStream(streamIds.carePackage(councilId, packageId));
  const registered = history.find((event) => event.type === 'CarePackageRegistered');
  if (!registered) throw new NotFoundError(`No care package ${packageId}`);
  const { frameworkId } = registered.data as CarePackageRegistered['data'];
  const { viewer } = await frameworkViewer(context, councilId, frameworkId);
  if (viewer.kind !== 'provider')
    throw new NotFoundError(`No care package ${packageId} offered to you`);
  return history;
}

/** Who acts, on which package, at what time: what every provider command carries. */
interface ProviderAct {
  packageId: string;
  providerId: string;
  by: string;
  now: Date;
}

/**
 * A provider's act on a council's package: 404 unless the caller is a provider on its framework,
 * then the command, written to the council's stream naming the provider.
 */
async function providerActs(
  context: CommandContext,
  { councilId, packageId }: ProviderPackageInput,
  command: (act: ProviderAct) => CarePackageCommand,
): Promise<CarePackageOutcome> {
  const history = await packageForProvider(context, councilId, packageId);
  return handleCommand(
    actingForProvider(context, councilId),
    streamIds.carePackage(councilId, packageId),
    carePackageDecider,
    command({ packageId, providerId: context.tenantId, by: context.actor, now: context.now }),
    { read: { kind: 'known', history } },
  );
}

/** The caller's provider takes the package, if it is offered to it now (else 409 saying why). */
export function acceptCarePackage(
  context: CommandContext,
  input: ProviderPackageInput,
): Promise<CarePackageOutcome> {
  return providerActs(context, input, ({ packageId, providerId, by, now }) => ({
    type: 'AcceptCarePackage',
    data: { packageId, providerId, acceptedBy: by, now },
  }));
}

/** The caller's provider says it cannot take the package; the offer moves on. */
export function declineCarePackage(
  context: CommandContext,
  input: DeclineCarePackageInput,
): Promise<CarePackageOutcome> {
  return providerActs(context, input, ({ packageId, providerId, by, now }) => ({
    type: 'DeclineCarePackage',
    data: { packageId, providerId, reason: input.reason, declinedBy: by, now },
  }));
}

/** When the provider holding the package contacted the family (KPI: 24 hours, 12 if urgent). */
export function recordFamilyContact(
  context: CommandContext,
  input: RecordFamilyContactInput,
): Promise<CarePackageOutcome> {
  return providerActs(context, input, ({ packageId, providerId, by, now }) => ({
    type: 'RecordFamilyContact',
    data: { packageId, providerId, contactedAt: input.contactedAt, recordedBy: by, now },
  }));
}

/** The day care under the package started. */
export function recordCareStarted(
  context: CommandContext,
  input: RecordCareStartedInput,
): Promise<CarePackageOutcome> {
  return providerActs(context, input, ({ packageId, providerId, by, now }) => ({
    type: 'RecordCareStarted',
    data: { packageId, providerId, startedOn: input.startedOn, recordedBy: by, now },
  }));
}

/**
 * Records the offers that should have been made by now (the call-off timer, with the council's
 * tenant and a system actor). Writes nothing when the window is still open or the package placed.
 */
export function moveCarePackageOffer(context: CommandContext, input: { packageId: string }) {
  return handleCommand(
    context,
    streamIds.carePackage(context.tenantId, input.packageId),
    carePackageDecider,
    { type: 'MoveCarePackageOffer', data: { packageId: input.packageId, now: context.now } },
  );
}

async function requireCouncil(context: CommandContext): Promise<void> {
  const organisation = await loadState(
    context,
    streamIds.organisation(context.tenantId),
    organisationDecider,
  );
  if (organisation.status !== 'registered')
    throw new ConflictError(
      'Register the organisation (as a council) before setting up a framework',
    );
  if (organisation.kind !== 'council')
    throw new ConflictError(
      'Only a council sets up a care framework; this organisation is a provider',
    );
}

async function requireProviders(
  context: CommandContext,
  providers: readonly unknown[],
  field = 'providers',
): Promise<void> {
  const ids = providers.filter((p): p is string => typeof p === 'string' && ENTITY_ID.test(p));
  const streams = await context.store.readStreams(ids.map((id) => streamIds.organisation(id)));
  const problems: FieldProblem[] = [];
  providers.forEach((provider, index) => {
    if (typeof provider !== 'string' || !ids.includes(provider)) return;
    const registered = streams
      .get(streamIds.organisation(provider))
      ?.find((e) => e.type === 'OrganisationRegistered');
    if (!registered || (registered.data as { kind: string }).kind !== 'provider') {
      problems.push({
        field: field === 'providers' ? `providers[${index}]` : field,
        reason: `${provider} is not a registered provider organisation`,
      });
    }
  });
  if (problems.length > 0) throw new InvalidCommandError(problems);
}
