import type { Decider } from '../shared/decider';
import {
  ConflictError,
  ForbiddenError,
  InvalidCommandError,
  NotFoundError,
  type FieldProblem,
} from '../shared/domain-errors';
import { parseCalendarDate } from '../shared/calendar-date';
import { optionalText, pastDate, requiredText } from '../shared/command-fields';
import { isPeriod, londonDateOf } from '../shared/period';
import { ENTITY_ID } from '../event-types';
import type { ActionCommand } from './action.commands';
import {
  ACTION_TARGET_KINDS,
  SUPPORT_KINDS,
  type ActionEvent,
  type ActionMilestone,
  type ActionStatus,
  type ActionTarget,
  type SupportKind,
} from './action.events';

/**
 * One action as far as it has gone (docs/decisions/0039). `redatings` keeps every move of the
 * due date, with the day it was made, so a deadline of an earlier date can tell it was replaced.
 */
export interface ActionState {
  action: {
    actionId: string;
    owner: string;
    status: ActionStatus;
    startOn: string;
    dueOn: string;
    serviceId: string | null;
    subjectId: string;
    milestones: (ActionMilestone & { doneOn: string | null })[];
    notes: number;
    completedOn: string | null;
    cancelledOn: string | null;
    redatings: { from: string; to: string; on: string }[];
  } | null;
}

export const MAX_ACTION_TITLE = 200;
export const MAX_ACTION_TEXT = 4000;
export const MAX_ACTION_MILESTONES = 20;
const MAX_REFERENCE = 200;

/** An account id as the owner: the user id events record as actor, without `user:`. */
const PERSON_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

/** A timeline entry id: `<home>.<KPI>.<first month of the run>.s<stage>` (capabilityEntryId). */
const ENTRY_ID = /^([a-z0-9][a-z0-9-]{0,62})\.([A-Za-z0-9_-]{1,40})\.(\d{4}-\d{2})\.s([123])$/;

/** The service, KPI, run and stage a capability timeline entry id names; null when it is no entry id. */
export function capabilityEntryParts(
  entryId: string,
): { serviceId: string; indicatorCode: string; runStart: string; stage: 1 | 2 | 3 } | null {
  const match = ENTRY_ID.exec(entryId);
  if (!match) return null;
  return {
    serviceId: match[1]!,
    indicatorCode: match[2]!,
    runStart: match[3]!,
    stage: Number(match[4]) as 1 | 2 | 3,
  };
}

/** `user:rm-gwen` and `rm-gwen` are the same person: the owner is kept without the prefix. */
export const accountIdOf = (actorOrAccount: string): string => actorOrAccount.replace(/^user:/, '');

