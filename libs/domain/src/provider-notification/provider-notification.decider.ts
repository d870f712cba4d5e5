import type { Decider } from '../shared/decider';
import {
  ConflictError,
  InvalidCommandError,
  NotFoundError,
  type FieldProblem,
} from '../shared/domain-errors';
import { optionalText, requiredText } from '../shared/command-fields';
import { DATA_SUBJECT_ID_RULE, isDataSubjectId } from '../data-subject/personal-data';
import type {
  HandBackCommand,
  ProviderNotificationCommand,
} from './provider-notification.commands';
import {
  PROVIDER_NOTIFICATION_KINDS,
  type HandBackEvent,
  type ProviderNotificationEvent,
  type ProviderNotificationKind,
} from './provider-notification.events';
import { handBackAt, notificationDueBy } from './provider-notification.policy';

/** One notification, once logged: whether the council has acknowledged it. */
export interface ProviderNotificationState {
  notification: {
    notificationId: string;
    providerId: string;
    acknowledgedAt: string | null;
  } | null;
}

export const MAX_NOTIFICATION_DETAILS = 4000;
const MAX_SERVICE_USER = 200;
const MAX_HAND_BACK_REASON = 2000;

export const providerNotificationDecider: Decider<
  ProviderNotificationCommand,
  ProviderNotificationState,
  ProviderNotificationEvent
