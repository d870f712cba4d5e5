import { addDays } from '../shared/calendar-date';
import { londonInstant } from '../shared/london-time';
import { londonDateOf } from '../shared/period';
import { weekdayName } from '../calendar/working-day-calendar';

/** Each provider offered a package on its own has 2 hours to accept. */
export const OFFER_WINDOW_MS = 2 * 3_600_000;

/** Offers are held over the weekend from Friday 12:00 until 09:00 on the next working day. */
export const FRIDAY_HOLD_STARTS = '12:00';
export const HOLD_ENDS = '09:00';

/** What the hold needs of the bank-holiday calendar. */
export interface WorkingDayCheck {
  isWorkingDay(date: string): boolean;
}

/**
 * Until when a package that became available at `availableAt` may not be offered beyond the
 * first-refusal provider (docs/rules/care-at-home-call-off.md#friday-hold: a package available
 * on a Friday after midday is not offered to the other providers until 09:00 on Monday).
 *
 * The hold covers the whole weekend it announces: from Friday 12:00 (exclusive: 12:00:00 is not
 * "after midday") to 09:00 on the first working day after that Friday — Monday, or Tuesday when
 * Monday is a bank holiday (docs/decisions/0013). A package that becomes available on the
 * Saturday, the Sunday or the bank-holiday Monday, or on that Monday before 09:00, is in the
 * same hold, as is one on a Friday that is itself a bank holiday (Good Friday), morning included. Null when there is none.
 */
export function heldUntil(availableAt: Date, calendar: WorkingDayCheck): Date | null {
  const friday = fridayOfWeekendContaining(availableAt, calendar);
  if (friday === null) return null;
  let day = addDays(friday, 1);
  while (!calendar.isWorkingDay(day)) day = addDays(day, 1);
  const until = londonInstant(day, HOLD_ENDS);
  return availableAt < until ? until : null;
}

/** The Friday whose "after midday" weekend `instant` falls in, or null on an ordinary day. */
function fridayOfWeekendContaining(instant: Date, calendar: WorkingDayCheck): string | null {
  const today = londonDateOf(instant);
  const weekday = weekdayName(today);
  // A Friday that is a bank holiday (Good Friday, Christmas Day 2026) is held all day: the
  // office is closed and the weekend has begun.
  if (weekday === 'Friday')
    return !calendar.isWorkingDay(today) || instant > londonInstant(today, FRIDAY_HOLD_STARTS)
      ? today
      : null;
  // Walk back over non-working days (the weekend, a bank-holiday Monday) and, on the first
  // working day, its hours before 09:00, to a Friday.
  let day = today;
  if (calendar.isWorkingDay(day) && instant >= londonInstant(day, HOLD_ENDS)) return null;
  for (let steps = 0; steps < 7; steps++) {
    day = addDays(day, -1);
    if (weekdayName(day) === 'Friday') return day;
    if (calendar.isWorkingDay(day)) return null;
  }
  return null;
}
