import { InvalidCommandError } from './domain-errors';

/** A calendar date `YYYY-MM-DD` (no time, no zone): appointments, openings. */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseCalendarDate(value: unknown, field: string): string {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (
      date.getUTCFullYear() === year &&
      date.getUTCMonth() === month - 1 &&
      date.getUTCDate() === day
    )
      return value as string;
  }
  throw InvalidCommandError.of(
    field,
    `must be a date written YYYY-MM-DD; got ${JSON.stringify(value) ?? 'nothing'}`,
  );
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The last day of a `YYYY-MM` month. */
export function lastDayOfMonth(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/** The first day of a `YYYY-MM` month. */
export function firstDayOfMonth(period: string): string {
  return `${period}-01`;
}

/**
 * A date `months` calendar months later, on the same day of the month or, when that month is
 * shorter, on its last day (2026-01-31 + 1 month = 2026-02-28).
 */
export function addMonthsToDate(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}
