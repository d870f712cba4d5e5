import type { ProviderQuarterlyReturnEvent, QuarterlyReturnFigures } from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';
import {
  amendedRecord,
  providerReturnColumns,
  providerReturnKey,
  submittedRecord,
  type ProviderReturnRecord,
} from './provider-return-rows';

/**
 * Each provider's quarterly return to a council (docs/rules/provider-returns.md), as last submitted
 * or amended: the council's table of returns, and what provider performance reads the
 * quarterly-return KPIs from. In the council's tenant; the provider is a column.
 *
 *   SELECT figures FROM rm_provider_quarterly_returns
 *    WHERE tenant_id = $council AND framework_id = $framework AND provider_id = $provider
 *      AND quarter = '2026-27 Q1'
 *
 * gives the QuarterlyReturnFigures (`{ "staff-turnover": { "numerator": 2, "denominator": 39.5 }, … }`).
 */
export interface ProviderQuarterlyReturnRow extends ProviderReturnRecord {
  /** `2026-27 Q1`. */
  quarter: string;
  /** Numerator and denominator of every quarterly-return KPI, as last submitted or amended. */
  figures: QuarterlyReturnFigures;
}

export const PROVIDER_QUARTERLY_RETURN_EVENT_TYPES = [
  'ProviderQuarterlyReturnSubmitted',
  'ProviderQuarterlyReturnAmended',
] as const satisfies readonly ProviderQuarterlyReturnEvent['type'][];

/** The row key: council, framework, provider and quarter. */
export const providerQuarterlyReturnKeyOf = (
  event: Recorded<ProviderQuarterlyReturnEvent>,
): string => providerReturnKey(event, event.data.quarter);

export function evolveProviderQuarterlyReturn(
  row: ProviderQuarterlyReturnRow | null,
  event: Recorded<ProviderQuarterlyReturnEvent>,
): ProviderQuarterlyReturnRow | null {
  switch (event.type) {
    case 'ProviderQuarterlyReturnSubmitted':
      if (row) return row; // one submission per quarter: the first one stands
      return {
        ...submittedRecord(event),
        quarter: event.data.quarter,
        figures: event.data.figures,
      };
    case 'ProviderQuarterlyReturnAmended':
      // The decider only amends a submitted return; the same amendment twice counts once.
      if (!row || row.lastEventId === event.eventId) return row;
      return amendedRecord({ ...row, figures: event.data.figures }, event);
    default: {
      const _unexpected: never = event;
      return row;
    }
  }
}

export const providerQuarterlyReturnsProjection = keyedProjection<ProviderQuarterlyReturnRow>({
  name: 'provider-quarterly-returns',
  version: 2,
  table: 'rm_provider_quarterly_returns',
  eventTypes: PROVIDER_QUARTERLY_RETURN_EVENT_TYPES,
  columns: providerReturnColumns<ProviderQuarterlyReturnRow>(
    { name: 'quarter', type: 'text', field: 'quarter' },
    [{ name: 'figures', type: 'jsonb', field: 'figures' }],
  ),
  indexes: [['tenant_id', 'framework_id', 'quarter']],
  keyOf: (event) => {
    const returnEvent = recordedOneOf<ProviderQuarterlyReturnEvent>(
      event,
      PROVIDER_QUARTERLY_RETURN_EVENT_TYPES,
    );
    return returnEvent && providerQuarterlyReturnKeyOf(returnEvent);
  },
  evolve: (row, event) => {
    const returnEvent = recordedOneOf<ProviderQuarterlyReturnEvent>(
      event,
      PROVIDER_QUARTERLY_RETURN_EVENT_TYPES,
    );
    return returnEvent ? evolveProviderQuarterlyReturn(row, returnEvent) : row;
  },
});
