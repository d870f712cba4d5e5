import type { ProviderCapacityReturnEvent } from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';
import {
  amendedRecord,
  providerReturnColumns,
  providerReturnKey,
  submittedRecord,
  type ProviderReturnRecord,
} from './provider-return-rows';

/**
 * Each provider's monthly capacity return to a council (docs/rules/provider-returns.md), as last
 * submitted or amended: what the council's capacity table (and its CSV) reads. In the council's
 * tenant; the provider is a column. docs/provider-returns.md.
 */
export interface ProviderCapacityReturnRow extends ProviderReturnRecord {
  /** `YYYY-MM`. */
  period: string;
  careWorkers: number;
  packages: number;
  totalHours: number;
  /** Worked out by the decider: totalHours ÷ careWorkers to one decimal; null with no workers. */
  averageHoursPerCareWorker: number | null;
  estimatedHoursAvailableNextMonth: number;
}

export const PROVIDER_CAPACITY_RETURN_EVENT_TYPES = [
  'ProviderCapacityReturnSubmitted',
  'ProviderCapacityReturnAmended',
] as const satisfies readonly ProviderCapacityReturnEvent['type'][];

/** The row key: council, framework, provider and month. */
export const providerCapacityReturnKeyOf = (event: Recorded<ProviderCapacityReturnEvent>): string =>
  providerReturnKey(event, event.data.period);

export function evolveProviderCapacityReturn(
  row: ProviderCapacityReturnRow | null,
  event: Recorded<ProviderCapacityReturnEvent>,
): ProviderCapacityReturnRow | null {
  switch (event.type) {
    case 'ProviderCapacityReturnSubmitted':
      if (row) return row; // one submission per month: the first one stands
      return { ...submittedRecord(event), period: event.data.period, ...figuresOf(event.data) };
    case 'ProviderCapacityReturnAmended':
      // The decider only amends a submitted return; the same amendment twice counts once.
      if (!row || row.lastEventId === event.eventId) return row;
      return amendedRecord({ ...row, ...figuresOf(event.data) }, event);
    default: {
      const _unexpected: never = event;
      return row;
    }
  }
}

function figuresOf(
  data: ProviderCapacityReturnEvent['data'],
): Pick<
  ProviderCapacityReturnRow,
  | 'careWorkers'
  | 'packages'
  | 'totalHours'
  | 'averageHoursPerCareWorker'
  | 'estimatedHoursAvailableNextMonth'
> {
  return {
    careWorkers: data.careWorkers,
    packages: data.packages,
    totalHours: data.totalHours,
    averageHoursPerCareWorker: data.averageHoursPerCareWorker,
    estimatedHoursAvailableNextMonth: data.estimatedHoursAvailableNextMonth,
  };
}

export const providerCapacityReturnsProjection = keyedProjection<ProviderCapacityReturnRow>({
  name: 'provider-capacity-returns',
  version: 2,
  table: 'rm_provider_capacity_returns',
  eventTypes: PROVIDER_CAPACITY_RETURN_EVENT_TYPES,
  columns: providerReturnColumns<ProviderCapacityReturnRow>(
    { name: 'period', type: 'text', field: 'period' },
    [
      { name: 'care_workers', type: 'integer', field: 'careWorkers' },
      { name: 'packages', type: 'integer', field: 'packages' },
      { name: 'total_hours', type: 'numeric', field: 'totalHours' },
      {
        name: 'average_hours_per_care_worker',
        type: 'numeric',
        field: 'averageHoursPerCareWorker',
        nullable: true,
      },
      {
        name: 'estimated_hours_available_next_month',
        type: 'numeric',
        field: 'estimatedHoursAvailableNextMonth',
      },
    ],
  ),
  indexes: [['tenant_id', 'framework_id', 'period']],
  keyOf: (event) => {
    const returnEvent = recordedOneOf<ProviderCapacityReturnEvent>(
      event,
      PROVIDER_CAPACITY_RETURN_EVENT_TYPES,
    );
    return returnEvent && providerCapacityReturnKeyOf(returnEvent);
  },
  evolve: (row, event) => {
    const returnEvent = recordedOneOf<ProviderCapacityReturnEvent>(
      event,
      PROVIDER_CAPACITY_RETURN_EVENT_TYPES,
    );
    return returnEvent ? evolveProviderCapacityReturn(row, returnEvent) : row;
  },
});
