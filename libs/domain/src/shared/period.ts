import { InvalidCommandError } from './domain-errors';

/**
 * A reporting period: a calendar month, written `YYYY-MM`. Quarters follow the UK financial
 * year (Q1 Apr–Jun … Q4 Jan–Mar). Every deadline is in Europe/London local time.
 */
export type Period = string & { readonly __brand: 'Period' };

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPeriod(value: unknown): value is Period {
  return typeof value === 'string' && PERIOD.test(value);
}

/** Checks a period from a command; throws InvalidCommandError naming `field`. */
export function parsePeriod(value: unknown, field = 'period'): Period {
  if (!isPeriod(value)) {
    throw InvalidCommandError.of(
      field,
      `must be a month written YYYY-MM (01–12); got ${JSON.stringify(value) ?? 'nothing'}`,
    );
  }
  return value;
}

export function periodOf(year: number, month: number): Period {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}` as Period;
}

export function yearMonth(period: Period): { year: number; month: number } {
  return { year: Number(period.slice(0, 4)), month: Number(period.slice(5, 7)) };
}

export function addMonths(period: Period, months: number): Period {
  const { year, month } = yearMonth(period);
  const index = year * 12 + (month - 1) + months;
  return periodOf(Math.floor(index / 12), (index % 12) + 1);
}

export const nextPeriod = (period: Period): Period => addMonths(period, 1);
export const previousPeriod = (period: Period): Period => addMonths(period, -1);

/** Months from `from` to `to` inclusive, in order (empty when `to` is before `from`). */
export function periodsBetween(from: Period, to: Period): Period[] {
  const periods: Period[] = [];
  for (let p = from; p <= to; p = nextPeriod(p)) periods.push(p);
  return periods;
}

const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date (YYYY-MM-DD) of an instant in Europe/London. */
export function londonDateOf(instant: Date): string {
  return londonDate.format(instant);
}

/** The month an instant falls in, in Europe/London. */
export function londonPeriodOf(instant: Date): Period {
  return londonDateOf(instant).slice(0, 7) as Period;
}

/**
 * The date a month's return is due: the 20th of the following month
 * (docs/rules/monthly-returns.md#due-date). A return is on time when it is
 * submitted on or before that date, London time.
 */
export function returnDueDate(period: Period): string {
  return `${nextPeriod(period)}-20`;
}

/** Whether a return for `period` submitted at `submittedAt` is late. */
export function isLateReturn(period: Period, submittedAt: Date): boolean {
  return londonDateOf(submittedAt) > returnDueDate(period);
}

/** Whether the month has ended by `now` (London time): only ended months can be reported. */
export function hasEnded(period: Period, now: Date): boolean {
  return period < londonPeriodOf(now);
}

/** The UK financial-year quarter of a month: `2016-17 Q3` for 2016-10 … 2016-12. */
export function financialQuarterOf(period: Period): string {
  const { year, month } = yearMonth(period);
  const startYear = month >= 4 ? year : year - 1;
  const quarter = month >= 4 ? Math.floor((month - 4) / 3) + 1 : 4;
  return `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')} Q${quarter}`;
}
