import { parseCalendarDate } from '../shared/calendar-date';

/** A bank holiday: a `YYYY-MM-DD` date and what it is called. */
export interface BankHoliday {
  date: string;
  name: string;
}

const DAY_MS = 86_400_000;

/**
 * Which days are working days in England & Wales: Monday to Friday,
 * except bank holidays. Immutable and pure; days are kept as numbers (days since 1970-01-01)
 * in a Map, so stepping through weeks costs no parsing. It knows only the holidays it is given:
 * the data file covers 2000–2040 and later years are added as they are proclaimed.
 */
export class WorkingDayCalendar {
  private constructor(
    private readonly holidays: ReadonlyMap<number, BankHoliday>,
    /** In date order, for listing. */
    private readonly sorted: readonly BankHoliday[],
  ) {}

  /** A calendar with these bank holidays; RangeError on a malformed date or a date listed twice. */
  static of(holidays: readonly BankHoliday[]): WorkingDayCalendar {
    const byDay = new Map<number, BankHoliday>();
    for (const { date, name } of holidays) {
      const day = dayNumberOf(date);
      if (byDay.has(day)) throw new RangeError(`${date} is listed twice as a bank holiday`);
      byDay.set(day, { date, name });
    }
    return WorkingDayCalendar.from(byDay);
  }

  private static from(byDay: Map<number, BankHoliday>): WorkingDayCalendar {
    const sorted = [...byDay.values()].sort((a, b) => a.date.localeCompare(b.date));
    return new WorkingDayCalendar(byDay, sorted);
  }

  /** The bank holiday on `date`, if it is one. */
  holidayOn(date: string): BankHoliday | undefined {
    return this.holidays.get(dayNumberOf(date));
  }

  isHoliday(date: string): boolean {
    return this.holidays.has(dayNumberOf(date));
  }

  /** Monday to Friday and not a bank holiday. */
  isWorkingDay(date: string): boolean {
    return this.isWorkingDayNumber(dayNumberOf(date));
  }

  /**
   * The `n`-th working day after `date` (`date` itself never counts, whether or not it is a
   * working day; n ≥ 1): Thursday 2026-04-02 + 15 = 2026-04-27, Good Friday and Easter Monday
   * skipped.
   */
  addWorkingDays(date: string, n: number): string {
    return dateOf(this.step(dayNumberOf(date), n, +1));
  }

  /** The `n`-th working day before `date` (`date` itself never counts; n ≥ 1). */
  workingDaysBefore(date: string, n: number): string {
    return dateOf(this.step(dayNumberOf(date), n, -1));
  }

  /** The bank holidays from `from` to `to`, both included, in date order. */
  holidaysBetween(from: string, to: string): BankHoliday[] {
    dayNumberOf(from);
    dayNumberOf(to);
    return this.sorted.filter((h) => h.date >= from && h.date <= to);
  }

  /** Every bank holiday the calendar knows, in date order. */
  all(): readonly BankHoliday[] {
    return this.sorted;
  }

  /** This calendar with one more bank holiday (it replaces one already on that date). */
  withHoliday(holiday: BankHoliday): WorkingDayCalendar {
    const byDay = new Map(this.holidays);
    byDay.set(dayNumberOf(holiday.date), { date: holiday.date, name: holiday.name });
    return WorkingDayCalendar.from(byDay);
  }

  /** This calendar with `date` a bank holiday no more. */
  withoutHoliday(date: string): WorkingDayCalendar {
    const byDay = new Map(this.holidays);
    byDay.delete(dayNumberOf(date));
    return WorkingDayCalendar.from(byDay);
  }

  private step(start: number, n: number, direction: 1 | -1): number {
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`A number of working days must be a whole number from 1; got ${n}`);
    }
    let day = start;
    for (let counted = 0; counted < n;) {
      day += direction;
      if (this.isWorkingDayNumber(day)) counted++;
    }
    return day;
  }

  private isWorkingDayNumber(day: number): boolean {
    const weekday = weekdayOf(day);
    return weekday !== 0 && weekday !== 6 && !this.holidays.has(day);
  }
}

/** Whether `date` (`YYYY-MM-DD`) is a Saturday or a Sunday. */
export function isWeekend(date: string): boolean {
  const weekday = weekdayOf(dayNumberOf(date));
  return weekday === 0 || weekday === 6;
}

/** The English name of the day of the week of `date`: `Thursday`. */
export function weekdayName(date: string): string {
  return WEEKDAYS[weekdayOf(dayNumberOf(date))]!;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** 0 = Sunday … 6 = Saturday; 1970-01-01 (day 0) was a Thursday. */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function dayNumberOf(date: string): number {
  try {
    parseCalendarDate(date, 'date');
  } catch {
    throw new RangeError(`Not a date written YYYY-MM-DD: ${JSON.stringify(date)}`);
  }
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
