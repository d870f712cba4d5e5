import { addDays, addMonthsToDate } from '../shared/calendar-date';
import { addMonths, returnDueDate, type Period } from '../shared/period';

/**
 * The dates the system watches so that nobody has to
 * (docs/rules/deadlines-and-calendar.md#deadlines-the-system-watches; docs/decisions/0012).
 */
export const DEADLINE_KINDS = [
  /** A service's monthly return: due by the 20th of the following month. */
  'monthly-return',
  /** A complaint acknowledged on receipt: by the end of the next working day. */
  'complaint-acknowledgement',
  /** A complaint's full response: within 15 working days of receipt. */
  'complaint-response',
  /** A one-to-one supervision at least every three months. */
  'supervision',
  /** An appraisal every year. */
  'appraisal',
  /** The Care Certificate within 12 weeks of starting. */
  'care-certificate',
  /** Safeguarding training within 3 months of starting, then every year. */
  'safeguarding-training',
  /** The DBS check renewed every 3 years. */
  'dbs-renewal',
  /** An action (an action plan's, a support plan's) done by its due date; told to its owner. */
  'action',
  /** A risk of the risk register reviewed (revised) by its review date; told to its owner. */
  'risk-review',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** The staff deadlines: each ends when the staff member leaves. */
export const STAFF_DEADLINE_KINDS: readonly DeadlineKind[] = [
  'supervision',
  'appraisal',
  'care-certificate',
  'safeguarding-training',
  'dbs-renewal',
];

/** A reminder before a deadline, on a date (sent at 09:00 London time). */
export interface DeadlineReminder {
  /** Stable within the deadline: `5-working-days-before`. */
  name: string;
  on: string;
}

/**
 * One thing that must be done by a date. `key` names it within the tenant and is the same
 * whichever event (or replay) causes it, so scheduling it twice is scheduling it once.
 */
export interface Deadline {
  key: string;
  kind: DeadlineKind;
  serviceId: string;
  /** What the work is about: the service (returns), the complaint, the staff member. */
  subjectId: string;
  /** Returns: the month reported. */
  period: Period | null;
  /** `YYYY-MM-DD`: the last day the work is in time (Europe/London). */
  dueOn: string;
  /**
   * Only work done after this date counts (the previous session, appraisal, …); null when any
   * work counts (a return, a complaint's answer, the first Care Certificate).
   */
  workAfter: string | null;
  /** Who is told: the region for returns (its regional manager), else null. */
  regionId: string | null;
}

export const deadlineKey = (kind: DeadlineKind, subjectId: string, dueOn: string): string =>
  `${kind}:${subjectId}:${dueOn}`;

/** The working days the return reminders need (libs/domain/src/calendar). */
export interface WorkingDays {
  workingDaysBefore(date: string, n: number): string;
}

/** A monthly return deadline: the 20th of M+1. */
export function monthlyReturnDeadline(
  service: { serviceId: string; regionId: string },
  period: Period,
): Deadline {
  return {
    key: deadlineKey('monthly-return', service.serviceId, period),
    kind: 'monthly-return',
    serviceId: service.serviceId,
    subjectId: service.serviceId,
    period,
    dueOn: returnDueDate(period),
    workAfter: null,
    regionId: service.regionId,
  };
}

/** The next month's return deadline once a month's has passed (the chain through the log). */
export function nextMonthlyReturnDeadline(passed: Deadline): Deadline {
  return monthlyReturnDeadline(
    { serviceId: passed.serviceId, regionId: passed.regionId ?? '' },
    addMonths(passed.period!, 1),
  );
}

/** The kinds whose deadlines have reminders (counted in working days: they need the calendar). */
export const DEADLINE_KINDS_WITH_REMINDERS: readonly DeadlineKind[] = [
  'monthly-return',
  'action',
  'complaint-response',
];

/** An action's owner is reminded this many working days before it is due. */
export const ACTION_REMINDER_WORKING_DAYS = 2;

/**
 * A complaint's full response (15 working days) is reminded this many working days before it
 * is due: time enough to finish an investigation that is late.
 */
export const COMPLAINT_RESPONSE_REMINDER_WORKING_DAYS = 3;

/**
 * The reminders before a deadline: a monthly return's regional manager is reminded 5 and 1
 * working days before it is due, an action's owner 2 working days before; other deadlines are
 * listed, not chased.
 */
export function remindersFor(deadline: Deadline, calendar: WorkingDays): DeadlineReminder[] {
  if (deadline.kind === 'action')
    return [
      {
        name: `${ACTION_REMINDER_WORKING_DAYS}-working-days-before`,
        on: calendar.workingDaysBefore(deadline.dueOn, ACTION_REMINDER_WORKING_DAYS),
      },
    ];
  if (deadline.kind === 'complaint-response')
    return [
      {
        name: `${COMPLAINT_RESPONSE_REMINDER_WORKING_DAYS}-working-days-before`,
        on: calendar.workingDaysBefore(deadline.dueOn, COMPLAINT_RESPONSE_REMINDER_WORKING_DAYS),
      },
    ];
  if (deadline.kind !== 'monthly-return') return [];
  return [5, 1].map((n) => ({
    name: `${n}-working-day${n === 1 ? '' : 's'}-before`,
    on: calendar.workingDaysBefore(deadline.dueOn, n),
  }));
}

/** How often each recurring staff deadline comes round, from the work that met the last one. */
export function nextStaffDueOn(kind: DeadlineKind, after: string): string | null {
  switch (kind) {
    case 'supervision':
      return addMonthsToDate(after, 3);
    case 'appraisal':
    case 'safeguarding-training':
      return addMonthsToDate(after, 12);
    case 'dbs-renewal':
      return addMonthsToDate(after, 36);
    default:
      return null; // the Care Certificate is obtained once
  }
}

/** The first staff deadlines of a new starter (docs/rules/workforce.md#staff-deadlines). */
export function starterDeadlines(staff: {
  staffId: string;
  serviceId: string;
  startedOn: string;
  dbsCheckedOn: string | null;
}): Deadline[] {
  const due = (kind: DeadlineKind, dueOn: string, workAfter: string | null): Deadline => ({
    key: deadlineKey(kind, staff.staffId, dueOn),
    kind,
    serviceId: staff.serviceId,
    subjectId: staff.staffId,
    period: null,
    dueOn,
    workAfter,
    regionId: null,
  });
  return [
    due('supervision', addMonthsToDate(staff.startedOn, 3), null),
    due('appraisal', addMonthsToDate(staff.startedOn, 12), null),
    due('care-certificate', addDays(staff.startedOn, 12 * 7), null),
    due('safeguarding-training', addMonthsToDate(staff.startedOn, 3), null),
    // Nobody starts without a check: without one on record it is due on the first day.
    staff.dbsCheckedOn
      ? due('dbs-renewal', addMonthsToDate(staff.dbsCheckedOn, 36), staff.dbsCheckedOn)
      : due('dbs-renewal', staff.startedOn, null),
  ];
}

/** The next deadline of a recurring staff kind after work done on `doneOn`. */
export function recurringStaffDeadline(
  kind: DeadlineKind,
  staff: { staffId: string; serviceId: string },
  doneOn: string,
): Deadline | null {
  const dueOn = nextStaffDueOn(kind, doneOn);
  if (dueOn === null) return null;
  return {
    key: deadlineKey(kind, staff.staffId, dueOn),
    kind,
    serviceId: staff.serviceId,
    subjectId: staff.staffId,
    period: null,
    dueOn,
    workAfter: doneOn,
    regionId: null,
  };
}

/** A complaint's two deadlines, on the dates recorded when it was logged. */
export function complaintDeadlines(complaint: {
  complaintId: string;
  serviceId: string;
  acknowledgementDueOn: string;
  responseDueOn: string;
}): Deadline[] {
  return (
    [
      ['complaint-acknowledgement', complaint.acknowledgementDueOn],
      ['complaint-response', complaint.responseDueOn],
    ] as const
  ).map(([kind, dueOn]) => ({
    key: deadlineKey(kind, complaint.complaintId, dueOn),
    kind,
    serviceId: complaint.serviceId,
    subjectId: complaint.complaintId,
    period: null,
    dueOn,
    workAfter: null,
    regionId: null,
  }));
}

/**
 * An action's deadline: its due date, keyed by it, so a re-dated action has a deadline per date
 * (the earlier one is judged cancelled when it falls due: whyActionDeadlineIsNotOwed). Listed
 * under the service the action concerns, or under none (`''`).
 */
export function actionDeadline(action: {
  actionId: string;
  serviceId: string | null;
  dueOn: string;
}): Deadline {
  return {
    key: deadlineKey('action', action.actionId, action.dueOn),
    kind: 'action',
    serviceId: action.serviceId ?? '',
    subjectId: action.actionId,
    period: null,
    dueOn: action.dueOn,
    workAfter: null,
    regionId: null,
  };
}

/**
 * A risk's review: due on its review date, keyed by it. A review is recorded as a revision of
 * the risk (which sets the next review date): only a revision after `workAfter` — the day the
 * date was set — counts, so the revision that sets a date never meets it.
 */
export function riskReviewDeadline(risk: {
  riskId: string;
  reviewOn: string;
  setOn: string;
}): Deadline {
  return {
    key: deadlineKey('risk-review', risk.riskId, risk.reviewOn),
    kind: 'risk-review',
    serviceId: '',
    subjectId: risk.riskId,
    period: null,
    dueOn: risk.reviewOn,
    workAfter: risk.setOn,
    regionId: null,
  };
}

/** What was done towards a deadline, as the processor finds it in the subject's streams. */
export interface WorkDone {
  /** `YYYY-MM-DD` (London) when it was done. */
  on: string;
  /** The stored event that shows it. */
  eventId: string;
}

export type DeadlineOutcome =
  | { outcome: 'met'; work: WorkDone }
  | { outcome: 'missed' }
  /** The staff member left (or the service closed) before it was due. */
  | { outcome: 'cancelled'; reason: string };

/**
 * Whether a deadline was met, judged once it has passed: the earliest piece of work that
 * counts (after `workAfter`), in time when done on or before `dueOn`.
 */
export function judgeDeadline(
  deadline: Deadline,
  work: readonly WorkDone[],
  leftOn: string | null,
): DeadlineOutcome {
  const counted = work
    .filter((w) => deadline.workAfter === null || w.on > deadline.workAfter)
    .sort((a, b) => a.on.localeCompare(b.on));
  const inTime = counted.find((w) => w.on <= deadline.dueOn);
  if (inTime) return { outcome: 'met', work: inTime };
  if (leftOn !== null && leftOn <= deadline.dueOn)
    return { outcome: 'cancelled', reason: `the staff member left on ${leftOn}` };
  return { outcome: 'missed' };
}

export type DeadlineStatus = 'open' | 'met' | 'missed' | 'cancelled';

/**
 * A deadline's status as known now, whatever order the facts arrived in: work that counts done
 * on or before the due date meets it, even when it is recorded after the due-date job judged the
 * deadline missed (a complaint answered on 24 April, recorded on 29 April, was answered in time:
 * the KPI counts it so, and so does the list). Otherwise the judgement stands, `open` until then.
 * The read model `rm_deadlines` holds this rule as its generated `status` column.
 */
export function deadlineStatus(deadline: {
  dueOn: string;
  doneOn: string | null;
  judged: DeadlineOutcome['outcome'] | null;
}): DeadlineStatus {
  if (deadline.doneOn !== null && deadline.doneOn <= deadline.dueOn) return 'met';
  return deadline.judged ?? 'open';
}

/** A reminder is worth sending only while the work is not done. */
export function isReminderDue(deadline: Deadline, work: readonly WorkDone[]): boolean {
  return !work.some((w) => deadline.workAfter === null || w.on > deadline.workAfter);
}
