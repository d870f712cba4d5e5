import { periodsBetween, returnDueDate, type Period } from '@kpi/domain';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../infrastructure/injection-tokens';
import type { KpiGridCellDto, KpiGridDto, KpiGridMonthDto } from './kpi-grid.dto';
import type { KpiGridQuery } from './period-range.query';

interface ServiceRow {
  service_id: string;
  name: string;
  region_id: string;
  opened_on: string;
}

interface ReturnRow {
  service_id: string;
  period: string;
  framework_id: string;
  framework_version: number;
  submitted_at: Date;
  late: boolean;
  amendments: number;
  bonus_met: number | null;
  bonus_required: number | null;
  bonus_of: number | null;
  bonus_compliant: boolean | null;
}

interface CellRow {
  service_id: string;
  period: string;
  indicator_code: string;
  value: unknown;
  judged_value: string | null;
  outcome: string;
  rag: string;
  target: string | null;
  floor: string | null;
  tolerance: string | null;
  expected_lower: string | null;
  expected_upper: string | null;
  framework_id: string;
  framework_version: number;
  amended: boolean;
  amendment_count: number;
  late: boolean;
  submitted_at: Date;
  last_changed_at: Date;
}

const numberOrNull = (value: string | null): number | null =>
  value === null ? null : Number(value);

/**
 * The KPI status grid of a tenant: every service × month × indicator of a span, read from the
 * read models the worker keeps (rm_services, rm_monthly_returns, rm_kpi_grid). Each cell keeps
 * the thresholds and framework version it was judged by, so past months keep their colours.
 */
@Injectable()
export class KpiGridReader {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async read(tenantId: string, query: KpiGridQuery): Promise<KpiGridDto> {
    const from = query.from as Period;
    const to = query.to as Period;
    const services = await this.services(tenantId, query);
    const serviceIds = services.map((s) => s.service_id);
    const [returns, cells] = await Promise.all([
      this.returns(tenantId, serviceIds, from, to),
      this.cells(tenantId, serviceIds, from, to),
    ]);
    const returnOf = new Map(returns.map((r) => [`${r.service_id}|${r.period}`, r]));
    const cellsOf = new Map<string, CellRow[]>();
    for (const cell of cells) {
      const key = `${cell.service_id}|${cell.period}`;
      const list = cellsOf.get(key);
      if (list) list.push(cell);
      else cellsOf.set(key, [cell]);
    }

    return {
      from,
      to,
      services: services.map((service) => {
        const openedIn = service.opened_on.slice(0, 7) as Period;
        return {
          serviceId: service.service_id,
          name: service.name,
          regionId: service.region_id,
          openedOn: service.opened_on,
          months: periodsBetween(openedIn > from ? openedIn : from, to).map((period) => {
            const key = `${service.service_id}|${period}`;
            return gridMonth(period, returnOf.get(key), cellsOf.get(key) ?? []);
          }),
        };
      }),
    };
  }

  private async services(tenantId: string, query: KpiGridQuery): Promise<ServiceRow[]> {
    const { rows } = await this.pool.query<ServiceRow>(
      `SELECT service_id, name, region_id, to_char(opened_on, 'YYYY-MM-DD') AS opened_on
         FROM rm_services
        WHERE tenant_id = $1
          AND ($2::text IS NULL OR region_id = $2)
          AND ($3::text IS NULL OR service_id = $3)
        ORDER BY name, service_id`,
      [tenantId, query.regionId ?? null, query.serviceId ?? null],
    );
    return rows;
  }

  private async returns(
    tenantId: string,
    serviceIds: string[],
    from: Period,
    to: Period,
  ): Promise<ReturnRow[]> {
    const { rows } = await this.pool.query<ReturnRow>(
      `SELECT service_id, period, framework_id, framework_version, submitted_at, late, amendments,
              bonus_met, bonus_required, bonus_of, bonus_compliant
         FROM rm_monthly_returns
        WHERE tenant_id = $1 AND service_id = ANY ($2::text[]) AND period BETWEEN $3 AND $4`,
      [tenantId, serviceIds, from, to],
    );
    return rows;
  }

  private async cells(
    tenantId: string,
    serviceIds: string[],
    from: Period,
    to: Period,
  ): Promise<CellRow[]> {
    const { rows } = await this.pool.query<CellRow>(
      `SELECT service_id, period, indicator_code, value, judged_value, outcome, rag, target, floor,
              tolerance, expected_lower, expected_upper, framework_id, framework_version, amended,
              amendment_count, late, submitted_at, last_changed_at
         FROM rm_kpi_grid
        WHERE tenant_id = $1 AND service_id = ANY ($2::text[]) AND period BETWEEN $3 AND $4
        ORDER BY indicator_code`,
      [tenantId, serviceIds, from, to],
    );
    return rows;
  }
}

/**
 * A month of a service. The return's row and its cells come from two read models, each kept
 * by its own runner: for a moment one may have a return the other does not show yet, so the
 * month counts as submitted when either has it.
 */
function gridMonth(period: Period, row: ReturnRow | undefined, cells: CellRow[]): KpiGridMonthDto {
  const first = cells[0];
  const bonus =
    row && row.bonus_compliant !== null
      ? {
          met: row.bonus_met!,
          required: row.bonus_required!,
          of: row.bonus_of!,
          compliant: row.bonus_compliant,
        }
      : null;
  return {
    period,
    dueDate: returnDueDate(period),
    submitted: row !== undefined || first !== undefined,
    submittedAt: (row?.submitted_at ?? first?.submitted_at)?.toISOString() ?? null,
    late: row?.late ?? first?.late ?? null,
    amended: (row?.amendments ?? first?.amendment_count ?? 0) > 0,
    amendments: row?.amendments ?? first?.amendment_count ?? 0,
    frameworkId: row?.framework_id ?? first?.framework_id ?? null,
    frameworkVersion: row?.framework_version ?? first?.framework_version ?? null,
    bonus,
    cells: Object.fromEntries(cells.map((cell) => [cell.indicator_code, gridCell(cell)])),
  };
}

function gridCell(cell: CellRow): KpiGridCellDto {
  const lower = numberOrNull(cell.expected_lower);
  const upper = numberOrNull(cell.expected_upper);
  return {
    value: cell.value,
    judgedValue: numberOrNull(cell.judged_value),
    outcome: cell.outcome,
    rag: cell.rag,
    target: numberOrNull(cell.target),
    floor: numberOrNull(cell.floor),
    tolerance: numberOrNull(cell.tolerance),
    expectedRange: lower !== null && upper !== null ? { lower, upper } : null,
    frameworkId: cell.framework_id,
    frameworkVersion: cell.framework_version,
    lastChangedAt: cell.last_changed_at.toISOString(),
  };
}
