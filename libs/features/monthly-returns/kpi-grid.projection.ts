import type { IndicatorValue, MonthlyReturnEvent, Outcome, Rag } from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';

/**
 * The KPI status grid: one cell per service, month and indicator, as last submitted or amended,
 * with the judgement and the thresholds it was judged by (so history keeps its colours).
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

export const KPI_GRID_EVENT_TYPES = [
  'MonthlyReturnSubmitted',
  'MonthlyReturnAmended',
] as const satisfies readonly MonthlyReturnEvent['type'][];

/** The row key: tenant first, so tenants never share a row. */
export const kpiGridKey = (
  tenantId: string,
  serviceId: string,
  period: string,
  indicatorCode: string,
): string => JSON.stringify([tenantId, serviceId, period, indicatorCode]);

const indicatorCodeOf = (key: string): string => (JSON.parse(key) as string[])[3]!;

/** A return changes the row of each indicator it judges. */
export function kpiGridKeysOf(event: Recorded<MonthlyReturnEvent>): string[] {
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
    default: {
      const _unexpected: never = event;
      return row;
    }
  }
}

/** The value and judgement of one indicator, from a return's full `values` and `results`. */
function judged(
  data: Recorded<MonthlyReturnEvent>['data'],
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
    const returnEvent = recordedOneOf<MonthlyReturnEvent>(event, KPI_GRID_EVENT_TYPES);
    return returnEvent && kpiGridKeysOf(returnEvent);
  },
  evolve: (row, event, key) => {
    const returnEvent = recordedOneOf<MonthlyReturnEvent>(event, KPI_GRID_EVENT_TYPES);
    return returnEvent ? evolveKpiGridCell(row, returnEvent, key) : row;
  },
});
