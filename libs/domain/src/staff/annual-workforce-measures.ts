import { addDays, addMonthsToDate } from '../shared/calendar-date';
import { percentageOf, type FinancialQuarter } from './workforce-measures';

/**
 * The development KPIs of the care-at-home contract (5.2 and 5.3; PROVIDER_KPIS in
 * call-off/provider-kpis.ts): the annual appraisal and the Care Certificate within 12 weeks of
 * starting, as pure functions of the staff register. Like supervision and turnover
 * (workforce-measures.ts), every role counts: the contract asks them of "all staff"
 * (docs/rules/workforce.md#development-kpis).
 */

/** What these measures need of one staff member. */
export interface StaffDevelopment {
  staffId: string;
  /** `YYYY-MM-DD`: first day in post. */
  startedOn: string;
  /** `YYYY-MM-DD`: last day in post (in post that day), or null while in post. */
  leftOn: string | null;
  /** Dates of the appraisals held (any order). */
  appraisalDates: readonly string[];
  /** Dates on which the Care Certificate was recorded as completed (any order; usually one). */
  careCertificateDates: readonly string[];
}

/** Every member of staff must have an appraisal at least every twelve months. */
export const APPRAISAL_INTERVAL_MONTHS = 12;

/** The Care Certificate is obtained within the first 12 weeks of employment. */
export const CARE_CERTIFICATE_WEEKS = 12;

/**
 * The last day the Care Certificate is in time: 12 weeks (84 days) after the first day in post,
 * as the register's Care Certificate deadline has it (deadline.ts `starterDeadlines`).
 */
export function careCertificateDueOn(startedOn: string): string {
  return addDays(startedOn, CARE_CERTIFICATE_WEEKS * 7);
}

/** In post on `date`, from `startedOn` to `leftOn` both included (as workforce-measures' isInPost). */
const inPostOn = (staff: StaffDevelopment, date: string): boolean =>
  staff.startedOn <= date && (staff.leftOn === null || staff.leftOn >= date);

export interface AnnualAppraisal {
  on: string;
  /** Appraisals after this date and on or before `on` count: `on` − 12 calendar months. */
  windowStartsAfter: string;
  /** Staff in post on `on`. */
  inPost: number;
  /** In post for under a year on `on`: not yet due their first appraisal, left out of both counts. */
  notYetDue: number;
  /** Staff due who were appraised in the twelve months to `on`. */
  numerator: number;
  /** Staff in post on `on` who started at least a year before (`inPost − notYetDue`). */
  denominator: number;
  /** The percentage (target 100); null when nobody is due. */
  value: number | null;
  /** Staff due without an appraisal in the window, by id (sorted). */
  overdue: string[];
}

/**
 * KPI 5.2 on a date (the quarter's last day, for the quarterly return): of the staff in post
 * that day who have been in post for at least a year (`on` ≥ `startedOn` + 12 calendar months),
 * the share appraised in the twelve months up to it (`on` − 12 months < appraisal ≤ `on`).
 * Someone in their first year is not yet due an appraisal and counts in neither the numerator
 * nor the denominator — the same rule as supervisionCompliance's three months.
 */
export function annualAppraisal(staff: readonly StaffDevelopment[], on: string): AnnualAppraisal {
  const windowStartsAfter = addMonthsToDate(on, -APPRAISAL_INTERVAL_MONTHS);
  const inPost = staff.filter((s) => inPostOn(s, on));
  const due = inPost.filter((s) => addMonthsToDate(s.startedOn, APPRAISAL_INTERVAL_MONTHS) <= on);
  const appraised = due.filter((s) =>
    s.appraisalDates.some((date) => date > windowStartsAfter && date <= on),
  );
  return {
    on,
    windowStartsAfter,
    inPost: inPost.length,
    notYetDue: inPost.length - due.length,
    numerator: appraised.length,
    denominator: due.length,
    value: percentageOf(appraised.length, due.length),
    overdue: due
      .filter((s) => !appraised.includes(s))
      .map((s) => s.staffId)
      .sort(),
  };
}

export interface CareCertificateInTwelveWeeks extends FinancialQuarter {
  /** Of the staff counted, those who completed it by the end of their 12 weeks. */
  numerator: number;
  /** Staff whose 12 weeks ended in the quarter, in post that day (pending ones left out). */
  denominator: number;
  /** 12 weeks ending in the quarter but not yet over (on or after `today`), not yet completed. */
  pending: number;
  /** Left before their 12 weeks were up: not expected to complete it, counted nowhere. */
  leftBeforeDue: number;
  /** The percentage (target 100); null when nobody is counted. */
  value: number | null;
  /** Staff counted who had not completed it by the end of their 12 weeks, by id (sorted). */
  missed: string[];
}

/**
 * KPI 5.3 in a quarter: the staff whose 12 weeks from starting ended in the quarter (the Care
 * Certificate's due date, {@link careCertificateDueOn}, falls in it), and of them those who
 * completed it by that date. Each starter counts once, in the quarter their 12 weeks end, so
 * the quarters' figures add up.
 *
 * - Someone who left before their 12 weeks were up was not there to complete it: counted
 *   nowhere (counting them only when they had completed it would make the denominator depend
 *   on the numerator).
 * - Someone whose 12 weeks are still running (due on or after `today`) and who has not yet
 *   completed it is pending, as a complaint not yet due (complaintKpi): neither met nor missed.
 */
export function careCertificateInTwelveWeeks(
  staff: readonly StaffDevelopment[],
  quarter: FinancialQuarter,
  today: string,
): CareCertificateInTwelveWeeks {
  const result: CareCertificateInTwelveWeeks = {
    ...quarter,
    numerator: 0,
    denominator: 0,
    pending: 0,
    leftBeforeDue: 0,
    value: null,
    missed: [],
  };
  for (const member of staff) {
    const dueOn = careCertificateDueOn(member.startedOn);
    if (dueOn < quarter.firstDay || dueOn > quarter.lastDay) continue;
    if (!inPostOn(member, dueOn)) {
      result.leftBeforeDue++;
      continue;
    }
    const inTime = member.careCertificateDates.some((date) => date <= dueOn);
    if (!inTime && dueOn >= today) {
      result.pending++;
      continue;
    }
    result.denominator++;
    if (inTime) result.numerator++;
    else result.missed.push(member.staffId);
  }
  result.missed.sort();
  result.value = percentageOf(result.numerator, result.denominator);
  return result;
}
