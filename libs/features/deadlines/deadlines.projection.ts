import {
  DEADLINE_ENDING_EVENT_TYPES,
  DEADLINE_SOURCE_EVENT_TYPES,
  DEADLINE_WORK_EVENT_TYPES,
  deadlinesCausedBy,
  deadlinesEndedBy,
  workRecordedBy,
  type Deadline,
  type DeadlinePassed,
  type DeadlineReminderSent,
  type StaffOnRecord,
} from '@kpi/domain';
import type { RecordedEvent } from '@kpi/event-store';
import type { PoolClient } from 'pg';
import type { Projection, Recorded } from '@kpi/projections';

/**
 * Upcoming and overdue: one row per deadline of a tenant
 * (docs/rules/deadlines-and-calendar.md#deadlines-the-system-watches), from the same rules the
 * reactor schedules by (`deadlinesCausedBy`, `workRecordedBy` in libs/domain/src/deadline):
 *
 * - a row appears when an event starts a deadline (status `open`);
 * - work recorded towards it sets `done_on` (the earliest work that counts);
 * - the due job's `DeadlinePassed` sets `judged` to `met`, `missed` or `cancelled`;
 * - `status` is computed from them by the domain's rule (`deadlineStatus`): work done on or
 *   before the due date makes it `met` whatever the order of arrival (an answer recorded after
 *   the due job judged the deadline missed), else the judgement, else `open`;
 * - reminders are counted; a staff member's leaving sets `left_on` on their rows;
 * - an event that ends a deadline before it falls due (an action re-dated or cancelled) judges
 *   it `cancelled` at once, as its due job will (`deadlinesEndedBy`).
 *
 * A supervision starts the next supervision deadline of a staff member the table knows (their
 * rows give the service): a session recorded before the staff member was registered is judged
 * by the due job and the chain goes on from its `DeadlinePassed` (decision 0012).
 *
 * A batch is applied in a handful of statements, whatever its size: every step takes the
 * earliest work, counts or is idempotent, so the order of events within a batch does not
 * change the result.
 */
const EVENT_TYPES = [
  ...new Set<string>([
    ...DEADLINE_SOURCE_EVENT_TYPES,
    ...DEADLINE_WORK_EVENT_TYPES,
    ...DEADLINE_ENDING_EVENT_TYPES,
    'DeadlineReminderSent',
    'StaffMemberLeft',
  ]),
];

