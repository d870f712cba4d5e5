import type { QuarterlyReturnFigures } from '@kpi/domain';
import type { PersonalDataVault } from '@kpi/personal-data';
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
import { providerQuarterlyReturnsProjection } from './provider-quarterly-returns.projection';

export interface QuarterlyReturnsParams extends CouncilFrameworkParams {
  /** `2026-27 Q1`, checked at the edge. */
  quarter: string;
}

export interface QuarterlyReturnListed extends ReturnedBy {
  /** KPI code → { numerator, denominator }, as last submitted or amended; null when missing. */
  figures: QuarterlyReturnFigures | null;
}

export interface QuarterlyReturns {
  councilId: string;
  frameworkId: string;
  quarter: string;
  providers: QuarterlyReturnListed[];
  returned: number;
  missing: number;
}

/** A quarter's returns on a council's framework, as the caller may see them. */
export class ReadQuarterlyReturns extends FeatureQuery<QuarterlyReturnsParams, QuarterlyReturns> {}

/**
 * A quarter's returns on a framework, from rm_provider_quarterly_returns (its rows, read
 * through the projection): the council sees every provider on its framework — those without a
 * return listed as missing — a provider on it only its own row, anyone else 404.
 */
export async function readQuarterlyReturns(
  db: Queryable,
  callerTenantId: string,
  params: QuarterlyReturnsParams,
  { store, vault }: Pick<QueryReading, 'store'> & { vault: PersonalDataVault },
): Promise<QuarterlyReturns> {
  const { councilId, frameworkId, quarter } = params;
  const providers = await visibleProviders(store, callerTenantId, params);
  const rows = await providerQuarterlyReturnsProjection.rows(
    db,
    `tenant_id = $1 AND framework_id = $2 AND quarter = $3 AND ${VISIBLE_ROWS}`,
    [councilId, frameworkId, quarter, providers.only],
  );
  const opened = await openAmendmentReasons(
    vault,
    councilId,
    rows.map((row) => row.lastAmendmentReason),
  );
  const listedRows = listed(
    providers.inOrder,
    rows,
    (row): QuarterlyReturnListed => ({ ...returnedBy(row, opened), figures: row.figures }),
    (providerId) => ({ ...missingReturn(providerId), figures: null }),
  );
  const returned = listedRows.filter((r) => r.status === 'returned').length;
  return {
    councilId,
    frameworkId,
    quarter,
    providers: listedRows,
    returned,
    missing: listedRows.length - returned,
  };
}
