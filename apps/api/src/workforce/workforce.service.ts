import {
  InvalidCommandError,
  londonDateOf,
  parseFinancialQuarter,
  staffTurnover,
  supervisionCompliance,
  type StaffTenure,
} from '@kpi/domain';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Pool } from 'pg';
import { CLOCK, PG_POOL } from '../infrastructure/injection-tokens';
import type { SupervisionComplianceDto, TurnoverDto } from './workforce.dto';

interface Row {
  staff_id: string;
  started_on: string;
  left_on: string | null;
  one_to_one_dates: string[];
}

/**
 * The workforce measures of a service, worked out from rm_workforce (the staff register and
 * each staff member's one-to-one supervision dates) by the domain's pure measures.
 */
@Injectable()
export class WorkforceReader {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  async supervisionCompliance(
    tenantId: string,
    serviceId: string,
    on: string | undefined,
  ): Promise<SupervisionComplianceDto> {
    const today = londonDateOf(this.clock());
    const date = on ?? today;
    if (date > today) throw InvalidCommandError.of('on', `is in the future (today is ${today})`);
    const staff = await this.staffOf(tenantId, serviceId);
    return { serviceId, ...supervisionCompliance(staff, date) };
  }

  async turnover(tenantId: string, serviceId: string, quarter: string): Promise<TurnoverDto> {
    const staff = await this.staffOf(tenantId, serviceId);
    const result = staffTurnover(staff, parseFinancialQuarter(quarter));
    return {
      serviceId,
      ...result,
      provisional: result.lastDay >= londonDateOf(this.clock()),
    };
  }

  /** The service's staff (ever registered); 404 when the service is not the tenant's. */
  private async staffOf(tenantId: string, serviceId: string): Promise<StaffTenure[]> {
    const [service, staff] = await Promise.all([
      this.pool.query('SELECT 1 FROM rm_services WHERE tenant_id = $1 AND service_id = $2', [
        tenantId,
        serviceId,
      ]),
      this.pool.query<Row>(
        `SELECT staff_id, started_on::text AS started_on, left_on::text AS left_on, one_to_one_dates
           FROM rm_workforce
          WHERE tenant_id = $1 AND service_id = $2 AND started_on IS NOT NULL`,
        [tenantId, serviceId],
      ),
    ]);
    if (service.rowCount === 0) throw new NotFoundException(`No service ${serviceId}`);
    return staff.rows.map((row) => ({
      staffId: row.staff_id,
      startedOn: row.started_on,
      leftOn: row.left_on,
      oneToOneDates: row.one_to_one_dates,
    }));
  }
}
