import { FeatureCommand, type EntityId } from '@kpi/command-handling';
import type { ProviderNotificationKind } from '@kpi/domain';

/*
 * What providers tell the council about the packages they hold (seed 004 §72–73, §51;
 * docs/decisions/0041). Ids come parsed at the edge; kinds, times and texts are the decider's.
 */

export interface LogProviderNotificationInput {
  councilId: EntityId;
  packageId: EntityId;
  kind: ProviderNotificationKind;
  /** ISO 8601 with a time zone: when it happened. */
  occurredAt: string;
  /** When the council was told, if before it is logged (a phone call); by default now. */
  notifiedAt?: string;
  /** Who it concerns (sealed in the vault): e.g. the child's first name. */
  serviceUser?: string | null;
  /** What happened and what is being done (sealed in the vault). */
  details: string;
  /** The service user as a data subject already known; by default a new one per notification. */
  subjectId?: string;
}

export interface ProviderNotificationLoggedResult {
  streamId: string;
  notificationId: string;
  kind: ProviderNotificationKind;
  occurredAt: string;
  notifiedAt: string;
  dueBy: string;
  late: boolean;
  dataSubjectId: string;
  replayed: boolean;
}

export interface AcknowledgeProviderNotificationInput {
  councilId: EntityId;
  notificationId: EntityId;
}

export interface ProviderNotificationAcknowledgedResult {
  streamId: string;
  notificationId: string;
  acknowledgedAt: string;
  replayed: boolean;
}

export interface GiveHandBackNoticeInput {
  councilId: EntityId;
  packageId: EntityId;
  /** Why the provider cannot go on (sealed in the vault: it can name the family). */
  reason: string;
}

export interface HandBackNoticeResult {
  streamId: string;
  packageId: string;
  noticeGivenAt: string;
  /** When the package returns to the council: seven days after the notice. */
  handBackAt: string;
  dataSubjectId: string;
  replayed: boolean;
}

export class LogProviderNotification extends FeatureCommand<
  LogProviderNotificationInput,
  ProviderNotificationLoggedResult
> {}

export class AcknowledgeProviderNotification extends FeatureCommand<
  AcknowledgeProviderNotificationInput,
  ProviderNotificationAcknowledgedResult
> {}

export class GiveHandBackNotice extends FeatureCommand<
  GiveHandBackNoticeInput,
  HandBackNoticeResult
> {}