export const actionDecider: Decider<ActionCommand, ActionState, ActionEvent> = {
  initialState: () => ({ action: null }),

  decide(command, { action }) {
    if (command.type === 'PlanAction') {
      const { actionId, actor, now, serviceId, subjectId } = command.data;
      if (action) throw new ConflictError(`Action ${actionId} is already planned`);
      const problems: FieldProblem[] = [];
      const title = requiredText(command.data.title, 'title', MAX_ACTION_TITLE, problems);
      const owner = personId(command.data.owner, 'owner', problems);
      const startOn = calendarDate(command.data.startOn, 'startOn', problems);
      const dueOn = calendarDate(command.data.dueOn, 'dueOn', problems);
      if (startOn && dueOn && dueOn < startOn)
        problems.push({ field: 'dueOn', reason: `is before the start (${startOn})` });
      const target = readActionTarget(command.data.target, problems);
      const description = optionalText(
        command.data.description,
        'description',
        MAX_ACTION_TEXT,
        problems,
      );
      const milestones = readMilestones(command.data.milestones, startOn, dueOn, problems);
      if (problems.length > 0) throw new InvalidCommandError(problems);
      return [
        {
          type: 'ActionPlanned',
          data: {
            actionId,
            title: title!,
            owner: owner!,
            startOn: startOn!,
            dueOn: dueOn!,
            target: target!,
            serviceId,
            subjectId,
            description,
            milestones,
            plannedBy: actor,
            plannedAt: now.toISOString(),
          },
        },
      ];
    }

    const { actionId, actor, now } = command.data;
    if (!action) throw new NotFoundError(`No action ${actionId}`);
    if ('mayManage' in command.data && !command.data.mayManage) {
      if (accountIdOf(actor) !== action.owner)
        throw new ForbiddenError(
          `Only the action's owner, or someone who manages actions, may do this to action ${actionId}`,
        );
    }
    if (action.status === 'completed' || action.status === 'cancelled') {
      throw new ConflictError(`Action ${actionId} is ${action.status}: it can no longer change`, {
        status: action.status,
      });
    }
    const recordedAt = now.toISOString();
    const problems: FieldProblem[] = [];
    const done = (field: string, value: unknown): string | undefined =>
      value === undefined || value === null
        ? londonDateOf(now)
        : pastDate(value, field, now, problems);

    switch (command.type) {
      case 'StartAction': {
        if (action.status !== 'planned')
          throw new ConflictError(`Action ${actionId} is already in progress`, {
            status: action.status,
          });
        const startedOn = done('startedOn', command.data.startedOn);
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'ActionStarted',
            data: { actionId, startedOn: startedOn!, startedBy: actor, recordedAt },
          },
        ];
      }

      case 'RedateAction': {
        const dueOn = calendarDate(command.data.dueOn, 'dueOn', problems);
        if (dueOn && dueOn < action.startOn)
          problems.push({ field: 'dueOn', reason: `is before the start (${action.startOn})` });
        if (dueOn && dueOn === action.dueOn)
          problems.push({ field: 'dueOn', reason: `is the due date already (${action.dueOn})` });
        const later = action.milestones.find((m) => m.doneOn === null && dueOn && m.dueOn > dueOn);
        if (later)
          problems.push({
            field: 'dueOn',
            reason: `is before milestone ${later.milestoneId}, due ${later.dueOn}: re-date or finish it first`,
          });
        const reason = optionalText(command.data.reason, 'reason', MAX_ACTION_TEXT, problems);
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'ActionRedated',
            data: {
              actionId,
              serviceId: action.serviceId,
              previousDueOn: action.dueOn,
              dueOn: dueOn!,
              reason,
              redatedBy: actor,
              redatedAt: recordedAt,
            },
          },
        ];
      }

      case 'ReassignAction': {
        const owner = personId(command.data.owner, 'owner', problems);
        if (owner && owner === action.owner)
          problems.push({ field: 'owner', reason: `owns the action already` });
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'ActionReassigned',
            data: {
              actionId,
              previousOwner: action.owner,
              owner: owner!,
              reassignedBy: actor,
              reassignedAt: recordedAt,
            },
          },
        ];
      }

      case 'NoteActionProgress': {
        const note = requiredText(command.data.note, 'note', MAX_ACTION_TEXT, problems);
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'ActionProgressNoted',
            data: {
              actionId,
              noteId: `n${action.notes + 1}`,
              note: note!,
              notedBy: actor,
              notedAt: recordedAt,
            },
          },
        ];
      }

      case 'AddActionMilestone': {
        if (action.milestones.length >= MAX_ACTION_MILESTONES)
          throw new ConflictError(
            `Action ${actionId} has ${MAX_ACTION_MILESTONES} milestones, the most it may have`,
          );
        const [milestone] = readMilestones(
          [{ title: command.data.title, dueOn: command.data.dueOn }],
          action.startOn,
          action.dueOn,
          problems,
          action.milestones.length,
        );
        if (problems.length > 0 || !milestone)
          throw new InvalidCommandError(
            problems.map((p) => ({ ...p, field: p.field.replace(/^milestones\[0\]\./, '') })),
          );
        return [
          {
            type: 'ActionMilestoneAdded',
            data: { actionId, milestone, addedBy: actor, addedAt: recordedAt },
          },
        ];
      }

      case 'MarkActionMilestoneDone': {
        const milestone = action.milestones.find((m) => m.milestoneId === command.data.milestoneId);
        if (!milestone)
          throw new NotFoundError(
            `Action ${actionId} has no milestone ${String(command.data.milestoneId)}`,
          );
        if (milestone.doneOn !== null)
          throw new ConflictError(
            `Milestone ${milestone.milestoneId} was done on ${milestone.doneOn}`,
            { doneOn: milestone.doneOn },
          );
        const doneOn = done('doneOn', command.data.doneOn);
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'ActionMilestoneDone',
            data: {
              actionId,
              milestoneId: milestone.milestoneId,
              doneOn: doneOn!,
              recordedBy: actor,
              recordedAt,
            },
          },
        ];
      }

      case 'CompleteAction': {
        // An action is done when its milestones are: the rest are done first, or re-planned.
        const open = action.milestones.filter((m) => m.doneOn === null);
        if (open.length > 0)
          throw new ConflictError(
            `Action ${actionId} has milestones not done: ${open.map((m) => m.milestoneId).join(', ')}`,
            { openMilestones: open.map((m) => m.milestoneId) },
          );
        const completedOn = done('completedOn', command.data.completedOn);
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'ActionCompleted',
            data: { actionId, completedOn: completedOn!, completedBy: actor, recordedAt },
          },
        ];
      }

      case 'CancelAction': {
        const cancelledOn = done('cancelledOn', command.data.cancelledOn);
        const reason = optionalText(command.data.reason, 'reason', MAX_ACTION_TEXT, problems);
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'ActionCancelled',
            data: {
              actionId,
              cancelledOn: cancelledOn!,
              dueOn: action.dueOn,
              reason,
              cancelledBy: actor,
              recordedAt,
            },
          },
        ];
      }

      default: {
        const unexpected: never = command;
        return unexpected;
      }
    }
  },

  evolve(state, event) {
    if (event.type === 'ActionPlanned') {
      const { data } = event;
      return {
        action: {
          actionId: data.actionId,
          owner: data.owner,
          status: 'planned',
          startOn: data.startOn,
          dueOn: data.dueOn,
          serviceId: data.serviceId,
          subjectId: data.subjectId,
          milestones: data.milestones.map((m) => ({ ...m, doneOn: null })),
          notes: 0,
          completedOn: null,
          cancelledOn: null,
          redatings: [],
        },
      };
    }
    const action = state.action;
    if (!action) return state;
    switch (event.type) {
      case 'ActionStarted':
        return { action: { ...action, status: 'in-progress' } };
      case 'ActionRedated':
        return {
          action: {
            ...action,
            dueOn: event.data.dueOn,
            redatings: [
              ...action.redatings,
              {
                from: event.data.previousDueOn,
                to: event.data.dueOn,
                on: londonDateOf(new Date(event.data.redatedAt)),
              },
            ],
          },
        };
      case 'ActionReassigned':
        return { action: { ...action, owner: event.data.owner } };
      case 'ActionProgressNoted':
        return { action: { ...action, notes: action.notes + 1 } };
      case 'ActionMilestoneAdded':
        return {
          action: {
            ...action,
            milestones: [...action.milestones, { ...event.data.milestone, doneOn: null }],
          },
        };
      case 'ActionMilestoneDone':
        return {
          action: {
            ...action,
            milestones: action.milestones.map((m) =>
              m.milestoneId === event.data.milestoneId ? { ...m, doneOn: event.data.doneOn } : m,
            ),
          },
        };
      case 'ActionCompleted':
        return {
          action: { ...action, status: 'completed', completedOn: event.data.completedOn },
        };
      case 'ActionCancelled':
        return {
          action: { ...action, status: 'cancelled', cancelledOn: event.data.cancelledOn },
        };
      default: {
        const unexpected: never = event;
        return unexpected;
      }
    }
  },
};

