import type { EntityId } from '@kpi/command-handling';
import {
  addMonths,
  complaintKpi,
  COMPLAINT_KPI_TARGET,
  NotFoundError,
  type ComplaintCategory,
  type ComplaintFinding,
  type ComplaintKpi,
  type ComplaintRecord,
  type FinancialQuarter,
  type Period,
} from '@kpi/domain';
import { FeatureQuery, type Queryable } from '@kpi/projections';
import { complaintsProjection, type ComplaintRow } from './complaints.projection';

/** A UK financial-year quarter, judged on a day. */
export interface QuarterParams {
  quarter: FinancialQuarter;
  /** Today in London, `YYYY-MM-DD`: a complaint not answered by its due date is late after it. */
  today: string;
}

export interface ComplaintKpiParams extends QuarterParams {
  serviceId: EntityId;
}

/** The complaint KPI of a service: per month of the quarter, and for the quarter. */
export interface ServiceComplaintKpi {
  serviceId: string;
  quarter: string;
  target: number;
  months: (ComplaintKpi & { period: Period })[];
  total: ComplaintKpi;
}

/** The anonymised complaints of a quarter, for the commissioning council. */
export interface ComplaintsReport {
  quarter: string;
  services: {
    serviceId: string;
    name: string;
    complaintsReceived: number;
    compliments: number;
    kpi: ComplaintKpi;
  }[];
  complaints: {
    reference: string;
    serviceId: string;
    receivedOn: string;
    category: ComplaintCategory;
    acknowledgementDueOn: string;
    acknowledgedOn: string | null;
    responseDueOn: string;
    respondedOn: string | null;
    /** null while not answered and not yet due. */
    answeredInTime: boolean | null;
    finding: ComplaintFinding | null;
  }[];
}

export class ReadComplaintKpi extends FeatureQuery<ComplaintKpiParams, ServiceComplaintKpi> {}

export class ReadComplaintsReport extends FeatureQuery<QuarterParams, ComplaintsReport> {}

/**
 * The complaint KPI of a service for a quarter, from rm_complaints: a complaint counts in the
 * month its response falls due. 404 when the service is not the tenant's.
 */
export async function readComplaintKpi(
  db: Queryable,
  tenantId: string,
  { serviceId, quarter, today }: ComplaintKpiParams,
): Promise<ServiceComplaintKpi> {
  const { firstDay, lastDay } = quarter;
  const [service, rows] = await Promise.all([
    // The organisation feature's read model of services, read by its published table.
    db.query('SELECT 1 FROM rm_services WHERE tenant_id = $1 AND service_id = $2', [
      tenantId,
      serviceId,
    ]),
    complaintsProjection.rows(
      db,
      `tenant_id = $1 AND service_id = $2 AND kind = 'complaint'
         AND response_due_on BETWEEN $3 AND $4`,
      [tenantId, serviceId, firstDay, lastDay],
    ),
  ]);
  if (service.rows.length === 0) throw new NotFoundError(`No service ${serviceId}`);
  const complaints = rows.map(recordOf);
  const months = monthsOf(firstDay);
  return {
    serviceId,
    quarter: quarter.quarter,
    target: COMPLAINT_KPI_TARGET,
    months: months.map((period) => ({ period, ...complaintKpi(complaints, [period], today) })),
    total: complaintKpi(complaints, months, today),
  };
}

/**
 * The anonymised report of a quarter: per service, complaints and compliments received and the
 * KPI; then every complaint received in the quarter — never its text or the complainant.
 */
export async function readComplaintsReport(
  db: Queryable,
  tenantId: string,
  { quarter, today }: QuarterParams,
): Promise<ComplaintsReport> {
  const { firstDay, lastDay } = quarter;
  const [rows, services] = await Promise.all([
    complaintsProjection.rows(
      db,
      'tenant_id = $1 AND (received_on BETWEEN $2 AND $3 OR response_due_on BETWEEN $2 AND $3)',
      [tenantId, firstDay, lastDay],
      'service_id, received_on, id',
    ),
    // The organisation feature's read model of services, read by its published table.
    db.query<{ service_id: string; name: string }>(
      'SELECT service_id, name FROM rm_services WHERE tenant_id = $1 ORDER BY service_id',
      [tenantId],
    ),
  ]);
  const months = monthsOf(firstDay);
  const inQuarter = (date: string) => date >= firstDay && date <= lastDay;
  const complaints = rows.filter((r) => r.kind === 'complaint').map(recordOf);
  const received = complaints.filter((c) => inQuarter(c.receivedOn));
  return {
    quarter: quarter.quarter,
    services: services.rows
      .map((service) => {
        const own = complaints.filter((c) => c.serviceId === service.service_id);
        return {
          serviceId: service.service_id,
          name: service.name,
          complaintsReceived: received.filter((c) => c.serviceId === service.service_id).length,
          compliments: rows.filter(
            (r) =>
              r.kind === 'compliment' &&
              r.serviceId === service.service_id &&
              inQuarter(r.receivedOn),
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

/** A complaint's row as the KPI reads it (a complaint's row has its category and due dates). */
function recordOf(row: ComplaintRow): ComplaintRecord {
  return {
    complaintId: row.id,
    serviceId: row.serviceId,
    receivedOn: row.receivedOn,
    category: row.category!,
    acknowledgementDueOn: row.acknowledgementDueOn!,
    acknowledgedOn: row.acknowledgedOn,
    responseDueOn: row.responseDueOn!,
    respondedOn: row.respondedOn,
    finding: row.finding,
  };
}

/** The three months of a quarter from its first day. */
function monthsOf(firstDay: string): Period[] {
  const first = firstDay.slice(0, 7) as Period;
  return [first, addMonths(first, 1), addMonths(first, 2)];
}
