import { londonDateOf, type Period } from '../shared/period';
import {
  actionDeadline,
  complaintDeadlines,
  deadlineKey,
  nextMonthlyReturnDeadline,
  monthlyReturnDeadline,
  recurringStaffDeadline,
  riskReviewDeadline,
  starterDeadlines,
  type Deadline,
  type DeadlineKind,
} from './deadline';
import type { DeadlineEvent } from './deadline.events';

/**
 * Which events start deadlines and which do the work, in one place: the reactor schedules
 * from it, the upcoming-and-overdue read model lists from it, the due job judges from it.
 */

/** A stored event as these functions read it (type and data are enough). */
interface AnyEvent {
  type: string;
  data: unknown;
}

/** What is known of a staff member when a session of theirs is recorded. */
export interface StaffOnRecord {
  serviceId: string;
  leftOn: string | null;
}

/** The event types that start deadlines (the reactor reads only these). */
export const DEADLINE_SOURCE_EVENT_TYPES = [
  'ServiceRegistered',
  'ComplaintLogged',
  'StaffMemberRegistered',
  'SupervisionRecorded',
  'StaffAppraisalRecorded',
  'StaffTrainingCompleted',
  'StaffDbsCheckRecorded',
  'ActionPlanned',
  'ActionRedated',
  'RiskRaised',
  'RiskRevised',
  'DeadlinePassed',
] as const;

/** The deadlines an event starts. `staff` is the supervisee of a SupervisionRecorded, if on record. */
export function deadlinesCausedBy(event: AnyEvent, staff: StaffOnRecord | null): Deadline[] {
  const data = event.data as Record<string, string>;
  switch (event.type) {
    case 'ServiceRegistered':
      // Returns are due from the month it opened.
      return [
        monthlyReturnDeadline(
          { serviceId: data.serviceId!, regionId: data.regionId! },
          data.openedOn!.slice(0, 7) as Period,
        ),
      ];
    case 'ComplaintLogged':
      return complaintDeadlines({
        complaintId: data.complaintId!,
        serviceId: data.serviceId!,
        acknowledgementDueOn: data.acknowledgementDueOn!,
        responseDueOn: data.responseDueOn!,
      });
    case 'StaffMemberRegistered':
      return starterDeadlines({
        staffId: data.staffId!,
        serviceId: data.serviceId!,
        startedOn: data.startedOn!,
        dbsCheckedOn: data.dbsCheckedOn ?? null,
      });
    case 'SupervisionRecorded':
      if (data.kind !== 'one-to-one' || staff === null) return [];
      if (staff.leftOn !== null && staff.leftOn <= data.date!) return [];
      return recurring('supervision', data.superviseeId!, staff.serviceId, data.date!);
    case 'StaffAppraisalRecorded':
      return recurring('appraisal', data.staffId!, data.serviceId!, data.heldOn!);
    case 'StaffTrainingCompleted':
      return data.course === 'safeguarding'
        ? recurring('safeguarding-training', data.staffId!, data.serviceId!, data.completedOn!)
        : [];
    case 'StaffDbsCheckRecorded':
      return recurring('dbs-renewal', data.staffId!, data.serviceId!, data.checkedOn!);
    // An action is due on its date; re-dated, on its new one (the old deadline is not owed).
    case 'ActionPlanned':
    case 'ActionRedated':
      return [
        actionDeadline({
          actionId: data.actionId!,
          serviceId: data.serviceId ?? null,
          dueOn: data.dueOn!,
        }),
      ];
    // A risk is reviewed by its review date; a revision sets the next one (the same date: the
    // same key, nothing new).
    case 'RiskRaised':
      return [
        riskReviewDeadline({
          riskId: data.riskId!,
          reviewOn: data.reviewOn!,
          setOn: londonDateOf(new Date(data.raisedAt!)),
        }),
      ];
    case 'RiskRevised':
      return [
        riskReviewDeadline({
          riskId: data.riskId!,
          reviewOn: data.reviewOn!,
          setOn: londonDateOf(new Date(data.revisedAt!)),
        }),
      ];
    case 'DeadlinePassed': {
      const passed = (event as unknown as DeadlineEvent & { type: 'DeadlinePassed' }).data;
      if (passed.deadline.kind === 'monthly-return')
        return [nextMonthlyReturnDeadline(passed.deadline)];
      // Work recorded before the staff member was on record met it: the next one runs from it
      // (the same key as the work's own deadline, so never twice).
      if (passed.outcome === 'met')
        return recurring(
          passed.deadline.kind,
          passed.deadline.subjectId,
          passed.deadline.serviceId,
          passed.work.on,
        );
      return [];
    }
    default:
      return [];
  }
}