> = {
  initialState: () => ({ notification: null }),

  decide(command, { notification }) {
    switch (command.type) {
      case 'LogProviderNotification': {
        const { data } = command;
        if (notification) {
          throw new ConflictError(`Notification ${data.notificationId} is logged already`);
        }
        const problems: FieldProblem[] = [];
        if (!(PROVIDER_NOTIFICATION_KINDS as readonly unknown[]).includes(data.kind)) {
          problems.push({
            field: 'kind',
            reason: `must be one of ${PROVIDER_NOTIFICATION_KINDS.join(', ')}`,
          });
        }
        const occurredAt = pastInstant(data.occurredAt, 'occurredAt', data.now, problems);
        const notifiedAt =
          data.notifiedAt === undefined || data.notifiedAt === null
            ? data.now
            : pastInstant(data.notifiedAt, 'notifiedAt', data.now, problems);
        if (occurredAt && notifiedAt && notifiedAt < occurredAt) {
          problems.push({ field: 'notifiedAt', reason: 'is before it happened (occurredAt)' });
        }
        const details = requiredText(data.details, 'details', MAX_NOTIFICATION_DETAILS, problems);
        const serviceUser = optionalText(
          data.serviceUser,
          'serviceUser',
          MAX_SERVICE_USER,
          problems,
        );
        let subjectId = data.newSubjectId;
        if (data.subjectId !== undefined && data.subjectId !== null) {
          if (isDataSubjectId(data.subjectId)) subjectId = data.subjectId;
          else problems.push({ field: 'subjectId', reason: DATA_SUBJECT_ID_RULE });
        }
        if (problems.length > 0) throw new InvalidCommandError(problems);
        if (data.handBackAt && occurredAt! >= new Date(data.handBackAt)) {
          throw new ConflictError(
            `Care package ${data.packageId} was handed back to the council at ${data.handBackAt}: what happened after is not for its former provider to notify`,
            { handBackAt: data.handBackAt },
          );
        }
        const kind = data.kind as ProviderNotificationKind;
        const dueBy = notificationDueBy(kind, occurredAt!, data.calendar);
        return [
          {
            type: 'ProviderNotificationLogged',
            data: {
              notificationId: data.notificationId,
              frameworkId: data.frameworkId,
              packageId: data.packageId,
              providerId: data.providerId,
              kind,
              occurredAt: occurredAt!.toISOString(),
              notifiedAt: notifiedAt!.toISOString(),
              dueBy: dueBy.toISOString(),
              late: notifiedAt! > dueBy,
              subjectId,
              serviceUser,
              details: details!,
              loggedBy: data.loggedBy,
              loggedAt: data.now.toISOString(),
            },
          },
        ];
      }

      case 'AcknowledgeProviderNotification': {
        const { notificationId, acknowledgedBy, now } = command.data;
        if (!notification) throw new NotFoundError(`No notification ${notificationId}`);
        if (notification.acknowledgedAt) {
          throw new ConflictError(
            `Notification ${notificationId} was acknowledged already at ${notification.acknowledgedAt}`,
            { acknowledgedAt: notification.acknowledgedAt },
          );
        }
        return [
          {
            type: 'ProviderNotificationAcknowledged',
            data: { notificationId, acknowledgedBy, acknowledgedAt: now.toISOString() },
          },
        ];
      }

      default: {
        const unexpected: never = command;
        return unexpected;
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ProviderNotificationLogged':
        return {
          notification: {
            notificationId: event.data.notificationId,
            providerId: event.data.providerId,
            acknowledgedAt: null,
          },
        };
      case 'ProviderNotificationAcknowledged':
        return state.notification
          ? {
              notification: {
                ...state.notification,
                acknowledgedAt: event.data.acknowledgedAt,
              },
            }
          : state;
      default: {
        const unexpected: never = event;
        return unexpected;
      }
    }
  },
};

/** A package's hand-back notice, if one was given (§51). */
export interface HandBackState {
  notice: { providerId: string; noticeGivenAt: string; handBackAt: string } | null;
}

/**
 * A package's hand-back (§51): the provider it is placed with gives at least 7 days' notice; the
 * package stays the provider's until then, and returns to the council at `handBackAt` — a fact
 * of the notice and the clock, as the call-off's windows are (docs/decisions/0041).
 */
export const handBackDecider: Decider<HandBackCommand, HandBackState, HandBackEvent> = {
  initialState: () => ({ notice: null }),

  decide(command, { notice }) {
    const { packageId, frameworkId, providerId, holder, subjectId, givenBy, now } = command.data;
    if (holder !== providerId) {
      throw new ConflictError(`Care package ${packageId} is not placed with ${providerId}`);
    }
    if (notice) {
      const returned = new Date(notice.handBackAt) <= now;
      throw new ConflictError(
        returned
          ? `Care package ${packageId} was handed back to the council at ${notice.handBackAt}`
          : `Notice to hand care package ${packageId} back was given already: it returns to the council at ${notice.handBackAt}`,
        { handBackAt: notice.handBackAt },
      );
    }
    const problems: FieldProblem[] = [];
    const reason = requiredText(command.data.reason, 'reason', MAX_HAND_BACK_REASON, problems);
    if (problems.length > 0) throw new InvalidCommandError(problems);
    return [
      {
        type: 'PackageHandBackNoticeGiven',
        data: {
          packageId,
          frameworkId,
          providerId,
          noticeGivenAt: now.toISOString(),
          handBackAt: handBackAt(now).toISOString(),
          subjectId,
          reason: reason!,
          givenBy,
        },
      },
    ];
  },

  evolve(_state, event) {
    const { providerId, noticeGivenAt, handBackAt: at } = event.data;
    return { notice: { providerId, noticeGivenAt, handBackAt: at } };
  },
};

/** Whose a package is at `now` under its hand-back notice: still the provider's, or the council's. */
export function handBackStatus(
  notice: HandBackState['notice'],
  now: Date,
): 'none' | 'notice-pending' | 'handed-back' {
  if (!notice) return 'none';
  return new Date(notice.handBackAt) <= now ? 'handed-back' : 'notice-pending';
}

/** An ISO 8601 instant with a time zone, not in the future. */
function pastInstant(
  value: unknown,
  field: string,
  now: Date,
  problems: FieldProblem[],
): Date | undefined {
  const instant =
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
      ? new Date(value)
      : null;
  if (!instant || Number.isNaN(instant.getTime())) {
    problems.push({
      field,
      reason: 'must be a date and time with its time zone, e.g. 2026-04-02T14:30:00+01:00',
    });
    return undefined;
  }
  if (instant > now) {
    problems.push({ field, reason: `is in the future (now is ${now.toISOString()})` });
    return undefined;
  }
  return instant;
}
