import {
  frameworkViewer,
  type CareFramework,
  type EntityId,
  type FrameworkViewer,
} from '@kpi/command-handling';
import {
  CALL_OFF_KPI_CODES,
  contractYearOf,
  LEAGUE_TABLE_READERS,
  leagueTable,
  ForbiddenError,
  NotFoundError,
  providerPerformance,
  type CallOffKpiCode,
  type FinancialQuarter,
  type KpiCount,
  type ProviderKpiResult,
  type QuarterlyReturnFigures,
  type Role,
} from '@kpi/domain';
import { FeatureQuery, type Queryable } from '@kpi/projections';
import type { CallOffReading } from './call-off-reads';

/** A framework's figures for a quarter, as read by a caller with `roles`. */
export interface FrameworkQuarterParams {
  councilId: EntityId;
  frameworkId: EntityId;
  quarter: FinancialQuarter;
  /** The reader's roles: on the council's side only some of them read provider performance. */
  roles: readonly Role[];
}

export interface ProviderPerformanceParams extends FrameworkQuarterParams {
  providerId: EntityId;
}

export interface ProviderPerformance {
  councilId: string;
  frameworkId: string;
  providerId: string;
  quarter: string;
  /** The contract year in force on the quarter's first day; null before the contract started. */
  contractYear: number | null;
  quarterlyReturnReceived: boolean;
  kpis: ProviderKpiResult[];
}

export interface LeagueTable {
  councilId: string;
  frameworkId: string;
  quarter: string;
  contractYear: number | null;
  providers: {
    rank: number;
    providerId: string;
    green: number;
    red: number;
    grey: number;
    kpis: ProviderKpiResult[];
  }[];
}

/** A provider's performance in a quarter: the council sees any of its providers, a provider itself. */
export class ReadProviderPerformance extends FeatureQuery<
  ProviderPerformanceParams,
  ProviderPerformance
> {}

/** The league table of a framework's providers for a quarter (the council only). */
export class ReadLeagueTable extends FeatureQuery<FrameworkQuarterParams, LeagueTable> {}

/*
 * Provider performance per quarter (read models care-packages and, by its table,
 * provider-quarterly-returns): each KPI's value, the target of the quarter's contract year and
 * its RAG. The council sees every provider on its framework, a provider only itself, anyone
 * else nothing (404).
 */

export async function readProviderPerformance(
  db: Queryable,
  tenantId: string,
  { councilId, frameworkId, providerId, quarter, roles }: ProviderPerformanceParams,
  { store, now }: CallOffReading,
): Promise<ProviderPerformance> {
  const { framework, viewer } = await frameworkViewer({ store, tenantId }, councilId, frameworkId);
  councilReaderOnly(roles, viewer);
  if (!framework.providers.includes(providerId) || !mayRead(viewer, providerId)) {
    // A provider asking about another provider learns nothing of it, not even that it is there.
    throw new NotFoundError(`No provider ${providerId} on this framework`);
  }
  const [callOff, returns] = await Promise.all([
    callOffCounts(db, councilId, frameworkId, quarter, [providerId], now),
    quarterlyReturns(db, councilId, frameworkId, quarter.quarter, [providerId]),
  ]);
  const contractYear = contractYearOf(framework.contractStartDate, quarter);
  return {
    councilId,
    frameworkId,
    providerId,
    quarter: quarter.quarter,
    contractYear,
    quarterlyReturnReceived: returns.has(providerId),
    kpis: providerPerformance({
      providerId,
      quarter,
      contractYear,
      callOff: callOff.get(providerId)!,
      quarterlyReturn: returns.get(providerId) ?? null,
    }),
  };
}

export async function readLeagueTable(
  db: Queryable,
  tenantId: string,
  { councilId, frameworkId, quarter, roles }: FrameworkQuarterParams,
  { store, now }: CallOffReading,
): Promise<LeagueTable> {
  const { framework, viewer } = await frameworkViewer({ store, tenantId }, councilId, frameworkId);
  councilReaderOnly(roles, viewer);
  if (viewer.kind !== 'council')
    throw new ForbiddenError(
      'The league table across providers is for the commissioning council; a provider sees its own performance',
    );
  return table(db, councilId, framework, quarter, now);
}

