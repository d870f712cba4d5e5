import type { ProviderCapacityReturnEvent } from '@kpi/domain';
import { keyedProjection } from '../keyed-projection';
import { recordedOneOf, type Recorded } from './recorded-domain-event';

/**
 * Each provider's monthly capacity return to a council (seed 004 §95), as last submitted or
 * amended: what the council's capacity table (and its CSV) reads. In the council's tenant; the
 * provider is a column. docs/provider-returns.md.
 */
export interface ProviderCapacityReturnRow {
  /** The council: the returns are its records. */
  tenantId: string;
  frameworkId: string;
  providerId: string;
  /** `YYYY-MM`. */
  period: string;
  careWorkers: number;
  packages: number;
  totalHours: number;
  /** Worked out by the decider: totalHours ÷ careWorkers to one decimal; null with no workers. */
  averageHoursPerCareWorker: number | null;
  estimatedHoursAvailableNextMonth: number;
  submittedAt: string;
  submittedBy: string;
  amendments: number;
  lastAmendedAt: string | null;
  lastAmendedBy: string | null;
  lastAmendmentReason: string | null;
  /** The submission: where the original figures are. */
  returnEventId: string;
  /** The last event that changed the row (the submission or the latest amendment). */
  lastEventId: string;
}

export const PROVIDER_CAPACITY_RETURN_EVENT_TYPES = [
  'ProviderCapacityReturnSubmitted',
  'ProviderCapacityReturnAmended',
] as const satisfies readonly ProviderCapacityReturnEvent['type'][];

/** The row key: the council first, so tenants never share a row. */
export const providerCapacityReturnKeyOf = (event: Recorded<ProviderCapacityReturnEvent>): string =>
  JSON.stringify([
    event.metadata.tenantId,
    event.data.frameworkId,
    event.data.providerId,
    event.data.period,
  ]);

export function evolveProviderCapacityReturn(
  row: ProviderCapacityReturnRow | null,
  event: Recorded<ProviderCapacityReturnEvent>,
): ProviderCapacityReturnRow | null {
  switch (event.type) {
    case 'ProviderCapacityReturnSubmitted': {
      if (row) return row; // one submission per month: the first one stands
      const { data } = event;
      return {
        tenantId: event.metadata.tenantId,
        frameworkId: data.frameworkId,
        providerId: data.providerId,
        period: data.period,
        ...figuresOf(data),
        submittedAt: data.submittedAt,
        submittedBy: data.submittedBy,
        amendments: 0,
        lastAmendedAt: null,
        lastAmendedBy: null,
        lastAmendmentReason: null,
        returnEventId: event.eventId,
        lastEventId: event.eventId,
      };
    }
    case 'ProviderCapacityReturnAmended': {
      // The decider only amends a submitted return; the same amendment twice counts once.
      if (!row || row.lastEventId === event.eventId) return row;
      const { data } = event;
      return {
        ...row,
        ...figuresOf(data),
        amendments: row.amendments + 1,
        lastAmendedAt: data.amendedAt,
        lastAmendedBy: data.amendedBy,
        lastAmendmentReason: data.reason,
        lastEventId: event.eventId,
      };
    }
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
  version: 1,
  table: 'rm_provider_capacity_returns',
  eventTypes: PROVIDER_CAPACITY_RETURN_EVENT_TYPES,
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'framework_id', type: 'text', field: 'frameworkId' },
    { name: 'provider_id', type: 'text', field: 'providerId' },
    { name: 'period', type: 'text', field: 'period' },
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
    { name: 'submitted_at', type: 'timestamptz', field: 'submittedAt' },
    { name: 'submitted_by', type: 'text', field: 'submittedBy' },
    { name: 'amendments', type: 'integer', field: 'amendments' },
    { name: 'last_amended_at', type: 'timestamptz', field: 'lastAmendedAt', nullable: true },
    { name: 'last_amended_by', type: 'text', field: 'lastAmendedBy', nullable: true },
    { name: 'last_amendment_reason', type: 'text', field: 'lastAmendmentReason', nullable: true },
    { name: 'return_event_id', type: 'text', field: 'returnEventId' },
    { name: 'last_event_id', type: 'text', field: 'lastEventId' },
  ],
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
