import { toDomainEvent } from '@kpi/command-handling';
import {
  isSealed,
  NotFoundError,
  streamIds,
  type ProviderNotificationEvent,
  type ProviderNotificationKind,
} from '@kpi/domain';
import { openedText, type OpenedPersonalData, type PersonalDataVault } from '@kpi/personal-data';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';

/** One notification with who it concerns and what happened opened (or `{ erasedOn }`). */
export interface ProviderNotificationDetails {
  notificationId: string;
  frameworkId: string;
  packageId: string;
  providerId: string;
  kind: ProviderNotificationKind;
  occurredAt: string;
  notifiedAt: string;
  dueBy: string;
  late: boolean;
  /** The service user as a data subject: what a data-protection officer erases. */
  dataSubjectId: string;
  serviceUser: OpenedPersonalData | null;
  details: OpenedPersonalData;
  loggedBy: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

export class ReadProviderNotification extends FeatureQuery<
  { councilId: string; notificationId: string },
  ProviderNotificationDetails
> {}

/**
 * One notification from its stream, its texts opened from the vault in one query: for the
 * council, or the provider that gave it; anyone else (another provider, another council) 404.
 */
export async function readProviderNotification(
  _db: Queryable,
  callerTenantId: string,
  { councilId, notificationId }: { councilId: string; notificationId: string },
  { store, vault }: QueryReading & { vault: PersonalDataVault },
): Promise<ProviderNotificationDetails> {
  const events = (
    await store.readStream(streamIds.providerNotification(councilId, notificationId))
  ).map(toDomainEvent<ProviderNotificationEvent>);
  const logged = events.find((e) => e.type === 'ProviderNotificationLogged');
  if (
    !logged ||
    logged.type !== 'ProviderNotificationLogged' ||
    (callerTenantId !== councilId && callerTenantId !== logged.data.providerId)
  ) {
    throw new NotFoundError(`No notification ${notificationId}`);
  }
  const acknowledged = events.find((e) => e.type === 'ProviderNotificationAcknowledged');
  const { data } = logged;
  const texts = [data.details, data.serviceUser].filter(isSealed);
  const opened = await vault.open(councilId, texts);
  return {
    notificationId: data.notificationId,
    frameworkId: data.frameworkId,
    packageId: data.packageId,
    providerId: data.providerId,
    kind: data.kind,
    occurredAt: data.occurredAt,
    notifiedAt: data.notifiedAt,
    dueBy: data.dueBy,
    late: data.late,
    dataSubjectId: data.subjectId,
    serviceUser: data.serviceUser === null ? null : openedText(data.serviceUser, opened),
    details: openedText(data.details, opened),
    loggedBy: data.loggedBy,
    acknowledgedAt:
      acknowledged?.type === 'ProviderNotificationAcknowledged'
        ? acknowledged.data.acknowledgedAt
        : null,
    acknowledgedBy:
      acknowledged?.type === 'ProviderNotificationAcknowledged'
        ? acknowledged.data.acknowledgedBy
        : null,
  };
}
