import { loadState } from '@kpi/command-handling';
import {
  kpiFrameworkDecider,
  periodsBetween,
  streamIds,
  type IndicatorDefinition,
  type IndicatorValue,
  type Period,
} from '@kpi/domain';
import type { Queryable, QueryReading } from '@kpi/projections';
import { kpiGridProjection } from './kpi-grid.projection';

/** A framework version's definition of one indicator. */
export interface UsedDefinition {
  frameworkId: string;
  version: number;
  definition: IndicatorDefinition;
}

export const keyOf = (frameworkId: string, code: string) => `${frameworkId}|${code}`;

/**
 * One service's months of one indicator, over the months a report reads (the span before it
 * included), by position: `values[i]` and `versions[i]` are month `i`'s value and the framework
 * version that judged it (0: no return that month).
 */
export interface MonthSeries {
  values: (IndicatorValue | null)[];
  versions: number[];
}

/** The months of a report read from the KPI grid, with every framework version that judged one. */
export interface ReportCells {
  /** The months read, oldest first: a series' positions. */
  periods: Period[];
  /** Service → indicator key (`framework|code`) → its months. */
  series: Map<string, Map<string, MonthSeries>>;
  /** Indicator key → version → its definition there, for every version that judged a month read. */
  versions: Map<string, Map<number, UsedDefinition>>;
  /**
   * The indicators met in the report's own months (from `first`), each as the latest version
   * that judged one of them defines it: framework by framework, in the order its versions list
   * them.
   */
  latest: Map<string, UsedDefinition>;
}

/** A month of a series as the compact read gives it: its position, version and value. */
type CompactMonth = [number, number, IndicatorValue | null];

/** A month as a number (`2024-04` → 2024 × 12 + 4), so positions are differences. */
const MONTH_NUMBER_SQL = '(substr(period, 1, 4)::int * 12 + substr(period, 6, 2)::int)';
const monthNumber = (period: Period) =>
  Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7));

/**
 * The cells of `services` from `from` to `last`, one row per service: its indicators' months
 * as one JSON object, built by PostgreSQL (`{ "framework|code": [[position, version, value],
 * …] }`). A report reads tens of thousands of cells; a row per cell, with every column of the
 * grid, cost more than the rest of the report.
 */
export async function readReportCells(
  db: Queryable,
  store: QueryReading['store'],
  tenantId: string,
  serviceIds: readonly string[],
  { from, first, last }: { from: Period; first: Period; last: Period },
): Promise<ReportCells> {
  const { rows } = await db.query<{
    service_id: string;
    series: Record<string, CompactMonth[]>;
  }>(
    `SELECT service_id, json_object_agg(key, months) AS series
       FROM (SELECT service_id, framework_id || '|' || indicator_code AS key,
                    json_agg(json_build_array(${MONTH_NUMBER_SQL} - $5, framework_version, value))
                      AS months
               FROM ${kpiGridProjection.table}
              WHERE tenant_id = $1 AND service_id = ANY ($2::text[]) AND period BETWEEN $3 AND $4
              GROUP BY 1, 2) AS by_indicator
      GROUP BY service_id`,
    [tenantId, serviceIds, from, last, monthNumber(from)],
  );
  const periods = periodsBetween(from, last);
  const firstAt = periods.indexOf(first);
  const series = new Map<string, Map<string, MonthSeries>>();
  const versionsMet = new Map<string, Set<number>>();
  const latestVersion = new Map<string, number>();
  for (const row of rows) {
    const byKey = new Map<string, MonthSeries>();
    series.set(row.service_id, byKey);
    for (const [key, cells] of Object.entries(row.series)) {
      const months: MonthSeries = {
        values: new Array<IndicatorValue | null>(periods.length).fill(null),
        versions: new Array<number>(periods.length).fill(0),
      };
      byKey.set(key, months);
      let met = versionsMet.get(key);
      if (!met) versionsMet.set(key, (met = new Set()));
      for (const [at, version, value] of cells) {
        months.values[at] = value;
        months.versions[at] = version;
        met.add(version);
        if (at >= firstAt) latestVersion.set(key, Math.max(latestVersion.get(key) ?? 0, version));
      }
    }
  }
  const { versions, latest } = await definitionsOf({ store, tenantId }, versionsMet, latestVersion);
  return { periods, series, versions, latest };
}

/**
 * Each indicator's definition in each version that judged one of the months, and the latest
 * of the report's own months: one stream read per framework (a tenant has one or two).
 */
async function definitionsOf(
  context: { store: QueryReading['store']; tenantId: string },
  versionsMet: ReadonlyMap<string, ReadonlySet<number>>,
  latestVersion: ReadonlyMap<string, number>,
): Promise<Pick<ReportCells, 'versions' | 'latest'>> {
  const frameworkIds = [...new Set([...versionsMet.keys()].map((k) => k.split('|')[0]!))].sort();
  const states = await Promise.all(
    frameworkIds.map((frameworkId) =>
      loadState(
        context,
        streamIds.kpiFramework(context.tenantId, frameworkId),
        kpiFrameworkDecider,
      ),
    ),
  );
  const versions = new Map<string, Map<number, UsedDefinition>>();
  const latest = new Map<string, UsedDefinition>();
  frameworkIds.forEach((frameworkId, i) => {
    for (const { version, indicators } of states[i]!.versions) {
      for (const definition of indicators) {
        const key = keyOf(frameworkId, definition.code);
        if (!versionsMet.get(key)?.has(version)) continue;
        const used = { frameworkId, version, definition };
        let byVersion = versions.get(key);
        if (!byVersion) versions.set(key, (byVersion = new Map()));
        byVersion.set(version, used);
        if (latestVersion.get(key) === version) latest.set(key, used);
      }
    }
  });
  // Framework by framework, in the order its versions list the indicators.
  return { versions, latest };
}
