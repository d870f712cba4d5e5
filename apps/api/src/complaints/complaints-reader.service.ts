import {
  addMonths,
  complaintKpi,
  COMPLAINT_KPI_TARGET,
  londonDateOf,
  parseFinancialQuarter,
  type ComplaintRecord,
  type Period,
} from '@kpi/domain';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Pool } from 'pg';
import { CLOCK, PG_POOL } from '../infrastructure/injection-tokens';
import type { ComplaintKpiDto, ComplaintsReportDto } from './complaints-queries.dto';

interface Row {
  kind: 'complaint' | 'compliment';
  id: string;
  service_id: string;
  received_on: string;
  category: ComplaintRecord['category'] | null;
  acknowledgement_due_on: string | null;
  acknowledged_on: string | null;
  response_due_on: string | null;
  responded_on: string | null;
  finding: ComplaintRecord['finding'];
}

const COLUMNS = `kind, id, service_id, to_char(received_on, 'YYYY-MM-DD') AS received_on, category,
  to_char(acknowledgement_due_on, 'YYYY-MM-DD') AS acknowledgement_due_on,
  to_char(acknowledged_on, 'YYYY-MM-DD') AS acknowledged_on,
  to_char(response_due_on, 'YYYY-MM-DD') AS response_due_on,
  to_char(responded_on, 'YYYY-MM-DD') AS responded_on, finding`;

/** The complaint KPI and the council's anonymised report, from rm_complaints. */
@Injectable()
export class ComplaintsReader {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  async kpi(tenantId: string, serviceId: string, quarter: string): Promise<ComplaintKpiDto> {
    const { firstDay, lastDay } = parseFinancialQuarter(quarter);
    const [service, rows] = await Promise.all([
      this.pool.query('SELECT 1 FROM rm_services WHERE tenant_id = $1 AND service_id = $2', [
        tenantId,
        serviceId,
      ]),
      this.pool.query<Row>(
        `SELECT ${COLUMNS} FROM rm_complaints
          WHERE tenant_id = $1 AND service_id = $2 AND kind = 'complaint'
            AND response_due_on BETWEEN $3 AND $4`,
        [tenantId, serviceId, firstDay, lastDay],
      ),
    ]);
    if (service.rowCount === 0) throw new NotFoundException(`No service ${serviceId}`);
    const complaints = rows.rows.map(recordOf);
    const today = londonDateOf(this.clock());
    const months = monthsOf(firstDay);
    return {
      serviceId,
      quarter,
      target: COMPLAINT_KPI_TARGET,
      months: months.map((period) => ({ period, ...complaintKpi(complaints, [period], today) })),
      total: complaintKpi(complaints, months, today),
    };
  }

  async report(tenantId: string, quarter: string): Promise<ComplaintsReportDto> {
    const { firstDay, lastDay } = parseFinancialQuarter(quarter);
    const [rows, services] = await Promise.all([
      this.pool.query<Row>(
        `SELECT ${COLUMNS} FROM rm_complaints
          WHERE tenant_id = $1
            AND (received_on BETWEEN $2 AND $3 OR response_due_on BETWEEN $2 AND $3)
          ORDER BY service_id, received_on, id`,
        [tenantId, firstDay, lastDay],
      ),
      this.pool.query<{ service_id: string; name: string }>(
        'SELECT service_id, name FROM rm_services WHERE tenant_id = $1 ORDER BY service_id',
        [tenantId],
      ),
    ]);
    const today = londonDateOf(this.clock());
    const months = monthsOf(firstDay);
    const inQuarter = (date: string) => date >= firstDay && date <= lastDay;
    const complaints = rows.rows.filter((r) => r.kind === 'complaint').map(recordOf);
    const received = complaints.filter((c) => inQuarter(c.receivedOn));
    return {
      quarter,
      services: services.rows
        .map((service) => {
          const own = complaints.filter((c) => c.serviceId === service.service_id);
          return {
            serviceId: service.service_id,
            name: service.name,
            complaintsReceived: received.filter((c) => c.serviceId === service.service_id).length,
            compliments: rows.rows.filter(
              (r) =>
                r.kind === 'compliment' &&
                r.service_id === service.service_id &&
                inQuarter(r.received_on),
            ).length,
            kpi: complaintKpi(own, months, today),
          };
        })
        .filter(
          (s) => s.complaintsReceived > 0 || s.compliments > 0 || s.kpi.due + s.kpi.pending > 0,
        ),
      complaints: received.map((c) => ({
        reference: c.complaintId,
        serviceId: c.serviceId,
        receivedOn: c.receivedOn,
        category: c.category,
        acknowledgementDueOn: c.acknowledgementDueOn,
        acknowledgedOn: c.acknowledgedOn,
        responseDueOn: c.responseDueOn,
        respondedOn: c.respondedOn,
        answeredInTime:
          c.respondedOn !== null
            ? c.respondedOn <= c.responseDueOn
            : c.responseDueOn < today
              ? false
              : null,
        finding: c.finding,
      })),
    };
  }
}

function recordOf(row: Row): ComplaintRecord {
  return {
    complaintId: row.id,
    serviceId: row.service_id,
    receivedOn: row.received_on,
    category: row.category!,
    acknowledgementDueOn: row.acknowledgement_due_on!,
    acknowledgedOn: row.acknowledged_on,
    responseDueOn: row.response_due_on!,
    respondedOn: row.responded_on,
    finding: row.finding,
  };
}

/** The three months of a quarter from its first day. */
function monthsOf(firstDay: string): Period[] {
  const first = firstDay.slice(0, 7) as Period;
  return [first, addMonths(first, 1), addMonths(first, 2)];
}
