import type { EntityId } from '@kpi/command-handling';
import {
  InvalidCommandError,
  NotFoundError,
  staffTurnover,
  supervisionCompliance,
  type FinancialQuarter,
  type StaffTenure,
  type StaffTurnover,
  type SupervisionCompliance,
} from '@kpi/domain';
import { FeatureQuery, type Queryable } from '@kpi/projections';
import { workforceProjection } from './workforce.projection';

/** Supervision compliance of a service on a date (`on`, today by default). */
export interface SupervisionComplianceParams {
  serviceId: EntityId;
  /** `YYYY-MM-DD`; not after `today`. */
  on?: string;
  /** Today in London, `YYYY-MM-DD`: the asker's clock. */
  today: string;
}

export interface ServiceSupervisionCompliance extends SupervisionCompliance {
  serviceId: string;
}

/** Staff turnover of a service in a UK financial-year quarter. */
export interface TurnoverParams {
  serviceId: EntityId;
  quarter: FinancialQuarter;
  /** Today in London, `YYYY-MM-DD`: a quarter not ended by then is provisional. */
  today: string;
}

export interface ServiceTurnover extends StaffTurnover {
  serviceId: string;
  /** True while the quarter has not ended: the figure may still change. */
  provisional: boolean;
}

export class ReadSupervisionCompliance extends FeatureQuery<
  SupervisionComplianceParams,
  ServiceSupervisionCompliance
> {}

export class ReadTurnover extends FeatureQuery<TurnoverParams, ServiceTurnover> {}

/**
 * Supervision compliance of a service on a date, from rm_workforce by the domain's pure measure
 * (libs/domain staff/workforce-measures.ts). A date after today is refused, naming `on`.
 */
export async function readSupervisionCompliance(
  db: Queryable,
  tenantId: string,
  { serviceId, on, today }: SupervisionComplianceParams,
): Promise<ServiceSupervisionCompliance> {
  const date = on ?? today;
  if (date > today) throw InvalidCommandError.of('on', `is in the future (today is ${today})`);
  const staff = await staffOf(db, tenantId, serviceId);
  return { serviceId, ...supervisionCompliance(staff, date) };
}

/** Staff turnover of a service in a quarter, from rm_workforce. */
export async function readTurnover(
  db: Queryable,
  tenantId: string,
  { serviceId, quarter, today }: TurnoverParams,
): Promise<ServiceTurnover> {
  const staff = await staffOf(db, tenantId, serviceId);
  const result = staffTurnover(staff, quarter);
  return { serviceId, ...result, provisional: result.lastDay >= today };
}

/** The service's staff (ever registered); 404 when the service is not the tenant's. */
async function staffOf(db: Queryable, tenantId: string, serviceId: string): Promise<StaffTenure[]> {
  const [service, staff] = await Promise.all([
    // The organisation feature's read model of services, read by its published table.
    db.query('SELECT 1 FROM rm_services WHERE tenant_id = $1 AND service_id = $2', [
      tenantId,
      serviceId,
    ]),
    workforceProjection.rows(db, 'tenant_id = $1 AND service_id = $2 AND started_on IS NOT NULL', [
      tenantId,
      serviceId,
    ]),
  ]);
  if (service.rows.length === 0) throw new NotFoundError(`No service ${serviceId}`);
  return staff.map((row) => ({
    staffId: row.staffId,
    startedOn: row.startedOn!,
    leftOn: row.leftOn,
    oneToOneDates: row.oneToOneDates,
  }));
}
