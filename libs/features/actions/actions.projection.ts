import {
  ACTION_EVENT_TYPES,
  type ActionEvent,
  type ActionStatus,
  type ActionTarget,
  type PersonalText,
  type SupportKind,
} from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';

/**
 * Actions, one row each (docs/decisions/0039): what "My actions", a stage entry's support plan
 * and an action's page read. Texts that can name people stay sealed here (references); the
 * reader opens them in the vault.
 */
export interface ActionRow {
  tenantId: string;
  actionId: string;
  title: string;
  owner: string;
  status: ActionStatus;
  startOn: string;
  dueOn: string;
  target: ActionTarget;
  targetKind: ActionTarget['kind'];
  serviceId: string | null;
  /** For an action of a support plan: the manager and their stage entry, and the support. */
  managerId: string | null;
  entryId: string | null;
  supportKind: SupportKind | null;
  subjectId: string;
  description: PersonalText | null;
  milestones: { milestoneId: string; title: string; dueOn: string; doneOn: string | null }[];
  notes: { noteId: string; note: PersonalText; notedBy: string; notedAt: string }[];
  startedOn: string | null;
  completedOn: string | null;
  cancelledOn: string | null;
  plannedBy: string;
  plannedAt: string;
}

const keyOf = (event: Recorded<ActionEvent>) =>
  JSON.stringify([event.metadata.tenantId, event.data.actionId]);

export function evolveAction(
  row: ActionRow | null,
  event: Recorded<ActionEvent>,
): ActionRow | null {
  if (event.type === 'ActionPlanned') {
    const { data } = event;
    const stage = data.target.kind === 'capability-stage' ? data.target : null;
    return (
      row ?? {
        tenantId: event.metadata.tenantId,
        actionId: data.actionId,
        title: data.title,
        owner: data.owner,
        status: 'planned',
        startOn: data.startOn,
        dueOn: data.dueOn,
        target: data.target,
        targetKind: data.target.kind,
        serviceId: data.serviceId,
        managerId: stage?.managerId ?? null,
        entryId: stage?.entryId ?? null,
        supportKind: stage?.supportKind ?? null,
        subjectId: data.subjectId,
        description: data.description,
        milestones: data.milestones.map((m) => ({ ...m, doneOn: null })),
        notes: [],
        startedOn: null,
        completedOn: null,
        cancelledOn: null,
        plannedBy: data.plannedBy,
        plannedAt: data.plannedAt,
      }
    );
  }
  if (!row) return row;
  switch (event.type) {
    case 'ActionStarted':
      return { ...row, status: 'in-progress', startedOn: event.data.startedOn };
    case 'ActionRedated':
      return { ...row, dueOn: event.data.dueOn };
    case 'ActionReassigned':
      return { ...row, owner: event.data.owner };
    case 'ActionProgressNoted': {
      const { noteId, note, notedBy, notedAt } = event.data;
      return row.notes.some((n) => n.noteId === noteId)
        ? row
        : { ...row, notes: [...row.notes, { noteId, note, notedBy, notedAt }] };
    }
    case 'ActionMilestoneAdded':
      return row.milestones.some((m) => m.milestoneId === event.data.milestone.milestoneId)
        ? row
        : { ...row, milestones: [...row.milestones, { ...event.data.milestone, doneOn: null }] };
    case 'ActionMilestoneDone':
      return {
        ...row,
        milestones: row.milestones.map((m) =>
          m.milestoneId === event.data.milestoneId ? { ...m, doneOn: event.data.doneOn } : m,
        ),
      };
    case 'ActionCompleted':
      return { ...row, status: 'completed', completedOn: event.data.completedOn };
    case 'ActionCancelled':
      return { ...row, status: 'cancelled', cancelledOn: event.data.cancelledOn };
    default: {
      const _unexpected: never = event;
      return row;
    }
  }
}

export const actionsProjection = keyedProjection<ActionRow>({
  name: 'actions',
  version: 1,
  table: 'rm_actions',
  eventTypes: ACTION_EVENT_TYPES,
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'action_id', type: 'text', field: 'actionId' },
    { name: 'title', type: 'text', field: 'title' },
    { name: 'owner', type: 'text', field: 'owner' },
    { name: 'status', type: 'text', field: 'status' },
    { name: 'start_on', type: 'date', field: 'startOn' },
    { name: 'due_on', type: 'date', field: 'dueOn' },
    { name: 'target', type: 'jsonb', field: 'target' },
    { name: 'target_kind', type: 'text', field: 'targetKind' },
    { name: 'service_id', type: 'text', field: 'serviceId', nullable: true },
    { name: 'manager_id', type: 'text', field: 'managerId', nullable: true },
    { name: 'entry_id', type: 'text', field: 'entryId', nullable: true },
    { name: 'support_kind', type: 'text', field: 'supportKind', nullable: true },
    { name: 'subject_id', type: 'text', field: 'subjectId' },
    { name: 'description', type: 'jsonb', field: 'description', nullable: true },
    { name: 'milestones', type: 'jsonb', field: 'milestones' },
    { name: 'notes', type: 'jsonb', field: 'notes' },
    { name: 'started_on', type: 'date', field: 'startedOn', nullable: true },
    { name: 'completed_on', type: 'date', field: 'completedOn', nullable: true },
    { name: 'cancelled_on', type: 'date', field: 'cancelledOn', nullable: true },
    { name: 'planned_by', type: 'text', field: 'plannedBy' },
    { name: 'planned_at', type: 'timestamptz', field: 'plannedAt' },
  ],
  indexes: [
    ['tenant_id', 'owner', 'due_on'],
    ['tenant_id', 'manager_id', 'entry_id'],
    ['tenant_id', 'action_id'],
  ],
  keyOf: (event) => {
    const actionEvent = recordedOneOf<ActionEvent>(event, ACTION_EVENT_TYPES);
    return actionEvent && keyOf(actionEvent);
  },
  evolve: (row, event) => {
    const actionEvent = recordedOneOf<ActionEvent>(event, ACTION_EVENT_TYPES);
    return actionEvent ? evolveAction(row, actionEvent) : row;
  },
});
