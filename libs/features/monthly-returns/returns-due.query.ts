import { loadState } from '@kpi/command-handling';
import {
  isCollectedIn,
  kpiFrameworkDecider,
  NotFoundError,
  previousPeriod,
  returnDueDate,
  streamIds,
  versionInForce,
  type KpiFrameworkState,
  type Period,
} from '@kpi/domain';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';

export interface ReturnsDueParams {
  /** `YYYY-MM-DD`: the day to judge by (the caller's today when it gives none). */
  asOf: string;
  /** Only the regions of this regional manager. */
  regionalManagerId?: string;
}

export interface DueReturn {
  period: Period;
  dueDate: string;
  overdue: boolean;
}

export interface DueService {
  serviceId: string;
  name: string;
  regionId: string;
  regionName: string;
  openedOn: string;
  returns: DueReturn[];
}

export interface DueRegionalManager {
  regionalManagerId: string;
  outstanding: number;
  overdue: number;
  services: DueService[];
}

export interface ReturnsDue {
  asOf: string;
  lastEndedMonth: Period;
  regionalManagers: DueRegionalManager[];
}

/** The returns the asking tenant still owes, per regional manager. */
export class ReadReturnsDue extends FeatureQuery<ReturnsDueParams, ReturnsDue> {}

/** One missing month of a service (aggregate SQL: a small row of its own). */
interface MissingMonthRow {
  regional_manager_id: string;
  region_id: string;
  region_name: string;
  service_id: string;
  name: string;
  opened_on: string;
  framework_id: string;
  period: Period;
}

/**
 * The returns a tenant still owes (each home's return is due by the 20th of the next month),
 * per regional manager: every month since a service opened, up to the last month that has
 * ended, that its framework collects (the version in force that month has an indicator
 * reported in it: a quarterly-only framework collects Jun, Sep, Dec and Mar), for which no
 * return has arrived. A return that arrived late is not owed. The
 * organisation feature's rm_services and rm_regions are read by their published tables. A
 * regional manager id that leads none of the tenant's regions is not found.
 */
export async function readReturnsDue(
  db: Queryable,
  tenantId: string,
  { asOf, regionalManagerId }: ReturnsDueParams,
  { store }: Pick<QueryReading, 'store'>,
): Promise<ReturnsDue> {
  const lastEndedMonth = previousPeriod(asOf.slice(0, 7) as Period);
  // One row per missing month, made by PostgreSQL: a service open for years costs no round trips.
  const { rows } = await db.query<MissingMonthRow>(
    `SELECT g.regional_manager_id, g.region_id, g.name AS region_name, s.service_id, s.name,
            to_char(s.opened_on, 'YYYY-MM-DD') AS opened_on, s.framework_id, to_char(m.month, 'YYYY-MM') AS period
       FROM rm_services s
       JOIN rm_regions g ON g.tenant_id = s.tenant_id AND g.region_id = s.region_id
      CROSS JOIN LATERAL generate_series(
            date_trunc('month', s.opened_on::timestamp), $2::timestamp, interval '1 month'
          ) AS m(month)
      WHERE s.tenant_id = $1
        AND ($3::text IS NULL OR g.regional_manager_id = $3)
        AND NOT EXISTS (
              SELECT 1 FROM rm_monthly_returns r
               WHERE r.tenant_id = s.tenant_id AND r.service_id = s.service_id
                 AND r.period = to_char(m.month, 'YYYY-MM'))
      ORDER BY g.regional_manager_id, s.name, s.service_id, period`,
    [tenantId, `${lastEndedMonth}-01`, regionalManagerId ?? null],
  );
  if (rows.length === 0 && regionalManagerId !== undefined) {
    await requireRegionalManager(db, tenantId, regionalManagerId);
  }

  const frameworks = await frameworksOf({ store, tenantId }, rows);

  const managers: DueRegionalManager[] = [];
  let service: DueService | undefined;
  for (const row of rows) {
    // A month with no version in force stays owed, as before: the framework has not said.
    const version = versionInForce(frameworks.get(row.framework_id)!, row.period);
    if (version && !isCollectedIn(version, row.period)) continue;
    let manager = managers[managers.length - 1];
    if (manager?.regionalManagerId !== row.regional_manager_id) {
      manager = {
        regionalManagerId: row.regional_manager_id,
        outstanding: 0,
        overdue: 0,
        services: [],
      };
      managers.push(manager);
      service = undefined;
    }
    if (service?.serviceId !== row.service_id) {
      service = {
        serviceId: row.service_id,
        name: row.name,
        regionId: row.region_id,
        regionName: row.region_name,
        openedOn: row.opened_on,
        returns: [],
      };
      manager.services.push(service);
    }
    const dueDate = returnDueDate(row.period);
    const overdue = asOf > dueDate;
    service.returns.push({ period: row.period, dueDate, overdue });
    manager.outstanding += 1;
    if (overdue) manager.overdue += 1;
  }
  return { asOf, lastEndedMonth, regionalManagers: managers };
}

/** The frameworks of the missing months' services: one stream read per framework. */
async function frameworksOf(
  context: { store: QueryReading['store']; tenantId: string },
  rows: readonly MissingMonthRow[],
): Promise<Map<string, KpiFrameworkState>> {
  const ids = [...new Set(rows.map((row) => row.framework_id))];
  const states = await Promise.all(
    ids.map((frameworkId) =>
      loadState(
        context,
        streamIds.kpiFramework(context.tenantId, frameworkId),
        kpiFrameworkDecider,
      ),
    ),
  );
  return new Map(ids.map((frameworkId, i) => [frameworkId, states[i]!]));
}

/**
 * A regional manager is known while they lead one of the tenant's regions (rm_regions keeps
 * each region's current one): anyone else, another tenant's alike, is not found.
 */
async function requireRegionalManager(
  db: Queryable,
  tenantId: string,
  regionalManagerId: string,
): Promise<void> {
  const { rows } = await db.query(
    'SELECT 1 FROM rm_regions WHERE tenant_id = $1 AND regional_manager_id = $2 LIMIT 1',
    [tenantId, regionalManagerId],
  );
  if (rows.length === 0) {
    throw new NotFoundError(`No region has the regional manager ${regionalManagerId}`);
  }
}
