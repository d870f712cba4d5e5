import type { Period } from '@kpi/domain';
import type { Queryable } from '@kpi/projections';
import { kpiGridProjection } from './kpi-grid.projection';

/**
 * The last roll-ups of reports this process worked out, each kept with what its cells were
 * (docs/decisions/0026): a report asked again, whose cells have not changed since, reuses the
 * months read and every span already rolled up. Kept up to a number of series (a service's
 * months of one indicator): 100,000 is five councils' quarters of 1,000 services × 20
 * indicators, or their regions' (some tens of MB each).
 */
const MOST_SERIES_KEPT = 100_000;
const kept = new Map<string, { version: string; value: unknown; series: number }>();
let seriesKept = 0;

/**
 * What the cells of a report are now: the log position of the last event applied to any of
 * the tenant's KPI-grid cells of the months (a cell is never removed, and every change to one
 * stamps it with a later position). Null when there is none.
 */
export async function cellsVersion(
  db: Queryable,
  tenantId: string,
  from: Period,
  last: Period,
): Promise<string> {
  const { rows } = await db.query<{ at: string | null }>(
    `SELECT max(applied_position)::text AS at
       FROM ${kpiGridProjection.table}
      WHERE tenant_id = $1 AND period BETWEEN $2 AND $3`,
    [tenantId, from, last],
  );
  return rows[0]?.at ?? 'none';
}

/**
 * The value kept for `key` if it was worked out from the same `version`; else worked out now
 * and kept (`seriesOf` says how large it is), the least recently used let go first.
 */
export async function keptOr<T>(
  key: string,
  version: string,
  work: () => Promise<T>,
  seriesOf: (value: T) => number,
): Promise<T> {
  const found = kept.get(key);
  if (found) {
    kept.delete(key);
    if (found.version === version) {
      kept.set(key, found); // the most recently used last
      return found.value as T;
    }
    seriesKept -= found.series;
  }
  const value = await work();
  const series = seriesOf(value);
  const raced = kept.get(key); // worked out meanwhile by another request
  if (raced) seriesKept -= raced.series;
  kept.delete(key);
  kept.set(key, { version, value, series });
  seriesKept += series;
  for (const [oldest, entry] of kept) {
    if (seriesKept <= MOST_SERIES_KEPT || oldest === key) break;
    kept.delete(oldest);
    seriesKept -= entry.series;
  }
  return value;
}
