import type { Period } from '@kpi/domain';
import type { Queryable } from '@kpi/projections';
import { kpiGridProjection } from './kpi-grid.projection';

/**
 * The last roll-ups of reports this process worked out, each kept with what its cells were
 * (docs/decisions/0026): a report asked again, whose cells have not changed since, reuses the
 * months read and every span already rolled up. A few only: one holds a council's quarter.
 */
const KEPT = 4;
const kept = new Map<string, { version: string; value: unknown }>();

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

/** The value kept for `key` if it was worked out from the same `version`; else worked out now. */
export async function keptOr<T>(key: string, version: string, work: () => Promise<T>): Promise<T> {
  const found = kept.get(key);
  kept.delete(key);
  if (found && found.version === version) {
    kept.set(key, found); // the most recently used last
    return found.value as T;
  }
  const value = await work();
  kept.set(key, { version, value });
  while (kept.size > KEPT) kept.delete(kept.keys().next().value!);
  return value;
}
