import type { Decider } from '../shared/decider';
import { parseCalendarDate } from '../shared/calendar-date';
import {
  ConflictError,
  InvalidCommandError,
  NotFoundError,
  type FieldProblem,
} from '../shared/domain-errors';
import { requiredText } from '../shared/command-fields';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from './bank-holidays';
import type { CalendarCommand } from './calendar.commands';
import type { CalendarEvent } from './calendar.events';
import {
  isWeekend,
  weekdayName,
  WorkingDayCalendar,
  type BankHoliday,
} from './working-day-calendar';

const MAX_NAME = 200;
const MAX_REASON = 500;

/**
 * The platform's bank-holiday calendar: its state is the calendar in force, the data file with
 * the stream's adjustments applied in order. `base` is the data file (a smaller list in specs).
 */
export function calendarDeciderFrom(
  base: readonly BankHoliday[],
): Decider<CalendarCommand, WorkingDayCalendar, CalendarEvent> {
  const initial = WorkingDayCalendar.of(base);
  return {
    initialState: () => initial,

    decide(command, calendar) {
      switch (command.type) {
        case 'AddBankHoliday': {
          const { addedBy, now } = command.data;
          const problems: FieldProblem[] = [];
          const date = weekdayField(command.data.date, problems);
          const name = requiredText(command.data.name, 'name', MAX_NAME, problems);
          if (problems.length > 0) throw new InvalidCommandError(problems);
          const existing = calendar.holidayOn(date!);
          if (existing) {
            throw new ConflictError(`${date} is already a bank holiday (${existing.name})`, {
              existingHoliday: existing,
            });
          }
          return [
            {
              type: 'BankHolidayAdded',
              data: { date: date!, name: name!, addedBy, addedAt: now.toISOString() },
            },
          ];
        }
        case 'RemoveBankHoliday': {
          const { removedBy, now } = command.data;
          const problems: FieldProblem[] = [];
          const date = dateField(command.data.date, problems);
          const reason = requiredText(command.data.reason, 'reason', MAX_REASON, problems);
          if (problems.length > 0) throw new InvalidCommandError(problems);
          if (!calendar.isHoliday(date!)) throw new NotFoundError(`${date} is not a bank holiday`);
          return [
            {
              type: 'BankHolidayRemoved',
              data: { date: date!, reason: reason!, removedBy, removedAt: now.toISOString() },
            },
          ];
        }
        default: {
          const unexpected: never = command;
          return unexpected;
        }
      }
    },

    evolve(calendar, event) {
      switch (event.type) {
        case 'BankHolidayAdded':
          return calendar.withHoliday({ date: event.data.date, name: event.data.name });
        case 'BankHolidayRemoved':
          return calendar.withoutHoliday(event.data.date);
        default: {
          const unexpected: never = event;
          return unexpected;
        }
      }
    },
  };
}

/** The England & Wales calendar: the generated data file plus the platform stream's adjustments. */
export const calendarDecider = calendarDeciderFrom(ENGLAND_AND_WALES_BANK_HOLIDAYS);

/** A date that can be a bank holiday: a weekend day never is one (its substitute weekday is). */
function weekdayField(value: unknown, problems: FieldProblem[]): string | undefined {
  const date = dateField(value, problems);
  if (date !== undefined && isWeekend(date)) {
    problems.push({
      field: 'date',
      reason: `is a ${weekdayName(date)}: a bank holiday that falls on a weekend is taken on a substitute weekday; add that day instead`,
    });
    return undefined;
  }
  return date;
}

function dateField(value: unknown, problems: FieldProblem[]): string | undefined {
  try {
    return parseCalendarDate(value, 'date');
  } catch (error) {
    if (!(error instanceof InvalidCommandError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}