export const deadlinesProjection: Projection = {
  name: 'deadlines',
  // 2: `status` derives from `judged` and `done_on` (a late-recorded answer in time is met).
  version: 2,
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
      judged text,
      done_on date,
      -- deadlineStatus (libs/domain/src/deadline): in time is met, whatever arrived first.
      status text NOT NULL GENERATED ALWAYS AS (
        CASE WHEN done_on IS NOT NULL AND done_on <= due_on THEN 'met' ELSE coalesce(judged, 'open') END
      ) STORED,
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
    const sessions = events.filter((e) => e.type === 'SupervisionRecorded');
    // 1. Deadlines started by the batch (but a session's, which needs its staff member).
    await insertDeadlines(
      tx,
      table,
      events.flatMap((event) => [
        ...deadlinesNamedBy(event).map((deadline) => ({ event, deadline })),
        ...(event.type === 'SupervisionRecorded'
          ? []
          : deadlinesCausedBy(event, null).map((deadline) => ({ event, deadline }))),
      ]),
    );
    const leavers = events.filter((e) => e.type === 'StaffMemberLeft');
    const leftInBatch = new Map(
      leavers.map((e) => {
        const { staffId, leftOn } = e.data as { staffId: string; leftOn: string };
        return [JSON.stringify([e.metadata.tenantId, staffId]), leftOn];
      }),
    );
    // 2. A one-to-one starts the next supervision of a staff member on record (not of one who
    //    had left by then, in this batch or before).
    if (sessions.length > 0) {
      const staff = await staffOnRecord(tx, table, sessions);
      await insertDeadlines(
        tx,
        table,
        sessions.flatMap((event) => {
          const supervisee = (event.data as { superviseeId: string }).superviseeId;
          const key = JSON.stringify([event.metadata.tenantId, supervisee]);
          const known = staff.get(key);
          const leftOn = known?.leftOn ?? leftInBatch.get(key) ?? null;
          return deadlinesCausedBy(event, known ? { ...known, leftOn } : null).map((deadline) => ({
            event,
            deadline,
          }));
        }),
      );
    }
    // 3. Leavers: their rows (the ones just made too) carry the day they left.
    if (leavers.length > 0) {
      await tx.query(
        `UPDATE ${table} t SET left_on = l.left_on
           FROM unnest($1::text[], $2::text[], $3::date[]) AS l(tenant_id, staff_id, left_on)
          WHERE t.tenant_id = l.tenant_id AND t.subject_id = l.staff_id`,
        [
          leavers.map((e) => e.metadata.tenantId),
          leavers.map((e) => (e.data as { staffId: string }).staffId),
          leavers.map((e) => (e.data as { leftOn: string }).leftOn),
        ],
      );
    }
    // 4. Work done: each row keeps the earliest work that counts for it.
    const work = events.flatMap((event) =>
      workRecordedBy(event).map((w) => ({
        ...w,
        tenantId: event.metadata.tenantId,
        period: w.kind === 'monthly-return' ? (event.data as { period: string }).period : null,
        eventId: event.eventId,
      })),
    );
    if (work.length > 0) {
      await tx.query(
        `UPDATE ${table} t SET done_on = w.done, done_by_event = w.event_id
           FROM (
             SELECT DISTINCT ON (d.tenant_id, d.deadline_key) d.tenant_id, d.deadline_key, w.done, w.event_id
               FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::uuid[])
                      AS w(tenant_id, kind, subject_id, done, period, event_id)
               JOIN ${table} d ON d.tenant_id = w.tenant_id AND d.kind = w.kind AND d.subject_id = w.subject_id
                AND (d.work_after IS NULL OR d.work_after < w.done)
                AND (w.period IS NULL OR d.period = w.period)
              ORDER BY d.tenant_id, d.deadline_key, w.done
           ) w
          WHERE t.tenant_id = w.tenant_id AND t.deadline_key = w.deadline_key
            AND (t.done_on IS NULL OR t.done_on > w.done)`,
        [
          work.map((w) => w.tenantId),
          work.map((w) => w.kind),
          work.map((w) => w.subjectId),
          work.map((w) => w.on),
          work.map((w) => w.period),
          work.map((w) => w.eventId),
        ],
      );
    }
    // 4b. Deadlines ended before they fell due: cancelled (not once judged, nor once done).
    const ended = events.flatMap((event) =>
      deadlinesEndedBy(event).map((end) => ({ ...end, tenantId: event.metadata.tenantId })),
    );
    if (ended.length > 0) {
      await tx.query(
        `UPDATE ${table} t SET judged = 'cancelled'
           FROM unnest($1::text[], $2::text[], $3::date[]) AS e(tenant_id, deadline_key, ended_on)
          WHERE t.tenant_id = e.tenant_id AND t.deadline_key = e.deadline_key
            AND t.judged IS NULL AND t.done_on IS NULL AND t.due_on >= e.ended_on`,
        [ended.map((e) => e.tenantId), ended.map((e) => e.key), ended.map((e) => e.on)],
      );
    }
    // 5. Reminders sent, and 6. deadlines passed (the work that met one counts as done).
    const reminders = events.flatMap((e) =>
      e.type === 'DeadlineReminderSent'
        ? [{ e, data: (e as unknown as Recorded<DeadlineReminderSent>).data }]
        : [],
    );
    if (reminders.length > 0) {
      await tx.query(
        `UPDATE ${table} t SET reminders_sent = t.reminders_sent + r.sent, last_reminder_at = r.last
           FROM (SELECT tenant_id, deadline_key, count(*)::int AS sent, max(sent_at) AS last
                   FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS r(tenant_id, deadline_key, sent_at)
                  GROUP BY tenant_id, deadline_key) r
          WHERE t.tenant_id = r.tenant_id AND t.deadline_key = r.deadline_key`,
        [
          reminders.map(({ e }) => e.metadata.tenantId),
          reminders.map(({ data }) => data.deadline.key),
          reminders.map(({ data }) => data.sentAt),
        ],
      );
    }
    const passed = events.flatMap((e) =>
      e.type === 'DeadlinePassed'
        ? [{ e, data: (e as unknown as Recorded<DeadlinePassed>).data }]
        : [],
    );
    if (passed.length > 0) {
      await tx.query(
        `UPDATE ${table} t SET judged = p.outcome, passed_at = p.judged_at,
                done_on = CASE WHEN p.done IS NOT NULL AND (t.done_on IS NULL OR t.done_on > p.done) THEN p.done ELSE t.done_on END,
                done_by_event = CASE WHEN p.done IS NOT NULL AND (t.done_on IS NULL OR t.done_on > p.done) THEN p.event_id ELSE t.done_by_event END
           FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::date[], $6::uuid[])
                  AS p(tenant_id, deadline_key, outcome, judged_at, done, event_id)
          WHERE t.tenant_id = p.tenant_id AND t.deadline_key = p.deadline_key`,
        [
          passed.map(({ e }) => e.metadata.tenantId),
          passed.map(({ data }) => data.deadline.key),
          passed.map(({ data }) => data.outcome),
          passed.map(({ data }) => data.judgedAt),
          passed.map(({ data }) => (data.outcome === 'met' ? data.work.on : null)),
          passed.map(({ data }) => (data.outcome === 'met' ? data.work.eventId : null)),
        ],
      );
    }
  },
};

