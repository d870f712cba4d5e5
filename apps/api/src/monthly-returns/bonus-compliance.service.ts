import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../infrastructure/injection-tokens';
import type { BonusComplianceDto, BonusServiceDto } from './bonus-compliance.dto';
import type { BonusComplianceQuery } from './period-range.query';

interface Row {
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
 * framework version and last amendment.
 */
@Injectable()
export class BonusComplianceReader {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async read(tenantId: string, query: BonusComplianceQuery): Promise<BonusComplianceDto> {
    const { rows } = await this.pool.query<Row>(
      `SELECT s.service_id, s.name, s.region_id, r.period, r.framework_id, r.framework_version,
              r.bonus_met, r.bonus_required, r.bonus_of, r.bonus_compliant, r.amendments
         FROM rm_services s
         LEFT JOIN rm_monthly_returns r
           ON r.tenant_id = s.tenant_id AND r.service_id = s.service_id
          AND r.period BETWEEN $2 AND $3
        WHERE s.tenant_id = $1 AND ($4::text IS NULL OR s.region_id = $4)
        ORDER BY s.name, s.service_id, r.period`,
      [tenantId, query.from, query.to, query.regionId ?? null],
    );
    const services = new Map<string, BonusServiceDto>();
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
    return { from: query.from, to: query.to, services: [...services.values()] };
  }
}
