import {
  actingForProvider,
  frameworkViewer,
  handleCommand,
  loadWorkingDayCalendar,
  uuidFromParts,
  type CommandContext,
  type CommandOutcome,
  type DomainEvent,
} from '@kpi/command-handling';
import {
  carePackageDecider,
  ConflictError,
  foldEvents,
  handBackDecider,
  isSealed,
  NotFoundError,
  providerNotificationDecider,
  streamIds,
  type CarePackageEvent,
  type CarePackageRegistered,
  type HandBackEvent,
  type PersonalText,
  type ProviderNotificationEvent,
} from '@kpi/domain';
import { toDomainEvent } from '@kpi/command-handling';
import type { PersonalDataVault } from '@kpi/personal-data';
import type {
  AcknowledgeProviderNotificationInput,
  GiveHandBackNoticeInput,
  HandBackNoticeResult,
  LogProviderNotificationInput,
  ProviderNotificationAcknowledgedResult,
  ProviderNotificationLoggedResult,
} from './provider-notices.commands';

/**
 * A provider tells the council of something under a package placed with it (seed 004 §72–73):
 * written to the council's stream naming the provider, with by when it was due and whether it
 * was late. Who it concerns and what happened are sealed in the vault under the service user
 * (a new data subject unless the provider names one). 404 unless the caller is a provider on
 * the package's framework; 409 when the package is not placed with it.
 */
export async function logProviderNotification(
  context: CommandContext,
  vault: PersonalDataVault,
  input: LogProviderNotificationInput,
): Promise<ProviderNotificationLoggedResult> {
  const { councilId, packageId } = input;
  const { frameworkId, holder } = await packageOfProvider(context, councilId, packageId);
  if (holder !== context.tenantId) {
    throw new ConflictError(`Care package ${packageId} is not placed with ${context.tenantId}`);
  }
  const notificationId = uuidFromParts(context.commandId, 'provider-notification');
  const newSubjectId = uuidFromParts(context.commandId, 'service-user');
  const outcome = await handleCommand(
    actingForProvider(context, councilId),
    streamIds.providerNotification(councilId, notificationId),
    providerNotificationDecider,
    {
      type: 'LogProviderNotification',
      data: {
        notificationId,
        frameworkId,
        packageId,
        providerId: context.tenantId,
        kind: input.kind,
        occurredAt: input.occurredAt,
        notifiedAt: input.notifiedAt,
        serviceUser: input.serviceUser,
        details: input.details,
        subjectId: input.subjectId,
        newSubjectId,
        handBackAt: await handBackAtOf(context, councilId, packageId),
        calendar: await loadWorkingDayCalendar(context.store),
        loggedBy: context.actor,
        now: context.now,
      },
    },
    {
      beforeAppend: (events) =>
        Promise.all(
          events.map(async (event): Promise<ProviderNotificationEvent> => {
            if (event.type !== 'ProviderNotificationLogged') return event;
            const { subjectId, serviceUser, details } = event.data;
            const [sealedDetails, sealedUser] = await sealTexts(
              vault,
              councilId,
              subjectId,
              subjectId === newSubjectId,
              context.commandId,
              [details, serviceUser],
            );
            return {
              ...event,
              data: { ...event.data, details: sealedDetails!, serviceUser: sealedUser ?? null },
            };
          }),
        ),
    },
  );
  const { data } = eventOf(outcome, 'ProviderNotificationLogged');
  return {
    streamId: outcome.streamId,
    notificationId: data.notificationId,
    kind: data.kind,
    occurredAt: data.occurredAt,
    notifiedAt: data.notifiedAt,
    dueBy: data.dueBy,
    late: data.late,
    dataSubjectId: data.subjectId,
    replayed: outcome.replayed,
  };
}

/** The council records that it has seen a provider's notification (its own tenant only). */
export async function acknowledgeProviderNotification(
  context: CommandContext,
  { councilId, notificationId }: AcknowledgeProviderNotificationInput,
): Promise<ProviderNotificationAcknowledgedResult> {
  if (councilId !== context.tenantId) throw new NotFoundError(`No notification ${notificationId}`);
  const outcome = await handleCommand(
    context,
    streamIds.providerNotification(councilId, notificationId),
    providerNotificationDecider,
    {
      type: 'AcknowledgeProviderNotification',
      data: { notificationId, acknowledgedBy: context.actor, now: context.now },
    },
  );
  const { data } = eventOf(outcome, 'ProviderNotificationAcknowledged');
  return {
    streamId: outcome.streamId,
    notificationId: data.notificationId,
    acknowledgedAt: data.acknowledgedAt,
    replayed: outcome.replayed,
  };
}

