import { requireKnownIds } from '@kpi/command-handling';
import type { Period } from '@kpi/domain';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';

/** A span of months (both ends included), optionally one region's services only. */
export interface BonusComplianceParams {
  from: Period;
  to: Period;
  regionId?: string;
}

/** A service's month with a return, as its bonus rule judged it. */
export interface BonusMonth {
  period: string;
  frameworkId: string;
  frameworkVersion: number;
  met: number | null;
  required: number | null;
  of: number | null;
  compliant: boolean | null;
  amendments: number;
}

export interface BonusService {
  serviceId: string;
  name: string;
  regionId: string;
  compliantMonths: number;
  reportedMonths: number;
  months: BonusMonth[];
}

export interface BonusComplianceReport {
  from: Period;
  to: Period;
  services: BonusService[];
}

/** Bonus compliance per service and month of the asking tenant over a span of months. */
export class ReadBonusCompliance extends FeatureQuery<
  BonusComplianceParams,
  BonusComplianceReport
> {}

/** A service joined to its returns of the span (aggregate SQL: a small row of its own). */
interface ServiceMonthRow {
  service_id: string;
  name: string;
  region_id: string;
  period: string | null;
  framework_id: string | null;
  framework_version: number | null;
  bonus_met: number | null;
  bonus_required: number | null;
  bonus_of: number | null;
  bonus_compliant: boolean | null;
  amendments: number | null;
}

/**
 * Bonus compliance per service and month (a home's month is compliant when at least k of its
 * n KPIs are met: docs/rules/monthly-returns.md#bonus-compliance), as judged by the return's
 * framework version and last amendment. Every service is listed (the organisation feature's
 * rm_services, read by its published table), with the months of the span that have a return.
 * A region id that names none of the tenant's regions is not found. A return in sign-off
 * counts by its published figures, and not at all before it is published (docs/decisions/0037).
 */
export async function readBonusCompliance(
  db: Queryable,
  tenantId: string,
  { from, to, regionId }: BonusComplianceParams,
  { store }: Pick<QueryReading, 'store'>,
): Promise<BonusComplianceReport> {
  const { rows } = await db.query<ServiceMonthRow>(
    `SELECT s.service_id, s.name, s.region_id, r.period, r.framework_id, r.framework_version,
            r.bonus_met, r.bonus_required, r.bonus_of, r.bonus_compliant, r.amendments
       FROM rm_services s
       LEFT JOIN rm_monthly_returns r
         ON r.tenant_id = s.tenant_id AND r.service_id = s.service_id
        AND r.period BETWEEN $2 AND $3 AND r.published IS NOT FALSE
      WHERE s.tenant_id = $1 AND ($4::text IS NULL OR s.region_id = $4)
      ORDER BY s.name, s.service_id, r.period`,
    [tenantId, from, to, regionId ?? null],
  );
  if (rows.length === 0) await requireKnownIds({ store, tenantId }, { regionId });
  const services = new Map<string, BonusService>();
  for (const row of rows) {
    let service = services.get(row.service_id);
    if (!service) {
      service = {
        serviceId: row.service_id,
        name: row.name,
        regionId: row.region_id,
        compliantMonths: 0,
        reportedMonths: 0,
        months: [],
      };
      services.set(row.service_id, service);
    }
    if (row.period === null) continue; // no return in the span
    service.reportedMonths += 1;
    if (row.bonus_compliant) service.compliantMonths += 1;
    service.months.push({
      period: row.period,
      frameworkId: row.framework_id!,
      frameworkVersion: row.framework_version!,
      met: row.bonus_met,
      required: row.bonus_required,
      of: row.bonus_of,
      compliant: row.bonus_compliant,
      amendments: row.amendments ?? 0,
    });
  }
  return { from, to, services: [...services.values()] };
}
