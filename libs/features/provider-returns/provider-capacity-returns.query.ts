import { averageHoursPerCareWorker, type Period } from '@kpi/domain';
import type { OpenedPersonalData, PersonalDataVault } from '@kpi/personal-data';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import { openAmendmentReasons } from './provider-amendment-reason';
import {
  listed,
  missingReturn,
  returnedBy,
  VISIBLE_ROWS,
  visibleProviders,
  type CouncilFrameworkParams,
  type ReturnedBy,
} from './provider-return-listing';
import {
  providerCapacityReturnsProjection,
  type ProviderCapacityReturnRow,
} from './provider-capacity-returns.projection';

export interface CapacityReturnsParams extends CouncilFrameworkParams {
  period: Period;
}

export interface CapacityReturnListed extends ReturnedBy {
  careWorkers: number | null;
  packages: number | null;
  totalHours: number | null;
  averageHoursPerCareWorker: number | null;
  estimatedHoursAvailableNextMonth: number | null;
}

export interface CapacityTotals {
  careWorkers: number;
  packages: number;
  totalHours: number;
  averageHoursPerCareWorker: number | null;
  estimatedHoursAvailableNextMonth: number;
}

export interface CapacityReturns {
  councilId: string;
  frameworkId: string;
  period: string;
  providers: CapacityReturnListed[];
  returned: number;
  missing: number;
  /** The returned rows added up. */
  totals: CapacityTotals;
}

/** A month's capacity returns on a council's framework, as the caller may see them. */
export class ReadCapacityReturns extends FeatureQuery<CapacityReturnsParams, CapacityReturns> {}

/**
 * A month's capacity returns on a framework, from rm_provider_capacity_returns (its rows, read
 * through the projection): the council sees every provider on its framework — those without a
 * return listed as missing — a provider on it only its own row, anyone else 404.
 */
export async function readCapacityReturns(
  db: Queryable,
  callerTenantId: string,
  params: CapacityReturnsParams,
  { store, vault }: Pick<QueryReading, 'store'> & { vault: PersonalDataVault },
): Promise<CapacityReturns> {
  const { councilId, frameworkId, period } = params;
  const providers = await visibleProviders(store, callerTenantId, params);
  const rows = await providerCapacityReturnsProjection.rows(
    db,
    `tenant_id = $1 AND framework_id = $2 AND period = $3 AND ${VISIBLE_ROWS}`,
    [councilId, frameworkId, period, providers.only],
  );
  const opened = await openAmendmentReasons(
    vault,
    councilId,
    rows.map((row) => row.lastAmendmentReason),
  );
  const listedRows = listed(
    providers.inOrder,
    rows,
    (row) => capacityListed(row, opened),
    (providerId) => ({
      ...missingReturn(providerId),
      careWorkers: null,
      packages: null,
      totalHours: null,
      averageHoursPerCareWorker: null,
      estimatedHoursAvailableNextMonth: null,
    }),
  );
  const returned = listedRows.filter((r) => r.status === 'returned');
  const sum = (pick: (r: CapacityReturnListed) => number | null) =>
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
    providers: listedRows,
    returned: returned.length,
    missing: listedRows.length - returned.length,
    totals: {
      careWorkers: totals.careWorkers,
      packages: totals.packages,
      totalHours: totals.totalHours,
      averageHoursPerCareWorker: averageHoursPerCareWorker(totals.totalHours, totals.careWorkers),
      estimatedHoursAvailableNextMonth: totals.estimatedHoursAvailableNextMonth,
    },
  };
}

function capacityListed(
  row: ProviderCapacityReturnRow,
  opened: ReadonlyMap<string, OpenedPersonalData>,
): CapacityReturnListed {
  return {
    ...returnedBy(row, opened),
    careWorkers: row.careWorkers,
    packages: row.packages,
    totalHours: row.totalHours,
    averageHoursPerCareWorker: row.averageHoursPerCareWorker,
    estimatedHoursAvailableNextMonth: row.estimatedHoursAvailableNextMonth,
  };
}
