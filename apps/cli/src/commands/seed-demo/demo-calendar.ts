import {
  addDays,
  addMonths,
  financialQuarterOf,
  financialYearOf,
  lastDayOfMonth,
  londonInstant,
  londonPeriodOf,
  parseFinancialQuarter,
  periodsBetween,
  weekdayName,
  type FinancialQuarter,
  type Period,
  type WorkingDayCheck,
} from '@kpi/domain';

/**
 * When everything in the demo happened, relative to the moment it is seeded (`now`). Nothing is
 * dated after `now`: the last month seeded is the last month that has ended, and its returns
 * were sent between its end and `now` (on the 5th to the 12th of the month when that day has
 * come, else in the moments since the month ended); the council's figures are those of the
 * last financial quarter that has ended.
 */
export interface DemoCalendar {
  now: Date;
  firstMonth: Period;
  /** The last month seeded (the README's `$TO`): the last month that has ended by `now`. */
  lastMonth: Period;
  periods: Period[];
  /** The first of the six months the README's grid shows (`$FROM`). */
  shownFrom: Period;
  /** When the provider, its regions and homes were set up: the month before the first. */
  setUpAt: Date;
  /** The last financial quarter that has ended (the README's `$QUARTER`): the league table's. */
  quarter: FinancialQuarter;
  /** The quarter before it: the care-at-home contract started on its first day. */
  previousQuarter: FinancialQuarter;
  contractStartDate: string;
  /** The last financial year that has ended (the README's `$YEAR`, `2025/26`). */
  financialYear: string;
  /** The first month of the council's direct services' returns: 24 months, whatever `months`. */
  directServicesFrom: Period;
  /** When the council was set up: before the provider's first month and its own services'. */
  councilSetUpAt: Date;
}

/** The six months the README's grid shows, ending with the last month seeded. */
export const MONTHS_SHOWN = 6;

/** The months of returns the council's direct services send, ending with the last one ended. */
export const DIRECT_SERVICES_MONTHS = 24;

export function demoCalendar(now: Date, months: number): DemoCalendar {
  const thisMonth = londonPeriodOf(now);
  const lastMonth = addMonths(thisMonth, -1);
  const firstMonth = addMonths(lastMonth, -(months - 1));
  const thisQuarter = parseFinancialQuarter(financialQuarterOf(thisMonth));
  const firstMonthOfThisQuarter = thisQuarter.firstDay.slice(0, 7) as Period;
  const quarter = parseFinancialQuarter(financialQuarterOf(addMonths(firstMonthOfThisQuarter, -1)));
  const previousQuarter = parseFinancialQuarter(
    financialQuarterOf(addMonths(firstMonthOfThisQuarter, -4)),
  );
  const directServicesFrom = addMonths(lastMonth, -(DIRECT_SERVICES_MONTHS - 1));
  const councilFirstMonth = directServicesFrom < firstMonth ? directServicesFrom : firstMonth;
  return {
    now,
    firstMonth,
    lastMonth,
    periods: periodsBetween(firstMonth, lastMonth),
    shownFrom: addMonths(lastMonth, -(MONTHS_SHOWN - 1)),
    setUpAt: londonInstant(`${addMonths(firstMonth, -1)}-01`, '09:00'),
    quarter,
    previousQuarter,
    contractStartDate: previousQuarter.firstDay,
    financialYear: financialYearOf(addMonths(financialYearOf(thisMonth).first, -1)).name,
    directServicesFrom,
    councilSetUpAt: londonInstant(`${addMonths(councilFirstMonth, -1)}-01`, '09:00'),
  };
}

/**
 * When a home sent its return for a month: on time, on a day from the 5th to the 12th of the
 * next month (by home) at 10:00; late, on the 24th (the due date is the 20th). A return whose
 * day has not come yet (the last month, early in this one) was sent in the time since the month
 * ended, the homes one after another, the last at `now`.
 */
export function returnSubmittedAt(
  calendar: DemoCalendar,
  {
    period,
    homeIndex,
    homes,
    late,
  }: { period: Period; homeIndex: number; homes: number; late: boolean },
): Date {
  const month = addMonths(period, 1);
  const day = late ? 24 : 5 + (homeIndex % 8);
  const usual = londonInstant(`${month}-${String(day).padStart(2, '0')}`, '10:00');
  if (usual <= calendar.now) return usual;
  const monthStarted = londonInstant(`${month}-01`, '00:00').getTime();
  const since = calendar.now.getTime() - monthStarted;
  return new Date(monthStarted + Math.floor((since * (homeIndex + 1)) / homes));
}

/** An amendment three days after the return, or halfway from the return to `now` if sooner. */
export function amendedAt(calendar: DemoCalendar, submittedAt: Date): Date {
  const threeDaysLater = submittedAt.getTime() + 3 * 86_400_000;
  const halfway = submittedAt.getTime() + (calendar.now.getTime() - submittedAt.getTime()) / 2;
  return new Date(Math.floor(Math.min(threeDaysLater, halfway)));
}

/**
 * The days a council refers packages in a quarter: its Tuesdays and Thursdays that are working
 * days (so no Friday hold applies: docs/rules/care-at-home-call-off.md#friday-hold), up to two
 * weeks before its end, so every acceptance, family contact and start of care falls inside it.
 */
export function referralDays(quarter: FinancialQuarter, workingDays: WorkingDayCheck): string[] {
  const days: string[] = [];
  const lastReferral = addDays(quarter.lastDay, -14);
  for (let day = quarter.firstDay; day <= lastReferral; day = addDays(day, 1)) {
    const weekday = weekdayName(day);
    if ((weekday === 'Tuesday' || weekday === 'Thursday') && workingDays.isWorkingDay(day))
      days.push(day);
  }
  return days;
}

/** Capacity returns are sent on the last day of their month, at 15:00 (current figures). */
export const capacityReturnAt = (period: Period): Date =>
  londonInstant(lastDayOfMonth(period), '15:00');

/** Quarterly returns are sent on the quarter's last day, at 16:00 (allowed from its last month). */
export const quarterlyReturnAt = (quarter: FinancialQuarter): Date =>
  londonInstant(quarter.lastDay, '16:00');
