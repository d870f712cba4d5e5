import { isSealed, londonDateOf, NotFoundError, type PersonalText } from '@kpi/domain';
import { openedText, type OpenedPersonalData, type PersonalDataVault } from '@kpi/personal-data';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import { actionsProjection, type ActionRow } from './actions.projection';

/** At most this many actions per list, soonest due first. */
const LIMIT = 500;

export interface ListActionsParams {
  /** Only the actions this person owns (an account id): "My actions". */
  owner?: string;
  /** Only the support plan of this stage entry of this manager. */
  managerId?: string;
  entryId?: string;
  /** Only the actions still to do (planned or in progress). */
  openOnly?: boolean;
}

/** An action in a list: no texts, where it stands today. */
export interface ActionListed {
  actionId: string;
  title: string;
  owner: string;
  status: ActionRow['status'];
  startOn: string;
  dueOn: string;
  /** Still to do and past its due date (Europe/London). */
  overdue: boolean;
  target: ActionRow['target'];
  serviceId: string | null;
  supportKind: ActionRow['supportKind'];
  milestones: ActionRow['milestones'];
  completedOn: string | null;
  cancelledOn: string | null;
}

export interface ActionList {
  /** Today's date in Europe/London, as the answer was computed. */
  today: string;
  actions: ActionListed[];
}

export class ListActions extends FeatureQuery<ListActionsParams, ActionList> {}

/**
 * The tenant's actions (read model `actions`): someone's own, a stage entry's support plan, or
 * all, soonest due first.
 */
export async function listActions(
  db: Queryable,
  tenantId: string,
  { owner, managerId, entryId, openOnly }: ListActionsParams,
  { now }: Pick<QueryReading, 'now'>,
): Promise<ActionList> {
  const today = londonDateOf(now);
  const rows = await actionsProjection.rows(
    db,
    `tenant_id = $1 AND ($2::text IS NULL OR owner = $2) AND ($3::text IS NULL OR manager_id = $3)
     AND ($4::text IS NULL OR entry_id = $4) AND (NOT $5::boolean OR status IN ('planned', 'in-progress'))`,
    [tenantId, owner ?? null, managerId ?? null, entryId ?? null, openOnly ?? false],
    `due_on, action_id LIMIT ${LIMIT}`,
  );
  return { today, actions: rows.map((row) => listed(row, today)) };
}

function listed(row: ActionRow, today: string): ActionListed {
  return {
    actionId: row.actionId,
    title: row.title,
    owner: row.owner,
    status: row.status,
    startOn: row.startOn,
    dueOn: row.dueOn,
    overdue: (row.status === 'planned' || row.status === 'in-progress') && row.dueOn < today,
    target: row.target,
    serviceId: row.serviceId,
    supportKind: row.supportKind,
    milestones: row.milestones,
    completedOn: row.completedOn,
    cancelledOn: row.cancelledOn,
  };
}

export interface ReadActionParams {
  actionId: string;
  /** When the reader may read only actions they own: their account id (another's is 404). */
  onlyOwnedBy?: string;
}

/** One action with its texts opened: each the text, or `{ erasedOn }` once its subject was erased. */
export interface ActionDetails extends ActionListed {
  dataSubjectId: string;
  description: OpenedPersonalData | null;
  notes: { noteId: string; note: OpenedPersonalData; notedBy: string; notedAt: string }[];
  startedOn: string | null;
  plannedBy: string;
  plannedAt: string;
}

export class ReadAction extends FeatureQuery<ReadActionParams, ActionDetails> {}

/** One action of the tenant, its texts opened in the vault; another tenant's, or none, is 404. */
export async function readAction(
  db: Queryable,
  tenantId: string,
  { actionId, onlyOwnedBy }: ReadActionParams,
  { now, vault }: Pick<QueryReading, 'now'> & { vault: PersonalDataVault },
): Promise<ActionDetails> {
  const [row] = await actionsProjection.rows(db, 'tenant_id = $1 AND action_id = $2', [
    tenantId,
    actionId,
  ]);
  if (!row || (onlyOwnedBy !== undefined && row.owner !== onlyOwnedBy))
    throw new NotFoundError(`No action ${actionId}`);
  const texts: PersonalText[] = [
    ...(row.description === null ? [] : [row.description]),
    ...row.notes.map((n) => n.note),
  ];
  const opened = await vault.open(tenantId, texts.filter(isSealed));
  return {
    ...listed(row, londonDateOf(now)),
    dataSubjectId: row.subjectId,
    description: row.description === null ? null : openedText(row.description, opened),
    notes: row.notes.map((n) => ({ ...n, note: openedText(n.note, opened) })),
    startedOn: row.startedOn,
    plannedBy: row.plannedBy,
    plannedAt: row.plannedAt,
  };
}