async function table(
  db: Queryable,
  councilId: string,
  framework: CareFramework,
  quarter: FinancialQuarter,
  now: Date,
): Promise<LeagueTable> {
  const [callOff, returns] = await Promise.all([
    callOffCounts(db, councilId, framework.frameworkId, quarter, framework.providers, now),
    quarterlyReturns(db, councilId, framework.frameworkId, quarter.quarter, framework.providers),
  ]);
  const contractYear = contractYearOf(framework.contractStartDate, quarter);
  const rows = leagueTable(
    framework.providers.map((providerId) => ({
      providerId,
      kpis: providerPerformance({
        providerId,
        quarter,
        contractYear,
        callOff: callOff.get(providerId)!,
        quarterlyReturn: returns.get(providerId) ?? null,
      }),
    })),
  );
  return {
    councilId,
    frameworkId: framework.frameworkId,
    quarter: quarter.quarter,
    contractYear,
    providers: rows.map(({ rank, providerId, green, red, grey, kpis }) => ({
      rank,
      providerId,
      green,
      red,
      grey,
      kpis: [...kpis],
    })),
  };
}

/** A provider's call-off KPI items of a quarter, as PostgreSQL sums them. */
interface CallOffCountRow {
  provider_id: string;
  code: CallOffKpiCode;
  met: number;
  missed: number;
  pending: number;
}

/**
 * The call-off KPIs of each provider in a quarter, summed by PostgreSQL from the items kept
 * with each package (callOffKpiItems): an open item whose time has passed by now is missed.
 * Only packages referred by the quarter's end and active after its start can hold its items.
 */
async function callOffCounts(
  db: Queryable,
  councilId: string,
  frameworkId: string,
  quarter: FinancialQuarter,
  providers: readonly string[],
  now: Date,
): Promise<Map<string, Record<CallOffKpiCode, KpiCount>>> {
  const { rows } = await db.query<CallOffCountRow>(
    `WITH span AS (
       SELECT ($3::date)::timestamp AT TIME ZONE 'Europe/London' AS starts,
              ($4::date + 1)::timestamp AT TIME ZONE 'Europe/London' AS ends
     )
     SELECT item->>'providerId' AS provider_id, item->>'code' AS code,
            count(*) FILTER (WHERE item->>'outcome' = 'met')::int AS met,
            count(*) FILTER (WHERE item->>'outcome' = 'missed'
              OR (item->>'outcome' = 'open' AND (item->>'missedFrom')::timestamptz <= $6))::int AS missed,
            count(*) FILTER (WHERE item->>'outcome' = 'open'
              AND (item->>'missedFrom')::timestamptz > $6)::int AS pending
       FROM rm_care_packages, span, jsonb_array_elements(kpi_items) AS item
      WHERE tenant_id = $1 AND framework_id = $2
        AND last_activity_at >= span.starts AND registered_at < span.ends
        AND item->>'providerId' = ANY ($5::text[])
        AND (item->>'countedAt')::timestamptz >= span.starts
        AND (item->>'countedAt')::timestamptz < span.ends
      GROUP BY 1, 2`,
    [councilId, frameworkId, quarter.firstDay, quarter.lastDay, providers, now],
  );
  const counts = new Map<string, Record<CallOffKpiCode, KpiCount>>(
    providers.map((providerId) => [
      providerId,
      Object.fromEntries(
        CALL_OFF_KPI_CODES.map((code) => [code, { numerator: 0, denominator: 0, pending: 0 }]),
      ) as Record<CallOffKpiCode, KpiCount>,
    ]),
  );
  for (const row of rows) {
    counts.get(row.provider_id)![row.code] = {
      numerator: row.met,
      denominator: row.met + row.missed,
      pending: row.pending,
    };
  }
  return counts;
}

/** The provider-returns feature's read model of quarterly returns, read by its published table. */
async function quarterlyReturns(
  db: Queryable,
  councilId: string,
  frameworkId: string,
  quarter: string,
  providers: readonly string[],
): Promise<Map<string, QuarterlyReturnFigures>> {
  const { rows } = await db.query<{ provider_id: string; figures: QuarterlyReturnFigures }>(
    `SELECT provider_id, figures FROM rm_provider_quarterly_returns
      WHERE tenant_id = $1 AND framework_id = $2 AND quarter = $3 AND provider_id = ANY ($4::text[])`,
    [councilId, frameworkId, quarter, providers],
  );
  return new Map(rows.map((row) => [row.provider_id, row.figures]));
}

/**
 * On the council's side only its commissioners, admins and regulators read provider
 * performance (not, say, the manager of one of its own in-house homes).
 */
function councilReaderOnly(roles: readonly Role[], viewer: FrameworkViewer): void {
  if (viewer.kind === 'council' && !roles.some((role) => LEAGUE_TABLE_READERS.includes(role)))
    throw new ForbiddenError(
      `Provider performance is read on the council's side by ${LEAGUE_TABLE_READERS.join(', ')}`,
    );
}

function mayRead(viewer: FrameworkViewer, providerId: string): boolean {
  return viewer.kind === 'council' || viewer.providerId === providerId;
}
