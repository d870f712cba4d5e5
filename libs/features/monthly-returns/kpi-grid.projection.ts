import type {
  IndicatorValue,
  MonthlyReturnAmended,
  MonthlyReturnEvent,
  MonthlyReturnPublished,
  MonthlyReturnSubmitted,
  Outcome,
  Rag,
} from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';

/**
 * The KPI status grid: one cell per service, month and indicator, as last submitted or amended,
 * with the judgement and the thresholds it was judged by (so history keeps its colours). A
 * return in sign-off (docs/decisions/0037) reaches the grid when it is published: its cells are
 * the published figures, which the reports and councils read, until newer ones are published.
 */
export interface KpiGridRow {
  tenantId: string;
  serviceId: string;
  /** `YYYY-MM`. */
  period: string;
  indicatorCode: string;
  /** The value as given: 87.5, true, { numerator, denominator } or { notApplicable, reason }. */
  value: IndicatorValue | null;
  /** The number judged (a ratio's quotient, 1/0 for yes/no); null when not applicable. */
  judgedValue: number | null;
  outcome: Outcome;
  rag: Rag;
  target: number | null;
  floor: number | null;
  tolerance: number | null;
  expectedLower: number | null;
  expectedUpper: number | null;
  frameworkId: string;
  frameworkVersion: number;
  /** True once any amendment touched the return (even one that left this indicator alone). */
  amended: boolean;
  /** Amendments of the return so far. */
  amendmentCount: number;
  /** Whether the return was submitted after its due date. */
  late: boolean;
  submittedAt: string;
  /** When this indicator's value was last set: at submission, or by an amendment changing it. */
  lastChangedAt: string;
}

/** The events that set a grid's cells: figures given without sign-off, or published. */
export type KpiGridEvent = MonthlyReturnSubmitted | MonthlyReturnAmended | MonthlyReturnPublished;

export const KPI_GRID_EVENT_TYPES = [
  'MonthlyReturnSubmitted',
  'MonthlyReturnAmended',
  'MonthlyReturnPublished',
] as const satisfies readonly KpiGridEvent['type'][];

/** The row key: tenant first, so tenants never share a row. */
export const kpiGridKey = (
  tenantId: string,
  serviceId: string,
  period: string,
  indicatorCode: string,
): string => JSON.stringify([tenantId, serviceId, period, indicatorCode]);

const indicatorCodeOf = (key: string): string => (JSON.parse(key) as string[])[3]!;

/**
 * A return changes the row of each indicator it judges; figures waiting for sign-off change
 * none (the published ones stay).
 */
export function kpiGridKeysOf(event: Recorded<MonthlyReturnEvent>): string[] {
  if (!setsCells(event)) return [];
  const { serviceId, period, results } = event.data;
  return Object.keys(results).map((code) =>
    kpiGridKey(event.metadata.tenantId, serviceId, period, code),
  );
}

/** The cell of the indicator named by `key` after the event. */
export function evolveKpiGridCell(
  row: KpiGridRow | null,
  event: Recorded<MonthlyReturnEvent>,
  key: string,
): KpiGridRow | null {
  const code = indicatorCodeOf(key);
  if (!setsCells(event)) return row;
  switch (event.type) {
    case 'MonthlyReturnSubmitted': {
      const { data } = event;
      return {
        tenantId: event.metadata.tenantId,
        serviceId: data.serviceId,
        period: data.period,
        indicatorCode: code,
        ...judged(data, code),
        frameworkId: data.frameworkId,
        frameworkVersion: data.frameworkVersion,
        amended: false,
        amendmentCount: 0,
        late: data.late,
        submittedAt: data.submittedAt,
        lastChangedAt: data.submittedAt,
      };
    }
    case 'MonthlyReturnAmended': {
      if (!row) return null; // the decider only amends a submitted return
      const { data } = event;
      return {
        ...row,
        ...judged(data, code),
        frameworkId: data.frameworkId,
        frameworkVersion: data.frameworkVersion,
        amended: true,
        amendmentCount: data.amendmentNumber,
        lastChangedAt: code in data.changes ? data.amendedAt : row.lastChangedAt,
      };
    }
    case 'MonthlyReturnPublished': {
      const { data } = event;
      const value = data.values[code] ?? null;
      const unchanged = row !== null && JSON.stringify(row.value) === JSON.stringify(value);
      return {
        tenantId: event.metadata.tenantId,
        serviceId: data.serviceId,
        period: data.period,
        indicatorCode: code,
        ...judged(data, code),
        frameworkId: data.frameworkId,
        frameworkVersion: data.frameworkVersion,
        amended: data.amendmentNumber > 0,
        amendmentCount: data.amendmentNumber,
        late: data.late,
        submittedAt: data.submittedAt,
        // Published again unchanged: the value was last set when it was first published.
        lastChangedAt: unchanged ? row.lastChangedAt : data.changedAt,
      };
    }
    default: {
      const _unexpected: never = event;
      return row;
    }
  }
}

