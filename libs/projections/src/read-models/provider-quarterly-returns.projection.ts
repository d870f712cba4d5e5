import type { ProviderQuarterlyReturnEvent, QuarterlyReturnFigures } from '@kpi/domain';
import { keyedProjection } from '../keyed-projection';
import { recordedOneOf, type Recorded } from './recorded-domain-event';

/**
 * Each provider's quarterly return to a council (seed 004 KPI table), as last submitted or
 * amended: the council's table of returns, and what provider performance reads the
 * quarterly-return KPIs from. In the council's tenant; the provider is a column.
 *
 *   SELECT figures FROM rm_provider_quarterly_returns
 *    WHERE tenant_id = $council AND framework_id = $framework AND provider_id = $provider
 *      AND quarter = '2026-27 Q1'
 *
 * gives the QuarterlyReturnFigures (`{ "staff-turnover": { "numerator": 2, "denominator": 39.5 }, … }`).
 */
export interface ProviderQuarterlyReturnRow {
  /** The council: the returns are its records. */
  tenantId: string;
  frameworkId: string;
  providerId: string;
  /** `2026-27 Q1`. */
  quarter: string;
  /** Numerator and denominator of every quarterly-return KPI, as last submitted or amended. */
  figures: QuarterlyReturnFigures;
  submittedAt: string;
  submittedBy: string;
  /** Amendments so far (0: as submitted); the figures are version `amendments + 1`. */
  amendments: number;
  lastAmendedAt: string | null;
  lastAmendedBy: string | null;
  lastAmendmentReason: string | null;
  /** The submission: where the original figures are. */
  returnEventId: string;
  /** The last event that changed the row (the submission or the latest amendment). */
  lastEventId: string;
}

export const PROVIDER_QUARTERLY_RETURN_EVENT_TYPES = [
  'ProviderQuarterlyReturnSubmitted',
  'ProviderQuarterlyReturnAmended',
] as const satisfies readonly ProviderQuarterlyReturnEvent['type'][];

/** The row key: the council first, so tenants never share a row. */
export const providerQuarterlyReturnKeyOf = (
  event: Recorded<ProviderQuarterlyReturnEvent>,
): string =>
  JSON.stringify([
    event.metadata.tenantId,
    event.data.frameworkId,
    event.data.providerId,
    event.data.quarter,
  ]);

export function evolveProviderQuarterlyReturn(
  row: ProviderQuarterlyReturnRow | null,
  event: Recorded<ProviderQuarterlyReturnEvent>,
): ProviderQuarterlyReturnRow | null {
  switch (event.type) {
    case 'ProviderQuarterlyReturnSubmitted': {
      if (row) return row; // one submission per quarter: the first one stands
      const { data } = event;
      return {
        tenantId: event.metadata.tenantId,
        frameworkId: data.frameworkId,
        providerId: data.providerId,
        quarter: data.quarter,
        figures: data.figures,
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
    case 'ProviderQuarterlyReturnAmended': {
      // The decider only amends a submitted return; the same amendment twice counts once.
      if (!row || row.lastEventId === event.eventId) return row;
      const { data } = event;
      return {
        ...row,
        figures: data.figures,
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

export const providerQuarterlyReturnsProjection = keyedProjection<ProviderQuarterlyReturnRow>({
  name: 'provider-quarterly-returns',
  version: 1,
  table: 'rm_provider_quarterly_returns',
  eventTypes: PROVIDER_QUARTERLY_RETURN_EVENT_TYPES,
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'framework_id', type: 'text', field: 'frameworkId' },
    { name: 'provider_id', type: 'text', field: 'providerId' },
    { name: 'quarter', type: 'text', field: 'quarter' },
    { name: 'figures', type: 'jsonb', field: 'figures' },
    { name: 'submitted_at', type: 'timestamptz', field: 'submittedAt' },
    { name: 'submitted_by', type: 'text', field: 'submittedBy' },
    { name: 'amendments', type: 'integer', field: 'amendments' },
    { name: 'last_amended_at', type: 'timestamptz', field: 'lastAmendedAt', nullable: true },
    { name: 'last_amended_by', type: 'text', field: 'lastAmendedBy', nullable: true },
    { name: 'last_amendment_reason', type: 'text', field: 'lastAmendmentReason', nullable: true },
    { name: 'return_event_id', type: 'text', field: 'returnEventId' },
    { name: 'last_event_id', type: 'text', field: 'lastEventId' },
  ],
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
