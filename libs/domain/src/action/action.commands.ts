/**
 * The action commands. Ids are parsed at the edge, and the use case checks that what an action
 * acts on exists (the stage entry, the service, the complaint); the decider checks the rest —
 * dates, texts, the target's shape, the transitions — naming the field. `actor` is who issues
 * it; `mayManage` whether their role lets them change anyone's action (else only their own).
 */
interface Issued {
  actionId: string;
  actor: string;
  now: Date;
}

/** Who may change someone else's action: the use case tells the decider from the caller's roles. */
interface MaybeOwner extends Issued {
  mayManage: boolean;
}

export interface PlanAction {
  type: 'PlanAction';
  data: Issued & {
    title: unknown;
    owner: unknown;
    startOn: unknown;
    dueOn: unknown;
    target: unknown;
    /** The text, checked here; sealed into the vault by the use case before it is stored. */
    description: unknown;
    /** `[{ title, dueOn }]`, each due between the start and the due date. */
    milestones: unknown;
    /** The service the target names, found by the use case (null when it names none). */
    serviceId: string | null;
    /** The action's own data subject (derived from the command). */
    subjectId: string;
  };
}

export interface StartAction {
  type: 'StartAction';
  data: MaybeOwner & { startedOn: unknown };
}

export interface RedateAction {
  type: 'RedateAction';
  data: Issued & { dueOn: unknown; reason: unknown };
}

export interface ReassignAction {
  type: 'ReassignAction';
  data: Issued & { owner: unknown };
}

export interface NoteActionProgress {
  type: 'NoteActionProgress';
  data: MaybeOwner & { note: unknown };
}

export interface AddActionMilestone {
  type: 'AddActionMilestone';
  data: Issued & { title: unknown; dueOn: unknown };
}

export interface MarkActionMilestoneDone {
  type: 'MarkActionMilestoneDone';
  data: MaybeOwner & { milestoneId: unknown; doneOn: unknown };
}

export interface CompleteAction {
  type: 'CompleteAction';
  data: MaybeOwner & { completedOn: unknown };
}

export interface CancelAction {
  type: 'CancelAction';
  data: Issued & { cancelledOn: unknown; reason: unknown };
}

export type ActionCommand =
  | PlanAction
  | StartAction
  | RedateAction
  | ReassignAction
  | NoteActionProgress
  | AddActionMilestone
  | MarkActionMilestoneDone
  | CompleteAction
  | CancelAction;
