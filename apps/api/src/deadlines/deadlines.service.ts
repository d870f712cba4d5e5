import { londonDateOf } from '@kpi/domain';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { CLOCK, PG_POOL } from '../infrastructure/injection-tokens';
import type { DeadlineDto, DeadlinesDto, DeadlinesQuery, DeadlineView } from './deadlines.dto';

/** At most this many deadlines per answer, soonest (or most overdue) first. */
const LIMIT = 1_000;

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

@Injectable()
export class DeadlinesReader {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  async deadlines(tenantId: string, query: DeadlinesQuery): Promise<DeadlinesDto> {
    const view: DeadlineView = query.view ?? 'upcoming';
    const today = londonDateOf(this.clock());
    const condition = {
      upcoming: `d.done_on IS NULL AND d.status = 'open' AND d.due_on >= $2::date`,
      overdue: `d.done_on IS NULL AND (d.status = 'missed' OR (d.status = 'open' AND d.due_on < $2::date))`,
      all: '$2::date IS NOT NULL', // every parameter is typed, used or not
    }[view];
    const { rows } = await this.pool.query<DeadlineRow>(
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
      [tenantId, today, query.serviceId ?? null, query.regionId ?? null],
    );
    return { view, today, deadlines: rows.map((row) => deadlineOf(row, today)) };
  }
}

function deadlineOf(row: DeadlineRow, today: string): DeadlineDto {
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
