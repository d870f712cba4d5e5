import { FeatureCommand } from '@kpi/command-handling';
import type { NotificationMode } from '@kpi/domain';

/** The signed-in person chooses how they are emailed: at once, or a daily digest. */
export class SetNotificationPreference extends FeatureCommand<
  { mode: NotificationMode },
  { mode: NotificationMode }
> {}

/** The signed-in person marks notifications of theirs read: those named, or all. */
export class MarkNotificationsRead extends FeatureCommand<
  { notificationIds: string[] | 'all' },
  { marked: number; unread: number }
> {}

/** An admin clears a bounce: mail to the person's address is sent again. */
export class ClearBounce extends FeatureCommand<{ accountId: string }, { cleared: number }> {}
