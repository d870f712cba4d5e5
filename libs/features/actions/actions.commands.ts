import { FeatureCommand, type EntityId } from '@kpi/command-handling';
import type { ActionStatus } from '@kpi/domain';

/*
 * The action commands (docs/decisions/0039). Ids are parsed at the edge; dates, texts and the
 * target arrive as the request gave them and the action decider checks them, naming the field.
 * `mayManage` says whether the caller's roles let them change anyone's action (ACTION_PLANNERS):
 * otherwise only the owner may.
 */

/** What an action acts on, as the request gives it (checked by the decider): `{ kind, … }`. */
export type ActionTargetInput = Record<string, unknown>;

export interface PlanActionInput {
  /** Optional: by default derived from the command id, so a retried request plans it once. */
  actionId?: EntityId;
  title: string;
  /** The account id of the person who must do it. */
  owner: string;
  startOn: string;
  dueOn: string;
  target: ActionTargetInput;
  /** Sealed into the personal-data vault before it is stored (it can name people). */
  description?: string | null;
  milestones?: { title: string; dueOn: string }[];
}

interface OnAction {
  actionId: EntityId;
}

interface AsOwnerOrManager extends OnAction {
  mayManage: boolean;
}

export interface StartActionInput extends AsOwnerOrManager {
  startedOn?: string;
}

export interface RedateActionInput extends OnAction {
  dueOn: string;
  reason?: string | null;
}

export interface ReassignActionInput extends OnAction {
  owner: string;
}

export interface NoteActionProgressInput extends AsOwnerOrManager {
  note: string;
}

export interface AddActionMilestoneInput extends OnAction {
  title: string;
  dueOn: string;
}

export interface MarkActionMilestoneDoneInput extends AsOwnerOrManager {
  milestoneId: string;
  doneOn?: string;
}

export interface CompleteActionInput extends AsOwnerOrManager {
  completedOn?: string;
}

export interface CancelActionInput extends OnAction {
  cancelledOn?: string;
  reason?: string | null;
}

/** An action after a command: where it stands. */
export interface ActionOutcome {
  streamId: string;
  actionId: string;
  status: ActionStatus;
  owner: string;
  dueOn: string;
  /** The deadline watching it now (`action:<id>:<due>`), null once completed or cancelled. */
  deadlineKey: string | null;
  /** Whether the command had been carried out already (a retry): then nothing new was written. */
  replayed: boolean;
}

/** A planned action: where it stands, and the data subject its texts are kept under. */
export interface PlannedAction extends ActionOutcome {
  /** The data subject of its texts: the manager of a stage entry, else the action's own. */
  dataSubjectId: string;
}

export class PlanAction extends FeatureCommand<PlanActionInput, PlannedAction> {}
export class StartAction extends FeatureCommand<StartActionInput, ActionOutcome> {}
export class RedateAction extends FeatureCommand<RedateActionInput, ActionOutcome> {}
export class ReassignAction extends FeatureCommand<ReassignActionInput, ActionOutcome> {}
export class NoteActionProgress extends FeatureCommand<NoteActionProgressInput, ActionOutcome> {}
export class AddActionMilestone extends FeatureCommand<AddActionMilestoneInput, ActionOutcome> {}
export class MarkActionMilestoneDone extends FeatureCommand<
  MarkActionMilestoneDoneInput,
  ActionOutcome
> {}
export class CompleteAction extends FeatureCommand<CompleteActionInput, ActionOutcome> {}
export class CancelAction extends FeatureCommand<CancelActionInput, ActionOutcome> {}
