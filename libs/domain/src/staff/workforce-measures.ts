import { addMonthsToDate, firstDayOfMonth, lastDayOfMonth } from '../shared/calendar-date';
import { InvalidCommandError } from '../shared/domain-errors';
import { addMonths, financialQuarterOf, periodOf } from '../shared/period';

/**
 * The workforce KPIs of a service (docs/rules/workforce.md), as pure functions of
 * the staff register and the one-to-one supervisions each staff member received. Each result
 * carries its numerator and denominator, so it can be typed into a monthly return as a ratio.
 * docs/workforce.md explains the choices.
 */

/** What the measures need of one staff member. */
export interface StaffTenure {
  staffId: string;
  /** `YYYY-MM-DD`: first day in post. */
  startedOn: string;
  /** `YYYY-MM-DD`: last day in post (in post that day), or null while in post. */
  leftOn: string | null;
  /** Dates of the one-to-one supervisions received (any order). */
  oneToOneDates: readonly string[];
}

/** Every care staff member must have a one-to-one at least every three months. */
export const SUPERVISION_INTERVAL_MONTHS = 3;

/** Whether the staff member is in post on `date` (from `startedOn` to `leftOn`, both included). */
export function isInPost(staff: StaffTenure, date: string): boolean {
  return staff.startedOn <= date && (staff.leftOn === null || staff.leftOn >= date);
}

/** 100 × numerator / denominator to one decimal place; null when the denominator is 0. */
export function percentageOf(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  return Math.round((1000 * numerator) / denominator) / 10;
}

export interface SupervisionCompliance {
  on: string;
  /** Sessions after this date and on or before `on` count: `on` − 3 calendar months. */
  windowStartsAfter: string;
  /** Staff in post on `on`. */
  inPost: number;
  /** In post for under three months on `on`: not yet due a one-to-one, left out of both counts. */
  notYetDue: number;
  /** Staff due who had a one-to-one in the window. */
  numerator: number;
  /** Staff in post on `on` who started at least three months before (`inPost − notYetDue`). */
  denominator: number;
  /** The percentage (target 100); null when nobody is due. */
  value: number | null;
  /** Staff due who had no one-to-one in the window, by id (sorted). */
  overdue: string[];
}

/**
 * Supervision compliance on a date: of the staff in post that day who have been in post for at
 * least three months (`on` ≥ `startedOn` + 3 calendar months), the share who had a one-to-one
 * supervision in the three months up to it (`on` − 3 months < session date ≤ `on`). A new
 * starter is not yet due their first quarterly one-to-one, so counts in neither the numerator
 * nor the denominator until three months after starting.
 */
export function supervisionCompliance(
  staff: readonly StaffTenure[],
  on: string,
): SupervisionCompliance {
  const windowStartsAfter = addMonthsToDate(on, -SUPERVISION_INTERVAL_MONTHS);
  const inPost = staff.filter((s) => isInPost(s, on));
  const due = inPost.filter((s) => addMonthsToDate(s.startedOn, SUPERVISION_INTERVAL_MONTHS) <= on);
  const supervised = due.filter((s) =>
    s.oneToOneDates.some((date) => date > windowStartsAfter && date <= on),
  );
  return {
    on,
    windowStartsAfter,
    inPost: inPost.length,
    notYetDue: inPost.length - due.length,
    numerator: supervised.length,
    denominator: due.length,
    value: percentageOf(supervised.length, due.length),
    overdue: due
      .filter((s) => !supervised.includes(s))
      .map((s) => s.staffId)
      .sort(),
  };
}

/** A UK financial-year quarter: `2026-27 Q1` is April to June 2026, Q4 January to March 2027. */
export interface FinancialQuarter {
  quarter: string;
  firstDay: string;
  lastDay: string;
}

const QUARTER = /^(\d{4})-\d{2} Q([1-4])$/;

/**
 * Reads a quarter written `2026-27 Q1`; throws InvalidCommandError naming `field`. The first
 * year is from 1000 to 9998, so every day of the quarter is a four-digit `YYYY-MM-DD`.
 */
export function parseFinancialQuarter(value: unknown, field = 'quarter'): FinancialQuarter {
  const match = typeof value === 'string' ? QUARTER.exec(value) : null;
  const startYear = Number(match?.[1]);
  // Q1 starts in April of the first year; Q4 in January of the next.
  const firstMonth =
    match && startYear >= 1000 && startYear <= 9998
      ? addMonths(periodOf(startYear, 4), 3 * (Number(match[2]) - 1))
      : null;
  if (firstMonth === null || financialQuarterOf(firstMonth) !== value) {
    throw InvalidCommandError.of(
      field,
      `must be a UK financial-year quarter written like 2026-27 Q1 (Q1 April–June … Q4 January–March); got ${JSON.stringify(value) ?? 'nothing'}`,
    );
  }
  return {
    quarter: value as string,
    firstDay: firstDayOfMonth(firstMonth),
    lastDay: lastDayOfMonth(addMonths(firstMonth, 2)),
  };
}

export interface StaffTurnover extends FinancialQuarter {
  /** In post on the quarter's first day. */
  headcountAtStart: number;
  /** In post at the close of its last day: started by then and not left by then. */
  headcountAtEnd: number;
  /** Started after the first day, by the last (`headcountAtEnd = atStart + joiners − leavers`). */
  joiners: number;
  /** Left in the quarter (last day in post from its first day to its last): the numerator. */
  numerator: number;
  /** The average headcount, (atStart + atEnd) / 2. */
  denominator: number;
  /** Turnover as a percentage (target under 5); null when nobody was in post. */
  value: number | null;
}

/**
 * Staff turnover in a quarter: leavers in the quarter ÷ the average of the headcount at its
 * start and at its end, as a percentage — 2 leavers with 10 at the start and 8 at the end is
 * 2 ÷ 9 = 22.2 %.
 */
export function staffTurnover(
  staff: readonly StaffTenure[],
  quarter: FinancialQuarter,
): StaffTurnover {
  const { firstDay, lastDay } = quarter;
  const headcountAtStart = staff.filter((s) => isInPost(s, firstDay)).length;
  const headcountAtEnd = staff.filter(
    (s) => s.startedOn <= lastDay && (s.leftOn === null || s.leftOn > lastDay),
  ).length;
  const joiners = staff.filter((s) => s.startedOn > firstDay && s.startedOn <= lastDay).length;
  const leavers = staff.filter(
    (s) => s.leftOn !== null && s.leftOn >= firstDay && s.leftOn <= lastDay,
  ).length;
  const denominator = (headcountAtStart + headcountAtEnd) / 2;
  return {
    ...quarter,
    headcountAtStart,
    headcountAtEnd,
    joiners,
    numerator: leavers,
    denominator,
    value: percentageOf(leavers, denominator),
  };
}
