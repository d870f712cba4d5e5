import type { PersonalText } from '../data-subject/personal-data';

/**
 * Actions (docs/decisions/0039-actions-and-the-risk-register.md): something a person must do by
 * a date, with milestones, linked to what it acts on. Its status moves
 * `planned` → `in-progress` → `completed` (starting is optional: `planned` → `completed`), and
 * `planned`/`in-progress` → `cancelled`; completed and cancelled are final.
 */
export const ACTION_STATUSES = ['planned', 'in-progress', 'completed', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** What an action may act on. */
export const ACTION_TARGET_KINDS = [
  /** A manager's capability stage entry: the action is part of the stage's support plan. */
  'capability-stage',
  /** A service's indicator missed in a period. */
  'indicator',
  /** A business-plan objective: a free reference (the plans name no objective ids yet). */
  'objective',
  /** A complaint: what was learned from it. */
  'complaint',
  /** A data-quality audit's finding (its id, given by the audit). */
  'audit-finding',
] as const;
export type ActionTargetKind = (typeof ACTION_TARGET_KINDS)[number];

/**
 * The support a line manager gives at a capability stage (seed 000: "accessing training,
 * allocating mentors and setting developmental tasks").
 */
export const SUPPORT_KINDS = ['training', 'mentoring', 'developmental-task'] as const;
export type SupportKind = (typeof SUPPORT_KINDS)[number];

/** What an action acts on. */
export type ActionTarget =
  | {
      kind: 'capability-stage';
      /** The manager whose stage it is. */
      managerId: string;
      /** The timeline entry: `<home>.<KPI>.<first month of the run>.s<stage>`. */
      entryId: string;
      supportKind: SupportKind;
    }
  | { kind: 'indicator'; serviceId: string; indicatorCode: string; period: string }
  | { kind: 'objective'; reference: string }
  | { kind: 'complaint'; complaintId: string }
  | { kind: 'audit-finding'; findingId: string };

export interface ActionMilestone {
  /** Stable within the action: `m1`, `m2`… in the order added. */
  milestoneId: string;
  title: string;
  dueOn: string;
}

/**
 * An action was planned. `owner` is the account id of the person who must do it (the user id
 * events record as actor, without `user:`): the one told when it falls due. Its description can
 * name people: sealed in the personal-data vault under `subjectId`, the action's own data subject
 * (so are its progress notes and a cancellation's reason). `serviceId` is the service it concerns,
 * when one does (its deadline is listed under it).
 */
export interface ActionPlanned {
  type: 'ActionPlanned';
  data: {
    actionId: string;
    title: string;
    owner: string;
    startOn: string;
    dueOn: string;
    target: ActionTarget;
    serviceId: string | null;
    subjectId: string;
    description: PersonalText | null;
    milestones: ActionMilestone[];
    plannedBy: string;
    plannedAt: string;
  };
}

/** Work on it began (planned → in-progress). */
export interface ActionStarted {
  type: 'ActionStarted';
  data: { actionId: string; startedOn: string; startedBy: string; recordedAt: string };
}

/**
 * Its due date moved: the deadline of `previousDueOn` is replaced by one of `dueOn` (the old one
 * is judged cancelled, never missed, when it falls due). `serviceId` as planned, so the new
 * deadline can be made from this event alone.
 */
export interface ActionRedated {
  type: 'ActionRedated';
  data: {
    actionId: string;
    serviceId: string | null;
    previousDueOn: string;
    dueOn: string;
    /** Sealed like the description; null when none was given. */
    reason: PersonalText | null;
    redatedBy: string;
    redatedAt: string;
  };
}

/** Someone else owns it now (and is the one told when it falls due). */
export interface ActionReassigned {
  type: 'ActionReassigned';
  data: {
    actionId: string;
    previousOwner: string;
    owner: string;
    reassignedBy: string;
    reassignedAt: string;
  };
}

/** A note of progress (sealed: it can name people). */
export interface ActionProgressNoted {
  type: 'ActionProgressNoted';
  data: {
    actionId: string;
    noteId: string;
    note: PersonalText;
    notedBy: string;
    notedAt: string;
  };
}

export interface ActionMilestoneAdded {
  type: 'ActionMilestoneAdded';
  data: { actionId: string; milestone: ActionMilestone; addedBy: string; addedAt: string };
}

export interface ActionMilestoneDone {
  type: 'ActionMilestoneDone';
  data: {
    actionId: string;
    milestoneId: string;
    doneOn: string;
    recordedBy: string;
    recordedAt: string;
  };
}

/** Done: the work that meets its deadline (on `completedOn`). */
export interface ActionCompleted {
  type: 'ActionCompleted';
  data: { actionId: string; completedOn: string; completedBy: string; recordedAt: string };
}

/** No longer needed: its deadline is cancelled, not missed. */
export interface ActionCancelled {
  type: 'ActionCancelled';
  data: {
    actionId: string;
    cancelledOn: string;
    /** The due date it had: that deadline is no longer owed. */
    dueOn: string;
    reason: PersonalText | null;
    cancelledBy: string;
    recordedAt: string;
  };
}

export type ActionEvent =
  | ActionPlanned
  | ActionStarted
  | ActionRedated
  | ActionReassigned
  | ActionProgressNoted
  | ActionMilestoneAdded
  | ActionMilestoneDone
  | ActionCompleted
  | ActionCancelled;

export const ACTION_EVENT_TYPES = [
  'ActionPlanned',
  'ActionStarted',
  'ActionRedated',
  'ActionReassigned',
  'ActionProgressNoted',
  'ActionMilestoneAdded',
  'ActionMilestoneDone',
  'ActionCompleted',
  'ActionCancelled',
] as const satisfies readonly ActionEvent['type'][];
