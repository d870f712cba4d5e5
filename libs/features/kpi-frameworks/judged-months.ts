import type { JudgedMonth, Period } from '@kpi/domain';
import type { Queryable } from '@kpi/projections';

/**
 * Which months from `from` on already have returns judged on a framework, by which version and
 * for which services. Publishing a version asks it before deciding: a judged month keeps the
 * version it was judged by (DOMAIN.md "Versions and the past"). 'unknown' when it cannot tell:
 * then no version may start in an ended month.
 */
export type JudgedMonthsReader = (
  tenantId: string,
  frameworkId: string,
  from: Period,
) => Promise<JudgedMonth[] | 'unknown'>;

/** PostgreSQL's undefined_table. */
const UNDEFINED_TABLE = '42P01';

/**
 * The judged months from the read model `rm_monthly_returns` (written by the monthly-returns
 * projection; one row per service and month, with the framework version that judged it). It is
 * moments behind the log: a return judged in the instant before it is projected is not seen.
 * That return still keeps its colour — its event carries the version that judged it and an
 * amendment re-judges by that version (docs/decisions/0020-versions-that-describe-the-past.md).
 * Where the read model does not exist yet it answers 'unknown'.
 */
export function judgedMonthsFromReadModel(db: Queryable): JudgedMonthsReader {
  return async (tenantId, frameworkId, from) => {
    let rows: { period: Period; version: number; service_ids: string[] }[];
    try {
      ({ rows } = await db.query<{ period: Period; version: number; service_ids: string[] }>(
        `SELECT period, framework_version AS version, array_agg(service_id ORDER BY service_id) AS service_ids
         FROM rm_monthly_returns
        WHERE tenant_id = $1 AND framework_id = $2 AND period >= $3
        GROUP BY period, framework_version
        ORDER BY period, framework_version`,
        [tenantId, frameworkId, from],
      ));
    } catch (error) {
      // Before the worker has made the read model, nothing says which months are judged.
      if ((error as { code?: string }).code === UNDEFINED_TABLE) return 'unknown';
      throw error;
    }
    return rows.map(({ period, version, service_ids }) => ({
      period,
      version,
      serviceIds: service_ids,
    }));
  };
}

/** For a tenant or test with no returns at all. */
export const nothingJudged: JudgedMonthsReader = () => Promise.resolve([]);