function recurring(
  kind: DeadlineKind,
  staffId: string,
  serviceId: string,
  doneOn: string,
): Deadline[] {
  const next = recurringStaffDeadline(kind, { staffId, serviceId }, doneOn);
  return next ? [next] : [];
}

/** Work an event records: which deadline kind, for which subject, done on which date. */
export interface WorkRecorded {
  kind: DeadlineKind;
  subjectId: string;
  on: string;
}

/** The event types that do the work of a deadline. */
export const DEADLINE_WORK_EVENT_TYPES = [
  'MonthlyReturnSubmitted',
  'ComplaintAcknowledged',
  'ComplaintResponded',
  'SupervisionRecorded',
  'StaffAppraisalRecorded',
  'StaffTrainingCompleted',
  'StaffDbsCheckRecorded',
  'ActionCompleted',
  'RiskRevised',
] as const;

/** The work an event records (a return submitted, a complaint answered, a session held…). */
export function workRecordedBy(event: AnyEvent): WorkRecorded[] {
  const data = event.data as Record<string, string>;
  switch (event.type) {
    case 'MonthlyReturnSubmitted':
      return [
        {
          kind: 'monthly-return',
          subjectId: data.serviceId!,
          on: londonDateOf(new Date(data.submittedAt!)),
        },
      ];
    case 'ComplaintAcknowledged':
      return [
        {
          kind: 'complaint-acknowledgement',
          subjectId: data.complaintId!,
          on: data.acknowledgedOn!,
        },
      ];
    case 'ComplaintResponded':
      // A full answer acknowledges too.
      return [
        { kind: 'complaint-acknowledgement', subjectId: data.complaintId!, on: data.respondedOn! },
        { kind: 'complaint-response', subjectId: data.complaintId!, on: data.respondedOn! },
      ];
    case 'SupervisionRecorded':
      return data.kind === 'one-to-one'
        ? [{ kind: 'supervision', subjectId: data.superviseeId!, on: data.date! }]
        : [];
    case 'StaffAppraisalRecorded':
      return [{ kind: 'appraisal', subjectId: data.staffId!, on: data.heldOn! }];
    case 'StaffTrainingCompleted':
      return [
        {
          kind: data.course === 'safeguarding' ? 'safeguarding-training' : 'care-certificate',
          subjectId: data.staffId!,
          on: data.completedOn!,
        },
      ];
    case 'StaffDbsCheckRecorded':
      return [{ kind: 'dbs-renewal', subjectId: data.staffId!, on: data.checkedOn! }];
    case 'ActionCompleted':
      return [{ kind: 'action', subjectId: data.actionId!, on: data.completedOn! }];
    case 'RiskRevised':
      return [
        {
          kind: 'risk-review',
          subjectId: data.riskId!,
          on: londonDateOf(new Date(data.revisedAt!)),
        },
      ];
    default:
      return [];
  }
}

/** Whether a piece of work belongs to a deadline (the same kind and subject; a return's month). */
export function isWorkFor(deadline: Deadline, work: WorkRecorded, event: AnyEvent): boolean {
  if (work.kind !== deadline.kind || work.subjectId !== deadline.subjectId) return false;
  return (
    deadline.kind !== 'monthly-return' ||
    (event.data as { period?: string }).period === deadline.period
  );
}

/** A deadline an event ends before it falls due: no longer owed, listed as cancelled. */
export interface DeadlineEnded {
  key: string;
  /** Only when it is due on or after this day (a deadline already passed stays as judged). */
  on: string;
}

/** The event types that end deadlines before they fall due. */
export const DEADLINE_ENDING_EVENT_TYPES = [
  'ActionRedated',
  'ActionCancelled',
  'RiskClosed',
] as const;

/**
 * The deadlines an event ends: a re-dated action's deadline of its previous date, a cancelled
 * action's of its date, a closed risk's review. The due job judges them cancelled too
 * (whyActionDeadlineIsNotOwed, a closed risk); this lets the list say so at once.
 */
export function deadlinesEndedBy(event: AnyEvent): DeadlineEnded[] {
  const data = event.data as Record<string, string>;
  switch (event.type) {
    case 'ActionRedated':
      return [
        {
          key: deadlineKey('action', data.actionId!, data.previousDueOn!),
          on: londonDateOf(new Date(data.redatedAt!)),
        },
      ];
    case 'ActionCancelled':
      return [{ key: deadlineKey('action', data.actionId!, data.dueOn!), on: data.cancelledOn! }];
    case 'RiskClosed':
      return [
        { key: deadlineKey('risk-review', data.riskId!, data.reviewOn!), on: data.closedOn! },
      ];
    default:
      return [];
  }
}
