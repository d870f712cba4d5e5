import { loadState, requireKnownIds } from '@kpi/command-handling';
import {
  kpiFrameworkDecider,
  lastDayOfMonth,
  managerOn,
  periodsBetween,
  returnDueDate,
  streamIds,
  type Appointment,
  type Direction,
  type IndicatorUnit,
  type Judgement,
  type Period,
  type SignOffStage,
} from '@kpi/domain';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import { kpiGridProjection, type KpiGridRow } from './kpi-grid.projection';
import { monthlyReturnsProjection, type MonthlyReturnRow } from './monthly-returns.projection';

/** A span of months (both ends included), optionally one region's or one service's only. */
export interface KpiGridParams {
  from: Period;
  to: Period;
  regionId?: string;
  serviceId?: string;
}

/** One indicator of one service-month, with the thresholds and version it was judged by. */
export interface KpiGridCell {
  value: unknown;
  judgedValue: number | null;
  outcome: Judgement['outcome'];
  rag: Judgement['rag'];
  target: number | null;
  floor: number | null;
  tolerance: number | null;
  expectedRange: { lower: number; upper: number } | null;
  frameworkId: string;
  frameworkVersion: number;
  lastChangedAt: string;
}

export interface KpiGridMonth {
  period: Period;
  dueDate: string;
  submitted: boolean;
  submittedAt: string | null;
  late: boolean | null;
  amended: boolean;
  amendments: number;
  frameworkId: string | null;
  frameworkVersion: number | null;
  /** The manager in post on the month's last day (whom capability charges the month to). */
  managerId: string | null;
  bonus: { met: number; required: number; of: number; compliant: boolean } | null;
  /**
   * Present for a return in sign-off (docs/decisions/0037): where its latest figures are. The
   * cells and the bonus are its published figures (none until it is first published).
   */
  signOff?: SignOffStage;
  cells: Record<string, KpiGridCell>;
}

/** What an indicator measures, as the framework version that judged a month defines it. */
export interface KpiGridIndicator {
  code: string;
  name: string;
  unit: IndicatorUnit;
  direction: Direction;
}

/** A framework version that judged at least one month of the grid, with its indicators. */
export interface KpiGridFramework {
  frameworkId: string;
  version: number;
  name: string;
  indicators: KpiGridIndicator[];
}

export interface KpiGrid {
  from: Period;
  to: Period;
  /** Every framework version a month of the grid was judged by, oldest first. */
  frameworks: KpiGridFramework[];
  services: {
    serviceId: string;
    name: string;
    regionId: string;
    openedOn: string;
    months: KpiGridMonth[];
  }[];
}

/** The KPI status grid of the asking tenant over a span of months. */
export class ReadKpiGrid extends FeatureQuery<KpiGridParams, KpiGrid> {}

interface GridService {
  service_id: string;
  name: string;
  region_id: string;
  opened_on: string;
  appointments: Appointment[];
}

/**
 * The KPI status grid of a tenant: every service × month × indicator of a span, from the read
 * models the worker keeps (the organisation's services, this feature's returns and grid
 * cells). Each cell keeps the thresholds and framework version it was judged by, so past months
 * keep their colours; the indicators' names, units and directions come from the framework
 * versions that judged them (read from the framework's stream). A service or region id that
 * names none of the tenant's is not found (another tenant's alike).
 */
export async function readKpiGrid(
  db: Queryable,
  tenantId: string,
  { from, to, regionId, serviceId }: KpiGridParams,
  { store }: Pick<QueryReading, 'store'>,
): Promise<KpiGrid> {
  // The organisation feature's read model of services, read by its published table.
  const { rows: services } = await db.query<GridService>(
    `SELECT service_id, name, region_id, to_char(opened_on, 'YYYY-MM-DD') AS opened_on,
            appointments
       FROM rm_services
      WHERE tenant_id = $1
        AND ($2::text IS NULL OR region_id = $2)
        AND ($3::text IS NULL OR service_id = $3)
      ORDER BY name, service_id`,
    [tenantId, regionId ?? null, serviceId ?? null],
  );
  // Checked only when nothing matched: a known id with no services is an empty grid.
  if (services.length === 0) await requireKnownIds({ store, tenantId }, { serviceId, regionId });
  const inSpan = 'tenant_id = $1 AND service_id = ANY ($2::text[]) AND period BETWEEN $3 AND $4';
  const params = [tenantId, services.map((s) => s.service_id), from, to];
  const [returns, cells] = await Promise.all([
    monthlyReturnsProjection.rows(db, inSpan, params),
    kpiGridProjection.rows(db, inSpan, params, 'indicator_code'),
  ]);
  const returnOf = new Map(returns.map((r) => [`${r.serviceId}|${r.period}`, r]));
  const cellsOf = new Map<string, KpiGridRow[]>();
  for (const cell of cells) {
    const key = `${cell.serviceId}|${cell.period}`;
    const list = cellsOf.get(key);
    if (list) list.push(cell);
    else cellsOf.set(key, [cell]);
  }

  const gridServices = services.map((service) => {
    const openedIn = service.opened_on.slice(0, 7) as Period;
    return {
      serviceId: service.service_id,
      name: service.name,
      regionId: service.region_id,
      openedOn: service.opened_on,
      months: periodsBetween(openedIn > from ? openedIn : from, to).map((period) => {
        const key = `${service.service_id}|${period}`;
        const managerId = managerOn(service.appointments, lastDayOfMonth(period));
        return gridMonth(period, managerId, returnOf.get(key), cellsOf.get(key) ?? []);
      }),
    };
  });
  return {
    from,
    to,
    frameworks: await frameworksUsed({ store, tenantId }, gridServices),
    services: gridServices,
  };
}

