import type { WorkingDayCalendar } from '../calendar/working-day-calendar';
import { endOfLondonDay } from '../shared/london-time';
import { londonDateOf } from '../shared/period';
import type { ProviderNotificationKind } from './provider-notification.events';

const DAY_MS = 24 * 60 * 60 * 1000;

/** §51: the notice a provider gives before handing a package back, in calendar days. */
export const HAND_BACK_NOTICE_DAYS = 7;

/**
 * By when the council must be told (seed 004):
 * - §72, entry refused: "as soon as possible but no later than one day" — 24 hours after;
 * - §73, the others: "immediately (or the next working day if this is not possible)" — by the
 *   end (London midnight) of the next working day after the day it happened.
 */
export function notificationDueBy(
  kind: ProviderNotificationKind,
  occurredAt: Date,
  calendar: WorkingDayCalendar,
): Date {
  if (kind === 'refused-entry') return new Date(occurredAt.getTime() + DAY_MS);
  return endOfLondonDay(calendar.addWorkingDays(londonDateOf(occurredAt), 1));
}

/** §51: the package returns to the council seven days after the notice. */
export function handBackAt(noticeGivenAt: Date): Date {
  return new Date(noticeGivenAt.getTime() + HAND_BACK_NOTICE_DAYS * DAY_MS);
}
