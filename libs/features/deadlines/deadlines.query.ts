import { requireKnownIds, type EntityId } from '@kpi/command-handling';
import { londonDateOf } from '@kpi/domain';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';

/** At most this many deadlines per answer, soonest (or most overdue) first. */
const LIMIT = 1_000;

export const DEADLINE_VIEWS = ['upcoming', 'overdue', 'all'] as const;
export type DeadlineView = (typeof DEADLINE_VIEWS)[number];

export interface DeadlinesParams {
  /** One service (home) only. */
  serviceId?: EntityId;
  /** One region's services only. */
  regionId?: EntityId;
  view: DeadlineView;
}

export interface DeadlineListed {
  key: string;
  kind: string;
  serviceId: string;
  subjectId: string;
  period: string | null;
  dueOn: string;
  status: string;
  state: 'upcoming' | 'overdue' | 'done' | 'cancelled';
  doneOn: string | null;
  doneByEventId: string | null;
  remindersSent: number;
}

export interface Deadlines {
  view: DeadlineView;
  /** Today's date in Europe/London, as the answer was computed. */
  today: string;
  deadlines: DeadlineListed[];
}

/** The tenant's upcoming, overdue or all deadlines, per service or per region. */
export class ReadDeadlines extends FeatureQuery<DeadlinesParams, Deadlines> {}

/** A row of rm_deadlines as the reader selects it (dates as `YYYY-MM-DD`). */
interface DeadlineRow {
  deadline_key: string;
  kind: string;
  service_id: string;
  subject_id: string;
  period: string | null;
  due_on: string;
  status: string;
  done_on: string | null;
  done_by_event: string | null;
  reminders_sent: number;
}

/**
 * The deadlines of a tenant as of `now` (read model `deadlines`), filtered by service or by
 * region (the organisation feature's read model of services, read by its published table). A
 * service or region id that names none of the tenant's is not found (another tenant's alike).
 */
export async function readDeadlines(
  db: Queryable,
  tenantId: string,
  { serviceId, regionId, view }: DeadlinesParams,
  { now, store }: Pick<QueryReading, 'now' | 'store'>,
): Promise<Deadlines> {
  const today = londonDateOf(now);
  const condition = {
    upcoming: `d.done_on IS NULL AND d.status = 'open' AND d.due_on >= $2::date`,
    overdue: `d.done_on IS NULL AND (d.status = 'missed' OR (d.status = 'open' AND d.due_on < $2::date))`,
    all: '$2::date IS NOT NULL', // every parameter is typed, used or not
  }[view];
  const { rows } = await db.query<DeadlineRow>(
    `SELECT d.deadline_key, d.kind, d.service_id, d.subject_id, d.period,
            to_char(d.due_on, 'YYYY-MM-DD') AS due_on, d.status,
            to_char(d.done_on, 'YYYY-MM-DD') AS done_on, d.done_by_event::text, d.reminders_sent
       FROM rm_deadlines d
       LEFT JOIN rm_services s ON s.tenant_id = d.tenant_id AND s.service_id = d.service_id
      WHERE d.tenant_id = $1 AND ${condition}
        AND ($3::text IS NULL OR d.service_id = $3)
        AND ($4::text IS NULL OR s.region_id = $4)
      ORDER BY d.due_on, d.deadline_key
      LIMIT ${LIMIT}`,
    [tenantId, today, serviceId ?? null, regionId ?? null],
  );
  if (rows.length === 0) await requireKnownIds({ store, tenantId }, { serviceId, regionId });
  return { view, today, deadlines: rows.map((row) => deadlineOf(row, today)) };
}

function deadlineOf(row: DeadlineRow, today: string): DeadlineListed {
  const state =
    row.status === 'cancelled'
      ? 'cancelled'
      : row.done_on !== null
        ? 'done'
        : row.status === 'missed' || row.due_on < today
          ? 'overdue'
          : 'upcoming';
  return {
    key: row.deadline_key,
    kind: row.kind,
    serviceId: row.service_id,
    subjectId: row.subject_id,
    period: row.period,
    dueOn: row.due_on,
    status: row.status,
    state,
    doneOn: row.done_on,
    doneByEventId: row.done_by_event,
    remindersSent: row.reminders_sent,
  };
}
