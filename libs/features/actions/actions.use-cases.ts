import {
  actionDecider,
  capabilityCounterDecider,
  capabilityEntryParts,
  complaintDecider,
  deadlineKey,
  NotFoundError,
  readActionTarget,
  streamIds,
  type ActionCommand,
  type ActionState,
  type ActionTarget,
  type FieldProblem,
} from '@kpi/domain';
import {
  handleCommand,
  loadState,
  registeredService,
  uuidFromParts,
  type CommandContext,
  type CommandOutcome,
} from '@kpi/command-handling';
import type { PersonalDataVault } from '@kpi/personal-data';
import { sealActionTexts } from './action-personal-data';
import type {
  ActionOutcome,
  AddActionMilestoneInput,
  CancelActionInput,
  CompleteActionInput,
  MarkActionMilestoneDoneInput,
  NoteActionProgressInput,
  PlanActionInput,
  PlannedAction,
  ReassignActionInput,
  RedateActionInput,
  StartActionInput,
} from './actions.commands';

/**
 * Plans an action on what it acts on, which must exist: a stage entry of the manager's
 * capability timeline (not withdrawn), one of the tenant's services, a complaint. Its
 * description is sealed under its data subject (the manager of a stage entry, else its own).
 */
export async function planAction(
  context: CommandContext,
  vault: PersonalDataVault,
  {
    actionId: givenId,
    title,
    owner,
    startOn,
    dueOn,
    target,
    description,
    milestones,
  }: PlanActionInput,
): Promise<PlannedAction> {
  const actionId = givenId ?? uuidFromParts(context.commandId, 'action');
  const problems: FieldProblem[] = [];
  const parsed = readActionTarget(target, problems);
  // A target the decider will refuse is not looked up: the 400 names it with the other fields.
  const serviceId = parsed ? await serviceActedOn(context, parsed) : null;
  const subjectId =
    parsed?.kind === 'capability-stage'
      ? parsed.managerId
      : uuidFromParts(context.tenantId, actionId, 'action');
  const outcome = await handleCommand(
    context,
    streamIds.action(context.tenantId, actionId),
    actionDecider,
    {
      type: 'PlanAction',
      data: {
        actionId,
        title,
        owner,
        startOn,
        dueOn,
        target,
        description: description ?? null,
        milestones: milestones ?? [],
        serviceId,
        subjectId,
        actor: context.actor,
        now: context.now,
      },
    },
    { beforeAppend: sealActionTexts(vault, context) },
  );
  return { ...outcomeOf(outcome, actionId), dataSubjectId: outcome.state.action!.subjectId };
}

export const startAction = (
  context: CommandContext,
  { actionId, mayManage, startedOn }: StartActionInput,
) =>
  change(context, null, actionId, {
    type: 'StartAction',
    data: { ...issued(context, actionId), mayManage, startedOn },
  });

export const redateAction = (
  context: CommandContext,
  vault: PersonalDataVault,
  { actionId, dueOn, reason }: RedateActionInput,
) =>
  change(context, vault, actionId, {
    type: 'RedateAction',
    data: { ...issued(context, actionId), dueOn, reason },
  });

export const reassignAction = (context: CommandContext, { actionId, owner }: ReassignActionInput) =>
  change(context, null, actionId, {
    type: 'ReassignAction',
    data: { ...issued(context, actionId), owner },
  });

export const noteActionProgress = (
  context: CommandContext,
  vault: PersonalDataVault,
  { actionId, mayManage, note }: NoteActionProgressInput,
) =>
  change(context, vault, actionId, {
    type: 'NoteActionProgress',
    data: { ...issued(context, actionId), mayManage, note },
  });

export const addActionMilestone = (
  context: CommandContext,
  { actionId, title, dueOn }: AddActionMilestoneInput,
) =>
  change(context, null, actionId, {
    type: 'AddActionMilestone',
    data: { ...issued(context, actionId), title, dueOn },
  });

export const markActionMilestoneDone = (
  context: CommandContext,
  { actionId, mayManage, milestoneId, doneOn }: MarkActionMilestoneDoneInput,
) =>
  change(context, null, actionId, {
    type: 'MarkActionMilestoneDone',
    data: { ...issued(context, actionId), mayManage, milestoneId, doneOn },
  });

export const completeAction = (
  context: CommandContext,
  { actionId, mayManage, completedOn }: CompleteActionInput,
) =>
  change(context, null, actionId, {
    type: 'CompleteAction',
    data: { ...issued(context, actionId), mayManage, completedOn },
  });

export const cancelAction = (
  context: CommandContext,
  vault: PersonalDataVault,
  { actionId, cancelledOn, reason }: CancelActionInput,
) =>
  change(context, vault, actionId, {
    type: 'CancelAction',
    data: { ...issued(context, actionId), cancelledOn, reason },
  });

const issued = (context: CommandContext, actionId: string) => ({
  actionId,
  actor: context.actor,
  now: context.now,
});

/** A command on a planned action; with the vault when it may carry a text to seal. */
async function change(
  context: CommandContext,
  vault: PersonalDataVault | null,
  actionId: string,
  command: ActionCommand,
): Promise<ActionOutcome> {
  const outcome = await handleCommand(
    context,
    streamIds.action(context.tenantId, actionId),
    actionDecider,
    command,
    vault ? { beforeAppend: sealActionTexts(vault, context) } : {},
  );
  return outcomeOf(outcome, actionId);
}

function outcomeOf(
  { streamId, state, replayed }: CommandOutcome<{ type: string; data: object }, ActionState>,
  actionId: string,
): ActionOutcome {
  const action = state.action!;
  const open = action.status === 'planned' || action.status === 'in-progress';
  return {
    streamId,
    actionId,
    status: action.status,
    owner: action.owner,
    dueOn: action.dueOn,
    deadlineKey: open ? deadlineKey('action', actionId, action.dueOn) : null,
    replayed,
  };
}

/**
 * The service an action's target concerns, once it is found to exist (404 otherwise): a stage
 * entry's home, a missed indicator's service, a complaint's service; none for an objective or
 * an audit finding (the audit's own slice checks its ids).
 */
async function serviceActedOn(
  context: CommandContext,
  target: ActionTarget,
): Promise<string | null> {
  switch (target.kind) {
    case 'capability-stage': {
      const parts = capabilityEntryParts(target.entryId)!;
      const counter = await loadState(
        context,
        streamIds.capability(
          context.tenantId,
          target.managerId,
          parts.serviceId,
          parts.indicatorCode,
        ),
        capabilityCounterDecider,
      );
      const entry = counter.entries[target.entryId];
      if (!entry || entry.withdrawn)
        throw new NotFoundError(
          `No capability stage entry ${target.entryId} on the timeline of ${target.managerId}`,
        );
      return parts.serviceId;
    }
    case 'indicator':
      await registeredService(context, target.serviceId);
      return target.serviceId;
    case 'complaint': {
      const { complaint } = await loadState(
        context,
        streamIds.complaint(context.tenantId, target.complaintId),
        complaintDecider,
      );
      if (!complaint) throw new NotFoundError(`No complaint ${target.complaintId}`);
      return complaint.serviceId;
    }
    case 'objective':
    case 'audit-finding':
      return null;
    default: {
      const unexpected: never = target;
      return unexpected;
    }
  }
}