/** The deadline a reminder or a judgement is about (its row may not exist yet). */
function deadlinesNamedBy(event: RecordedEvent): Deadline[] {
  return event.type === 'DeadlineReminderSent' || event.type === 'DeadlinePassed'
    ? [(event.data as { deadline: Deadline }).deadline]
    : [];
}

/** What the table knows of each supervisee: their service, and when they left. */
async function staffOnRecord(
  tx: PoolClient,
  table: string,
  sessions: readonly RecordedEvent[],
): Promise<Map<string, StaffOnRecord>> {
  const { rows } = await tx.query<{
    tenant_id: string;
    subject_id: string;
    service_id: string;
    left_on: string | null;
  }>(
    `SELECT DISTINCT ON (t.tenant_id, t.subject_id) t.tenant_id, t.subject_id, t.service_id,
            to_char(t.left_on, 'YYYY-MM-DD') AS left_on
       FROM unnest($1::text[], $2::text[]) AS s(tenant_id, staff_id)
       JOIN ${table} t ON t.tenant_id = s.tenant_id AND t.subject_id = s.staff_id AND t.kind = 'supervision'`,
    [
      sessions.map((e) => e.metadata.tenantId),
      sessions.map((e) => (e.data as { superviseeId: string }).superviseeId),
    ],
  );
  return new Map(
    rows.map((r) => [
      JSON.stringify([r.tenant_id, r.subject_id]),
      { serviceId: r.service_id, leftOn: r.left_on },
    ]),
  );
}

async function insertDeadlines(
  tx: PoolClient,
  table: string,
  caused: readonly { event: RecordedEvent; deadline: Deadline }[],
): Promise<void> {
  if (caused.length === 0) return;
  const column = <T>(pick: (c: { event: RecordedEvent; deadline: Deadline }) => T) =>
    caused.map(pick);
  await tx.query(
    `INSERT INTO ${table} (tenant_id, deadline_key, kind, service_id, subject_id, period, region_id, due_on, work_after, caused_by)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[], $9::date[], $10::uuid[])
     ON CONFLICT (tenant_id, deadline_key) DO NOTHING`,
    [
      column((c) => c.event.metadata.tenantId),
      column((c) => c.deadline.key),
      column((c) => c.deadline.kind),
      column((c) => c.deadline.serviceId),
      column((c) => c.deadline.subjectId),
      column((c) => c.deadline.period),
      column((c) => c.deadline.regionId),
      column((c) => c.deadline.dueOn),
      column((c) => c.deadline.workAfter),
      column((c) => c.event.eventId),
    ],
  );
}