/**
 * The framework versions that judged the grid's months and cells, with their indicators: one
 * stream read per framework (a tenant has one or two).
 */
async function frameworksUsed(
  context: { store: QueryReading['store']; tenantId: string },
  services: readonly { months: readonly KpiGridMonth[] }[],
): Promise<KpiGridFramework[]> {
  const versionsOf = new Map<string, Set<number>>();
  const use = (frameworkId: string | null, version: number | null) => {
    if (frameworkId === null || version === null) return;
    const versions = versionsOf.get(frameworkId) ?? new Set<number>();
    versions.add(version);
    versionsOf.set(frameworkId, versions);
  };
  for (const service of services) {
    for (const month of service.months) {
      use(month.frameworkId, month.frameworkVersion);
      for (const cell of Object.values(month.cells)) use(cell.frameworkId, cell.frameworkVersion);
    }
  }
  const frameworks = await Promise.all(
    [...versionsOf.keys()].sort().map(async (frameworkId) => {
      const state = await loadState(
        context,
        streamIds.kpiFramework(context.tenantId, frameworkId),
        kpiFrameworkDecider,
      );
      return state.versions
        .filter((v) => versionsOf.get(frameworkId)!.has(v.version))
        .map((v) => ({
          frameworkId,
          version: v.version,
          name: v.name,
          indicators: v.indicators.map(({ code, name, unit, direction }) => ({
            code,
            name,
            unit,
            direction,
          })),
        }));
    }),
  );
  return frameworks.flat();
}

/**
 * A month of a service. The return's row and its cells come from two read models, each kept
 * by its own runner: for a moment one may have a return the other does not show yet, so the
 * month counts as submitted when either has it.
 */
function gridMonth(
  period: Period,
  managerId: string | null,
  row: MonthlyReturnRow | undefined,
  cells: KpiGridRow[],
): KpiGridMonth {
  const first = cells[0];
  const bonus =
    row && row.bonusCompliant !== null
      ? {
          met: row.bonusMet!,
          required: row.bonusRequired!,
          of: row.bonusOf!,
          compliant: row.bonusCompliant,
        }
      : null;
  const amendments = row?.amendments ?? first?.amendmentCount ?? 0;
  return {
    period,
    dueDate: returnDueDate(period),
    submitted: row !== undefined || first !== undefined,
    submittedAt: row?.submittedAt ?? first?.submittedAt ?? null,
    late: row?.late ?? first?.late ?? null,
    amended: amendments > 0,
    amendments,
    frameworkId: row?.frameworkId ?? first?.frameworkId ?? null,
    frameworkVersion: row?.frameworkVersion ?? first?.frameworkVersion ?? null,
    managerId,
    bonus,
    ...(row?.signOff && { signOff: row.signOff }),
    cells: Object.fromEntries(cells.map((cell) => [cell.indicatorCode, gridCell(cell)])),
  };
}

function gridCell(cell: KpiGridRow): KpiGridCell {
  const { expectedLower: lower, expectedUpper: upper } = cell;
  return {
    value: cell.value,
    judgedValue: cell.judgedValue,
    outcome: cell.outcome,
    rag: cell.rag,
    target: cell.target,
    floor: cell.floor,
    tolerance: cell.tolerance,
    expectedRange: lower !== null && upper !== null ? { lower, upper } : null,
    frameworkId: cell.frameworkId,
    frameworkVersion: cell.frameworkVersion,
    lastChangedAt: cell.lastChangedAt,
  };
}