/**
 * Why the deadline of an action due on `dueOn` is owed nothing, or null when it is owed: the
 * action was cancelled by then, or its due date was moved away from `dueOn` by then (its new
 * date is a deadline of its own). A move or a cancellation after the date does not undo a
 * deadline already missed.
 */
export function whyActionDeadlineIsNotOwed(
  action: NonNullable<ActionState['action']>,
  dueOn: string,
): string | null {
  if (action.cancelledOn !== null && action.cancelledOn <= dueOn)
    return `the action was cancelled on ${action.cancelledOn}`;
  if (action.dueOn === dueOn) return null;
  const moved = [...action.redatings].reverse().find((r) => r.from === dueOn && r.on <= dueOn);
  return moved ? `the action was re-dated on ${moved.on} to ${action.dueOn}` : null;
}

function calendarDate(value: unknown, field: string, problems: FieldProblem[]): string | undefined {
  try {
    return parseCalendarDate(value, field);
  } catch (error) {
    if (!(error instanceof InvalidCommandError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

function personId(value: unknown, field: string, problems: FieldProblem[]): string | undefined {
  const id = typeof value === 'string' ? accountIdOf(value) : value;
  if (typeof id === 'string' && PERSON_ID.test(id)) return id;
  problems.push({
    field,
    reason:
      'must be a person’s account id (the user id they sign in as): 1 to 128 letters, digits or . _ @ -',
  });
  return undefined;
}

const TARGET_FIELDS: Record<ActionTarget['kind'], readonly string[]> = {
  'capability-stage': ['managerId', 'entryId', 'supportKind'],
  indicator: ['serviceId', 'indicatorCode', 'period'],
  objective: ['reference'],
  complaint: ['complaintId'],
  'audit-finding': ['findingId'],
};

/**
 * What an action acts on, checked field by field (`target.entryId`…); undefined when a problem
 * was found. Also used by the use case to find what it must check exists.
 */
export function readActionTarget(raw: unknown, problems: FieldProblem[]): ActionTarget | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push({
      field: 'target',
      reason: `must be { kind, … }: kind one of ${ACTION_TARGET_KINDS.join(', ')}`,
    });
    return undefined;
  }
  const given = raw as Record<string, unknown>;
  const kind = given.kind;
  if (!(ACTION_TARGET_KINDS as readonly unknown[]).includes(kind)) {
    problems.push({
      field: 'target.kind',
      reason: `must be one of ${ACTION_TARGET_KINDS.join(', ')}`,
    });
    return undefined;
  }
  const targetKind = kind as ActionTarget['kind'];
  const before = problems.length;
  // A field given as undefined is not given (a parsed request body may hold one).
  for (const field of Object.keys(given).filter(
    (f) => f !== 'kind' && given[f] !== undefined && !TARGET_FIELDS[targetKind].includes(f),
  )) {
    problems.push({
      field: `target.${field}`,
      reason: `is not a field of a ${targetKind} target (${TARGET_FIELDS[targetKind].join(', ')})`,
    });
  }
  const entity = (field: string): string => {
    const value = given[field];
    if (typeof value === 'string' && ENTITY_ID.test(value)) return value;
    problems.push({
      field: `target.${field}`,
      reason: 'must be an id: 1 to 63 lowercase letters, digits or -',
    });
    return '';
  };
  const text = (field: string, max: number): string =>
    requiredText(given[field], `target.${field}`, max, problems) ?? '';
  let target: ActionTarget;
  switch (targetKind) {
    case 'capability-stage': {
      // A manager id, as the capability records know them (and the data subject of their texts).
      const managerId = entity('managerId');
      const entryId = given.entryId;
      if (typeof entryId !== 'string' || capabilityEntryParts(entryId) === null)
        problems.push({
          field: 'target.entryId',
          reason:
            'must be a capability timeline entry id: <home>.<KPI>.<YYYY-MM>.s<stage>, e.g. home-02.EDU.2026-07.s2',
        });
      const supportKind = given.supportKind;
      if (!(SUPPORT_KINDS as readonly unknown[]).includes(supportKind))
        problems.push({
          field: 'target.supportKind',
          reason: `must be one of ${SUPPORT_KINDS.join(', ')} (the support a stage's plan gives)`,
        });
      target = {
        kind: targetKind,
        managerId,
        entryId: String(entryId),
        supportKind: supportKind as SupportKind,
      };
      break;
    }
    case 'indicator': {
      const serviceId = entity('serviceId');
      const indicatorCode = text('indicatorCode', 40);
      if (!isPeriod(given.period))
        problems.push({ field: 'target.period', reason: 'must be a month: YYYY-MM' });
      target = { kind: targetKind, serviceId, indicatorCode, period: String(given.period) };
      break;
    }
    case 'objective':
      target = { kind: targetKind, reference: text('reference', MAX_REFERENCE) };
      break;
    case 'complaint':
      target = { kind: targetKind, complaintId: entity('complaintId') };
      break;
    case 'audit-finding':
      target = { kind: targetKind, findingId: text('findingId', MAX_REFERENCE) };
      break;
    default: {
      const unexpected: never = targetKind;
      return unexpected;
    }
  }
  return problems.length > before ? undefined : target;
}

/** The milestones given when planning (or one added): each titled and due within the action. */
function readMilestones(
  raw: unknown,
  startOn: string | undefined,
  dueOn: string | undefined,
  problems: FieldProblem[],
  numberedAfter = 0,
): ActionMilestone[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.length > MAX_ACTION_MILESTONES) {
    problems.push({
      field: 'milestones',
      reason: `must be a list of up to ${MAX_ACTION_MILESTONES} { title, dueOn }`,
    });
    return [];
  }
  return raw.flatMap((item: unknown, index): ActionMilestone[] => {
    const field = `milestones[${index}]`;
    const given = (typeof item === 'object' && item !== null ? item : {}) as Record<
      string,
      unknown
    >;
    const title = requiredText(given.title, `${field}.title`, MAX_ACTION_TITLE, problems);
    const due = calendarDate(given.dueOn, `${field}.dueOn`, problems);
    if (due && startOn && due < startOn)
      problems.push({
        field: `${field}.dueOn`,
        reason: `is before the action starts (${startOn})`,
      });
    else if (due && dueOn && due > dueOn)
      problems.push({ field: `${field}.dueOn`, reason: `is after the action is due (${dueOn})` });
    return title && due
      ? [{ milestoneId: `m${numberedAfter + index + 1}`, title, dueOn: due }]
      : [];
  });
}