/**
 * The provider holding a package gives notice to hand it back (seed 004 §51): the package
 * stays its own for seven days, then returns to the council. The reason is sealed under a data
 * subject of its own (it can name the family). 404 unless the caller is a provider on the
 * framework; 409 when the package is not placed with it, or notice was given already.
 */
export async function giveHandBackNotice(
  context: CommandContext,
  vault: PersonalDataVault,
  { councilId, packageId, reason }: GiveHandBackNoticeInput,
): Promise<HandBackNoticeResult> {
  const { frameworkId, holder } = await packageOfProvider(context, councilId, packageId);
  const subjectId = uuidFromParts(context.commandId, 'hand-back-reason');
  const outcome = await handleCommand(
    actingForProvider(context, councilId),
    streamIds.carePackageHandBack(councilId, packageId),
    handBackDecider,
    {
      type: 'GiveHandBackNotice',
      data: {
        packageId,
        frameworkId,
        providerId: context.tenantId,
        holder,
        reason,
        subjectId,
        givenBy: context.actor,
        now: context.now,
      },
    },
    {
      beforeAppend: (events) =>
        Promise.all(
          events.map(async (event): Promise<HandBackEvent> => {
            const [sealed] = await sealTexts(vault, councilId, subjectId, true, context.commandId, [
              event.data.reason,
            ]);
            return { ...event, data: { ...event.data, reason: sealed! } };
          }),
        ),
    },
  );
  const { data } = eventOf(outcome, 'PackageHandBackNoticeGiven');
  return {
    streamId: outcome.streamId,
    packageId: data.packageId,
    noticeGivenAt: data.noticeGivenAt,
    handBackAt: data.handBackAt,
    dataSubjectId: data.subjectId,
    replayed: outcome.replayed,
  };
}

/**
 * A council's package as a provider on its framework sees it: the framework, and the provider
 * it is placed with now (null: none). Anyone not on the framework: 404, as in the call-off.
 */
async function packageOfProvider(
  context: CommandContext,
  councilId: string,
  packageId: string,
): Promise<{ frameworkId: string; holder: string | null }> {
  const history = await context.store.readStream(streamIds.carePackage(councilId, packageId));
  const registered = history.find((event) => event.type === 'CarePackageRegistered');
  if (!registered) throw new NotFoundError(`No care package ${packageId}`);
  const { frameworkId } = registered.data as CarePackageRegistered['data'];
  const { viewer } = await frameworkViewer(context, councilId, frameworkId);
  if (viewer.kind !== 'provider') throw new NotFoundError(`No care package ${packageId} of yours`);
  const state = foldEvents(carePackageDecider, history.map(toDomainEvent<CarePackageEvent>));
  const accepted = state.package?.accepted ?? null;
  return { frameworkId, holder: state.package?.unplacedAt ? null : (accepted?.providerId ?? null) };
}

/** When the package returns to the council under a hand-back notice; null without one. */
async function handBackAtOf(
  context: CommandContext,
  councilId: string,
  packageId: string,
): Promise<string | null> {
  const history = await context.store.readStream(
    streamIds.carePackageHandBack(councilId, packageId),
  );
  const { notice } = foldEvents(handBackDecider, history.map(toDomainEvent<HandBackEvent>));
  return notice?.handBackAt ?? null;
}

/** Seals the texts not sealed yet under one subject (refs from the command), null for none. */
async function sealTexts(
  vault: PersonalDataVault,
  tenantId: string,
  subjectId: string,
  newSubject: boolean,
  commandId: string,
  texts: (PersonalText | null)[],
): Promise<(PersonalText | null)[]> {
  const toSeal = texts
    .map((text, index) => ({ text, index }))
    .filter((entry): entry is { text: string; index: number } => typeof entry.text === 'string');
  const input = {
    tenantId,
    subjectId,
    plaintexts: toSeal.map(({ text, index }) => ({
      ref: uuidFromParts(commandId, subjectId, String(index)),
      plaintext: text,
    })),
  };
  const sealed = await (newSubject ? vault.sealForNewSubject(input) : vault.seal(input));
  const byIndex = new Map(toSeal.map(({ index }, i) => [index, sealed[i]!]));
  return texts.map((text, index) => (text === null || isSealed(text) ? text : byIndex.get(index)!));
}

function eventOf<Event extends DomainEvent, Type extends Event['type']>(
  { streamId, events }: CommandOutcome<Event>,
  type: Type,
): Extract<Event, { type: Type }> {
  const found = events.find(
    (event): event is Extract<Event, { type: Type }> => event.type === type,
  );
  if (!found) throw new Error(`${streamId}: the command wrote no ${type}`);
  return found;
}
