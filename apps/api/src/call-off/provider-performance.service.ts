import { frameworkViewer, type CareFramework, type FrameworkViewer } from '@kpi/command-handling';
import type { Principal } from '@kpi/auth';
import {
  contractYearOf,
  LEAGUE_TABLE_READERS,
  leagueTable,
  parseFinancialQuarter,
  providerPerformance,
  CALL_OFF_KPI_CODES,
  type CallOffKpiCode,
  type KpiCount,
  type FinancialQuarter,
  type QuarterlyReturnFigures,
} from '@kpi/domain';
import type { EventStore } from '@kpi/event-store';
import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Pool } from 'pg';
import { CLOCK, EVENT_STORE, PG_POOL } from '../infrastructure/injection-tokens';
import type { LeagueTableDto, ProviderPerformanceDto } from './provider-performance.dto';

/**
 * Provider performance per quarter (read models care-packages and provider-quarterly-returns):
 * each KPI's value, the target of the quarter's contract year and its RAG. The council sees
 * every provider on its framework, a provider only itself, anyone else nothing (404).
 */
@Injectable()
export class ProviderPerformanceService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  async performance(
    principal: Principal,
    councilId: string,
    frameworkId: string,
    providerId: string,
    quarterText: string,
  ): Promise<ProviderPerformanceDto> {
    const { framework, viewer } = await frameworkViewer(
      { store: this.store, tenantId: principal.tenantId },
      councilId,
      frameworkId,
    );
    councilReaderOnly(principal, viewer);
    if (!framework.providers.includes(providerId) || !mayRead(viewer, providerId)) {
      // A provider asking about another provider learns nothing of it, not even that it is there.
      throw new NotFoundException(`No provider ${providerId} on this framework`);
    }
    const quarter = parseFinancialQuarter(quarterText);
    const [callOff, returns] = await Promise.all([
      this.callOffCounts(councilId, frameworkId, quarter, [providerId]),
      this.quarterlyReturns(councilId, frameworkId, quarter.quarter, [providerId]),
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

  async leagueTable(
    principal: Principal,
    councilId: string,
    frameworkId: string,
    quarterText: string,
  ): Promise<LeagueTableDto> {
    const { framework, viewer } = await frameworkViewer(
      { store: this.store, tenantId: principal.tenantId },
      councilId,
      frameworkId,
    );
    councilReaderOnly(principal, viewer);
    if (viewer.kind !== 'council')
      throw new ForbiddenException(
        'The league table across providers is for the commissioning council; a provider sees its own performance',
      );
    const quarter = parseFinancialQuarter(quarterText);
    return this.table(councilId, framework, quarter);
  }

  private async table(
    councilId: string,
    framework: CareFramework,
    quarter: FinancialQuarter,
  ): Promise<LeagueTableDto> {
    const [callOff, returns] = await Promise.all([
      this.callOffCounts(councilId, framework.frameworkId, quarter, framework.providers),
      this.quarterlyReturns(councilId, framework.frameworkId, quarter.quarter, framework.providers),
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

  /**
   * The call-off KPIs of each provider in a quarter, summed by PostgreSQL from the items kept
   * with each package (callOffKpiItems): an open item whose time has passed by now is missed.
   * Only packages referred by the quarter's end and active after its start can hold its items.
   */
  private async callOffCounts(
    councilId: string,
    frameworkId: string,
    quarter: FinancialQuarter,
    providers: readonly string[],
  ): Promise<Map<string, Record<CallOffKpiCode, KpiCount>>> {
    const { rows } = await this.pool.query<{
      provider_id: string;
      code: CallOffKpiCode;
      met: number;
      missed: number;
      pending: number;
    }>(
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
      [councilId, frameworkId, quarter.firstDay, quarter.lastDay, providers, this.clock()],
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

  private async quarterlyReturns(
    councilId: string,
    frameworkId: string,
    quarter: string,
    providers: readonly string[],
  ): Promise<Map<string, QuarterlyReturnFigures>> {
    const { rows } = await this.pool.query<{
      provider_id: string;
      figures: QuarterlyReturnFigures;
    }>(
      `SELECT provider_id, figures FROM rm_provider_quarterly_returns
        WHERE tenant_id = $1 AND framework_id = $2 AND quarter = $3 AND provider_id = ANY ($4::text[])`,
      [councilId, frameworkId, quarter, providers],
    );
    return new Map(rows.map((row) => [row.provider_id, row.figures]));
  }
}

/**
 * On the council's side only its commissioners, admins and regulators read provider
 * performance (not, say, the manager of one of its own in-house homes).
 */
function councilReaderOnly(principal: Principal, viewer: FrameworkViewer): void {
  if (
    viewer.kind === 'council' &&
    !principal.roles.some((role) => LEAGUE_TABLE_READERS.includes(role))
  )
    throw new ForbiddenException(
      `Provider performance is read on the council's side by ${LEAGUE_TABLE_READERS.join(', ')}`,
    );
}

function mayRead(viewer: FrameworkViewer, providerId: string): boolean {
  return viewer.kind === 'council' || viewer.providerId === providerId;
}
