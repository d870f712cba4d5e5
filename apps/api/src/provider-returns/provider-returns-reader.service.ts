import { frameworkViewer } from '@kpi/command-handling';
import { averageHoursPerCareWorker, type QuarterlyReturnFigures } from '@kpi/domain';
import type { EventStore } from '@kpi/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { EVENT_STORE, PG_POOL } from '../infrastructure/injection-tokens';
import type {
  CapacityReturnRowDto,
  CapacityReturnsDto,
  QuarterlyReturnRowDto,
  QuarterlyReturnsDto,
} from './provider-returns.dto';

interface ReturnedColumns {
  provider_id: string;
  submitted_at: Date;
  submitted_by: string;
  amendments: number;
  last_amended_at: Date | null;
  last_amendment_reason: string | null;
}

interface CapacityRow extends ReturnedColumns {
  care_workers: number;
  packages: number;
  total_hours: number;
  average_hours_per_care_worker: number | null;
  estimated_hours_available_next_month: number;
}

interface QuarterlyRow extends ReturnedColumns {
  figures: QuarterlyReturnFigures;
}

const RETURNED_COLUMNS =
  'provider_id, submitted_at, submitted_by, amendments, last_amended_at, last_amendment_reason';

/**
 * The providers' returns to a council, from rm_provider_capacity_returns and
 * rm_provider_quarterly_returns. Who sees what is the framework's (frameworkViewer, read from
 * the council's framework stream): the council every provider on it — those without a return
 * listed as missing — a provider on it only its own row, anyone else 404.
 */
@Injectable()
export class ProviderReturnsReader {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async capacity(
    callerTenantId: string,
    councilId: string,
    frameworkId: string,
    period: string,
  ): Promise<CapacityReturnsDto> {
    const providers = await this.visibleProviders(callerTenantId, councilId, frameworkId);
    const { rows } = await this.pool.query<CapacityRow>(
      `SELECT ${RETURNED_COLUMNS}, care_workers, packages, total_hours::float8 AS total_hours,
              average_hours_per_care_worker::float8 AS average_hours_per_care_worker,
              estimated_hours_available_next_month::float8 AS estimated_hours_available_next_month
         FROM rm_provider_capacity_returns
        WHERE tenant_id = $1 AND framework_id = $2 AND period = $3
          AND ($4::text[] IS NULL OR provider_id = ANY ($4::text[]))`,
      [councilId, frameworkId, period, providers.only],
    );
    const rowsOut = listed(providers.inOrder, rows, capacityRowOf, (providerId) => ({
      ...missingRow(providerId),
      careWorkers: null,
      packages: null,
      totalHours: null,
      averageHoursPerCareWorker: null,
      estimatedHoursAvailableNextMonth: null,
    }));
    const returned = rowsOut.filter((r) => r.status === 'returned');
    const sum = (pick: (r: CapacityReturnRowDto) => number | null) =>
      Math.round(returned.reduce((total, r) => total + (pick(r) ?? 0), 0) * 100) / 100;
    const totals = {
      careWorkers: sum((r) => r.careWorkers),
      packages: sum((r) => r.packages),
      totalHours: sum((r) => r.totalHours),
      estimatedHoursAvailableNextMonth: sum((r) => r.estimatedHoursAvailableNextMonth),
    };
    return {
      councilId,
      frameworkId,
      period,
      providers: rowsOut,
      returned: returned.length,
      missing: rowsOut.length - returned.length,
      totals: {
        careWorkers: totals.careWorkers,
        packages: totals.packages,
        totalHours: totals.totalHours,
        averageHoursPerCareWorker: averageHoursPerCareWorker(totals.totalHours, totals.careWorkers),
        estimatedHoursAvailableNextMonth: totals.estimatedHoursAvailableNextMonth,
      },
    };
  }

  async quarterly(
    callerTenantId: string,
    councilId: string,
    frameworkId: string,
    quarter: string,
  ): Promise<QuarterlyReturnsDto> {
    const providers = await this.visibleProviders(callerTenantId, councilId, frameworkId);
    const { rows } = await this.pool.query<QuarterlyRow>(
      `SELECT ${RETURNED_COLUMNS}, figures
         FROM rm_provider_quarterly_returns
        WHERE tenant_id = $1 AND framework_id = $2 AND quarter = $3
          AND ($4::text[] IS NULL OR provider_id = ANY ($4::text[]))`,
      [councilId, frameworkId, quarter, providers.only],
    );
    const rowsOut = listed(
      providers.inOrder,
      rows,
      (row): QuarterlyReturnRowDto => ({ ...returnedRow(row), figures: row.figures }),
      (providerId) => ({ ...missingRow(providerId), figures: null }),
    );
    const returned = rowsOut.filter((r) => r.status === 'returned').length;
    return {
      councilId,
      frameworkId,
      quarter,
      providers: rowsOut,
      returned,
      missing: rowsOut.length - returned,
    };
  }

  /**
   * The providers the caller may see, in rotation order; `only` restricts the query to them
   * (null for the council: any return on its framework is its to see).
   */
  private async visibleProviders(
    callerTenantId: string,
    councilId: string,
    frameworkId: string,
  ): Promise<{ inOrder: string[]; only: string[] | null }> {
    const { framework, viewer } = await frameworkViewer(
      { store: this.store, tenantId: callerTenantId },
      councilId,
      frameworkId,
    );
    return viewer.kind === 'council'
      ? { inOrder: [...framework.providers], only: null }
      : { inOrder: [viewer.providerId], only: [viewer.providerId] };
  }
}

/** One row per provider in order (a return or a missing one), then any other returns by id. */
function listed<Row extends ReturnedColumns, Out>(
  providers: readonly string[],
  rows: readonly Row[],
  returned: (row: Row) => Out,
  missing: (providerId: string) => Out,
): Out[] {
  const byProvider = new Map(rows.map((row) => [row.provider_id, row]));
  const others = rows
    .map((row) => row.provider_id)
    .filter((providerId) => !providers.includes(providerId))
    .sort();
  return [...providers, ...others].map((providerId) => {
    const row = byProvider.get(providerId);
    return row ? returned(row) : missing(providerId);
  });
}

function returnedRow(row: ReturnedColumns) {
  return {
    providerId: row.provider_id,
    status: 'returned' as const,
    submittedAt: row.submitted_at.toISOString(),
    submittedBy: row.submitted_by,
    amendments: row.amendments,
    lastAmendedAt: row.last_amended_at?.toISOString() ?? null,
    lastAmendmentReason: row.last_amendment_reason,
  };
}

function missingRow(providerId: string) {
  return {
    providerId,
    status: 'missing' as const,
    submittedAt: null,
    submittedBy: null,
    amendments: 0,
    lastAmendedAt: null,
    lastAmendmentReason: null,
  };
}

function capacityRowOf(row: CapacityRow): CapacityReturnRowDto {
  return {
    ...returnedRow(row),
    careWorkers: row.care_workers,
    packages: row.packages,
    totalHours: row.total_hours,
    averageHoursPerCareWorker: row.average_hours_per_care_worker,
    estimatedHoursAvailableNextMonth: row.estimated_hours_available_next_month,
  };
}
