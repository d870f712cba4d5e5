import {
  DEADLINE_SOURCE_EVENT_TYPES,
  DEADLINE_WORK_EVENT_TYPES,
  deadlinesCausedBy,
  workRecordedBy,
  type Deadline,
  type DeadlineEvent,
} from '@kpi/domain';
import type { RecordedEvent } from '@kpi/event-store';
import type { PoolClient } from 'pg';
import type { Projection } from '../projection';

/**
 * Upcoming and overdue: one row per deadline of a tenant (DOMAIN.md "Monthly returns",
 * "Supervision and workforce", "Complaints"), from the same rules the reactor schedules by
 * (`deadlinesCausedBy`, `workRecordedBy` in libs/domain/src/deadline):
 *
 * - a row appears when an event starts a deadline (status `open`);
 * - work recorded towards it sets `done_on` (the earliest work that counts);
 * - the due job's `DeadlinePassed` sets the status to `met`, `missed` or `cancelled`;
 * - reminders are counted; a staff member's leaving sets `left_on` on their rows.
 *
 * A supervision starts the next supervision deadline of a staff member the table knows (their
 * rows give the service): a session recorded before the staff member was registered is judged
 * by the due job and the chain goes on from its `DeadlinePassed` (decision 0012).
 */
const EVENT_TYPES = [
  ...new Set<string>([
    ...DEADLINE_SOURCE_EVENT_TYPES,
    ...DEADLINE_WORK_EVENT_TYPES,
    'DeadlineReminderSent',
    'StaffMemberLeft',
  ]),
];

export const deadlinesProjection: Projection = {
  name: 'deadlines',
  version: 1,
  table: 'rm_deadlines',
  eventTypes: EVENT_TYPES,
  createTable: (table) => `
    CREATE TABLE ${table} (
      tenant_id text NOT NULL,
      deadline_key text NOT NULL,
      kind text NOT NULL,
      service_id text NOT NULL,
      subject_id text NOT NULL,
      period text,
      region_id text,
      due_on date NOT NULL,
      work_after date,
      status text NOT NULL DEFAULT 'open',
      done_on date,
      done_by_event uuid,
      left_on date,
      reminders_sent integer NOT NULL DEFAULT 0,
      last_reminder_at timestamptz,
      passed_at timestamptz,
      caused_by uuid NOT NULL,
      PRIMARY KEY (tenant_id, deadline_key)
    );
    CREATE INDEX ON ${table} (tenant_id, service_id, due_on);
    CREATE INDEX ON ${table} (tenant_id, subject_id, kind)`,
  async apply(tx: PoolClient, table: string, events: readonly RecordedEvent[]) {
    for (const event of events) await applyOne(tx, table, event);
  },
};

async function applyOne(tx: PoolClient, table: string, event: RecordedEvent): Promise<void> {
  const tenantId = event.metadata.tenantId;
  const data = event.data as Record<string, unknown>;

  if (event.type === 'DeadlineReminderSent') {
    const { deadline, sentAt } = (
      event as unknown as DeadlineEvent & { type: 'DeadlineReminderSent' }
    ).data;
    await insertDeadline(tx, table, tenantId, deadline, event.eventId);
    await tx.query(
      `UPDATE ${table} SET reminders_sent = reminders_sent + 1, last_reminder_at = $3
        WHERE tenant_id = $1 AND deadline_key = $2`,
      [tenantId, deadline.key, sentAt],
    );
    return;
  }
  if (event.type === 'DeadlinePassed') {
    const passed = (event as unknown as DeadlineEvent & { type: 'DeadlinePassed' }).data;
    await insertDeadline(tx, table, tenantId, passed.deadline, event.eventId);
    await tx.query(
      `UPDATE ${table} SET status = $3, passed_at = $4,
              done_on = CASE WHEN $5::date IS NOT NULL AND (done_on IS NULL OR done_on > $5::date) THEN $5::date ELSE done_on END,
              done_by_event = CASE WHEN $5::date IS NOT NULL AND (done_on IS NULL OR done_on > $5::date) THEN $6::uuid ELSE done_by_event END
        WHERE tenant_id = $1 AND deadline_key = $2`,
      [
        tenantId,
        passed.deadline.key,
        passed.outcome,
        passed.judgedAt,
        passed.outcome === 'met' ? passed.work.on : null,
        passed.outcome === 'met' ? passed.work.eventId : null,
      ],
    );
  }
  if (event.type === 'StaffMemberLeft') {
    await tx.query(`UPDATE ${table} SET left_on = $3 WHERE tenant_id = $1 AND subject_id = $2`, [
      tenantId,
      data.staffId,
      data.leftOn,
    ]);
    return;
  }

  for (const work of workRecordedBy(event)) {
    await tx.query(
      `UPDATE ${table} SET done_on = $4, done_by_event = $6
        WHERE tenant_id = $1 AND kind = $2 AND subject_id = $3
          AND (work_after IS NULL OR work_after < $4)
          AND ($5::text IS NULL OR period = $5)
          AND (done_on IS NULL OR done_on > $4)`,
      [
        tenantId,
        work.kind,
        work.subjectId,
        work.on,
        work.kind === 'monthly-return' ? (data.period as string) : null,
        event.eventId,
      ],
    );
  }

  let staff = null;
  if (event.type === 'SupervisionRecorded') {
    const { rows } = await tx.query<{ service_id: string; left_on: string | null }>(
      `SELECT service_id, to_char(left_on, 'YYYY-MM-DD') AS left_on FROM ${table}
        WHERE tenant_id = $1 AND subject_id = $2 AND kind = 'supervision' LIMIT 1`,
      [tenantId, data.superviseeId],
    );
    staff = rows[0] ? { serviceId: rows[0].service_id, leftOn: rows[0].left_on } : null;
  }
  for (const deadline of deadlinesCausedBy(event, staff))
    await insertDeadline(tx, table, tenantId, deadline, event.eventId);
}

async function insertDeadline(
  tx: PoolClient,
  table: string,
  tenantId: string,
  deadline: Deadline,
  causedBy: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO ${table} (tenant_id, deadline_key, kind, service_id, subject_id, period, region_id, due_on, work_after, caused_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (tenant_id, deadline_key) DO NOTHING`,
    [
      tenantId,
      deadline.key,
      deadline.kind,
      deadline.serviceId,
      deadline.subjectId,
      deadline.period,
      deadline.regionId,
      deadline.dueOn,
      deadline.workAfter,
      causedBy,
    ],
  );
}