/** Whether the event sets cells: figures given without sign-off, or published ones. */
function setsCells(event: Recorded<MonthlyReturnEvent>): event is Recorded<KpiGridEvent> {
  switch (event.type) {
    case 'MonthlyReturnSubmitted':
    case 'MonthlyReturnAmended':
      return !event.data.signOffRequired;
    case 'MonthlyReturnPublished':
      return true;
    default:
      return false;
  }
}

/** The value and judgement of one indicator, from a return's full `values` and `results`. */
function judged(
  data: Recorded<KpiGridEvent>['data'],
  code: string,
): Pick<
  KpiGridRow,
  | 'value'
  | 'judgedValue'
  | 'outcome'
  | 'rag'
  | 'target'
  | 'floor'
  | 'tolerance'
  | 'expectedLower'
  | 'expectedUpper'
> {
  const judgement = data.results[code]!;
  return {
    value: data.values[code] ?? null,
    judgedValue: judgement.value,
    outcome: judgement.outcome,
    rag: judgement.rag,
    target: judgement.target,
    floor: judgement.floor,
    tolerance: judgement.tolerance,
    expectedLower: judgement.expectedRange?.lower ?? null,
    expectedUpper: judgement.expectedRange?.upper ?? null,
  };
}

export const kpiGridProjection = keyedProjection<KpiGridRow>({
  name: 'kpi-grid',
  version: 1,
  table: 'rm_kpi_grid',
  eventTypes: KPI_GRID_EVENT_TYPES,
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'service_id', type: 'text', field: 'serviceId' },
    { name: 'period', type: 'text', field: 'period' },
    { name: 'indicator_code', type: 'text', field: 'indicatorCode' },
    { name: 'value', type: 'jsonb', field: 'value', nullable: true },
    { name: 'judged_value', type: 'numeric', field: 'judgedValue', nullable: true },
    { name: 'outcome', type: 'text', field: 'outcome' },
    { name: 'rag', type: 'text', field: 'rag' },
    { name: 'target', type: 'numeric', field: 'target', nullable: true },
    { name: 'floor', type: 'numeric', field: 'floor', nullable: true },
    { name: 'tolerance', type: 'numeric', field: 'tolerance', nullable: true },
    { name: 'expected_lower', type: 'numeric', field: 'expectedLower', nullable: true },
    { name: 'expected_upper', type: 'numeric', field: 'expectedUpper', nullable: true },
    { name: 'framework_id', type: 'text', field: 'frameworkId' },
    { name: 'framework_version', type: 'integer', field: 'frameworkVersion' },
    { name: 'amended', type: 'boolean', field: 'amended' },
    { name: 'amendment_count', type: 'integer', field: 'amendmentCount' },
    { name: 'late', type: 'boolean', field: 'late' },
    { name: 'submitted_at', type: 'timestamptz', field: 'submittedAt' },
    { name: 'last_changed_at', type: 'timestamptz', field: 'lastChangedAt' },
  ],
  indexes: [
    ['tenant_id', 'service_id', 'period'],
    ['tenant_id', 'period'],
  ],
  keyOf: (event) => {
    const returnEvent = recordedOneOf<KpiGridEvent>(event, KPI_GRID_EVENT_TYPES);
    return returnEvent && kpiGridKeysOf(returnEvent);
  },
  evolve: (row, event, key) => {
    const returnEvent = recordedOneOf<KpiGridEvent>(event, KPI_GRID_EVENT_TYPES);
    return returnEvent ? evolveKpiGridCell(row, returnEvent, key) : row;
  },
  // A submission makes its row whole (amendments and sign-off steps read it).
  setsRowsWhole: (event) => event.type === 'MonthlyReturnSubmitted',
});
