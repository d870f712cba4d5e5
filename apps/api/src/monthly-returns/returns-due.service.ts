import { londonDateOf, previousPeriod, returnDueDate, type Period } from '@kpi/domain';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { CLOCK, PG_POOL } from '../infrastructure/injection-tokens';
import type { DueRegionalManagerDto, DueServiceDto, ReturnsDueDto } from './returns-due.dto';
import type { ReturnsDueQuery } from './returns-due.query';

interface Row {
  regional_manager_id: string;
  region_id: string;
  region_name: string;
  service_id: string;
  name: string;
  opened_on: string;
  period: Period;
}

/**
 * The returns a tenant still owes (each home's return is due by the 20th of the
 * next month), per regional manager: every month since a service opened, up to the last month
 * that has ended, for which no return has arrived. A return that arrived late is not owed.
 */
@Injectable()
export class ReturnsDueReader {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  async read(tenantId: string, query: ReturnsDueQuery): Promise<ReturnsDueDto> {
    const asOf = query.asOf ?? londonDateOf(this.clock());
    const lastEndedMonth = previousPeriod(asOf.slice(0, 7) as Period);
    // One row per missing month, made by PostgreSQL: a service open for years costs no round trips.
    const { rows } = await this.pool.query<Row>(
      `SELECT g.regional_manager_id, g.region_id, g.name AS region_name, s.service_id, s.name,
              to_char(s.opened_on, 'YYYY-MM-DD') AS opened_on, to_char(m.month, 'YYYY-MM') AS period
         FROM rm_services s
         JOIN rm_regions g ON g.tenant_id = s.tenant_id AND g.region_id = s.region_id
        CROSS JOIN LATERAL generate_series(
              date_trunc('month', s.opened_on::timestamp), $2::timestamp, interval '1 month'
            ) AS m(month)
        WHERE s.tenant_id = $1
          AND ($3::text IS NULL OR g.regional_manager_id = $3)
          AND NOT EXISTS (
                SELECT 1 FROM rm_monthly_returns r
                 WHERE r.tenant_id = s.tenant_id AND r.service_id = s.service_id
                   AND r.period = to_char(m.month, 'YYYY-MM'))
        ORDER BY g.regional_manager_id, s.name, s.service_id, period`,
      [tenantId, `${lastEndedMonth}-01`, query.regionalManagerId ?? null],
    );

    const managers: DueRegionalManagerDto[] = [];
    let service: DueServiceDto | undefined;
    for (const row of rows) {
      let manager = managers[managers.length - 1];
      if (manager?.regionalManagerId !== row.regional_manager_id) {
        manager = {
          regionalManagerId: row.regional_manager_id,
          outstanding: 0,
          overdue: 0,
          services: [],
        };
        managers.push(manager);
        service = undefined;
      }
      if (service?.serviceId !== row.service_id) {
        service = {
          serviceId: row.service_id,
          name: row.name,
          regionId: row.region_id,
          regionName: row.region_name,
          openedOn: row.opened_on,
          returns: [],
        };
        manager.services.push(service);
      }
      const dueDate = returnDueDate(row.period);
      const overdue = asOf > dueDate;
      service.returns.push({ period: row.period, dueDate, overdue });
      manager.outstanding += 1;
      if (overdue) manager.overdue += 1;
    }
    return { asOf, lastEndedMonth, regionalManagers: managers };
  }
}
