import type { PersonalText } from '../data-subject/personal-data';
import type { Period } from '../shared/period';

/**
 * A data-quality audit's sample of a month's returns (docs/decisions/0037): drawn at random —
 * the seed and the population kept, so anyone can draw it again and get the same sample — or
 * chosen by the auditor.
 */
export interface DataQualitySampleDrawn {
  type: 'DataQualitySampleDrawn';
  data: {
    auditId: string;
    period: Period;
    method: 'random' | 'chosen';
    /** The random draw's seed; null when the sample was chosen. */
    seed: string | null;
    /** The services with a return for the period when the sample was drawn, sorted. */
    population: string[];
    /** The services whose returns are audited, in the order drawn (or given). */
    sample: string[];
    drawnBy: string;
    drawnAt: string;
  };
}

/**
 * What the auditor found when checking a sampled return against its evidence: `confirmed`;
 * `corrected` by an amendment (the amendment's event cited); or `queried`, with the query. A
 * queried return may be found again (confirmed or corrected) when the query is answered; the
 * finding keeps its id. What was checked and the query are free text that can name people:
 * sealed in the personal-data vault under a data subject of their own.
 */
export interface DataQualityFindingRecorded {
  type: 'DataQualityFindingRecorded';
  data: {
    auditId: string;
    /** Stable per audit and sampled return: what an action links to. */
    findingId: string;
    serviceId: string;
    period: Period;
    finding: DataQualityFinding;
    /** The amendment that corrected the return (its event id and number); null otherwise. */
    amendmentEventId: string | null;
    amendmentNumber: number | null;
    /** What was checked: the evidence looked at, as text or references. */
    checked: PersonalText;
    /** The query raised; null unless `queried`. */
    query: PersonalText | null;
    recordedBy: string;
    recordedAt: string;
  };
}

export const DATA_QUALITY_FINDINGS = ['confirmed', 'corrected', 'queried'] as const;
export type DataQualityFinding = (typeof DATA_QUALITY_FINDINGS)[number];

export type DataQualityAuditEvent = DataQualitySampleDrawn | DataQualityFindingRecorded;
