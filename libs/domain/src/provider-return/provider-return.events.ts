import type { QuarterlyReturnFigures } from '../call-off/provider-kpis';
import type { PersonalText } from '../data-subject/personal-data';

/**
 * What a provider on a council's care-at-home framework reports to the council
 * (docs/rules/provider-returns.md): a monthly capacity return and a quarterly return. Both are
 * stored in the council's tenant, naming the provider.
 */

/** The figures of a monthly capacity return (docs/rules/provider-returns.md#capacity-return). */
export interface CapacityFigures {
  /** Care workers employed. */
  careWorkers: number;
  /** Current packages of care. */
  packages: number;
  /** Current total hours a week across those packages. */
  totalHours: number;
  /** Worked out, never typed: totalHours ÷ careWorkers, to one decimal; null with no workers. */
  averageHoursPerCareWorker: number | null;
  /** Hours the provider estimates it can take on in the month ahead. */
  estimatedHoursAvailableNextMonth: number;
}

export interface ProviderCapacityReturnSubmitted {
  type: 'ProviderCapacityReturnSubmitted';
  data: CapacityFigures & {
    frameworkId: string;
    providerId: string;
    /** `YYYY-MM`: the month the figures are for. */
    period: string;
    submittedBy: string;
    submittedAt: string;
  };
}

/**
 * A correction: the new figures in full, with the reason and who made it. The reason is free
 * text that can name care workers or people receiving care: from schema version 2 it is sealed
 * in the personal-data vault under a data subject of its own (one per amendment, in the
 * council's tenant), so it can be erased by itself. Version 1 held the text, read as it was.
 */
export interface ProviderCapacityReturnAmended {
  type: 'ProviderCapacityReturnAmended';
  data: CapacityFigures & {
    frameworkId: string;
    providerId: string;
    period: string;
    reason: PersonalText;
    amendedBy: string;
    amendedAt: string;
  };
}

export type ProviderCapacityReturnEvent =
  ProviderCapacityReturnSubmitted | ProviderCapacityReturnAmended;

export interface ProviderQuarterlyReturnSubmitted {
  type: 'ProviderQuarterlyReturnSubmitted';
  data: {
    frameworkId: string;
    providerId: string;
    /** `2026-27 Q1`. */
    quarter: string;
    /** Numerator and denominator of each quarterly-return KPI (provider-kpis.ts). */
    figures: QuarterlyReturnFigures;
    submittedBy: string;
    submittedAt: string;
  };
}

/** A correction of a quarterly return; its reason kept as the capacity return's is. */
export interface ProviderQuarterlyReturnAmended {
  type: 'ProviderQuarterlyReturnAmended';
  data: {
    frameworkId: string;
    providerId: string;
    quarter: string;
    figures: QuarterlyReturnFigures;
    reason: PersonalText;
    amendedBy: string;
    amendedAt: string;
  };
}

export type ProviderQuarterlyReturnEvent =
  ProviderQuarterlyReturnSubmitted | ProviderQuarterlyReturnAmended;

/**
 * Upcasters of the provider-return events (libs/event-store EventTypeRegistry): an amendment
 * stored at version 1 has the same shape, its reason the text itself.
 */
export const PROVIDER_RETURN_UPCASTERS = {
  ProviderCapacityReturnAmended: { 1: (data: unknown): unknown => data },
  ProviderQuarterlyReturnAmended: { 1: (data: unknown): unknown => data },
} as const;

export const PROVIDER_RETURN_EVENT_TYPES = [
  'ProviderCapacityReturnSubmitted',
  'ProviderCapacityReturnAmended',
  'ProviderQuarterlyReturnSubmitted',
  'ProviderQuarterlyReturnAmended',
] as const;
