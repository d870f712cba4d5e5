import type { CommentaryEvent, PersonalText } from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';

/**
 * The latest commentary on each indicator's period (docs/decisions/0038), a service's or the
 * organisation's (`serviceId` ''). The texts are kept as the event holds them — sealed, so an
 * erasure in the vault makes them unreadable here too — and opened by the reports.
 */
export interface CommentaryRow {
  tenantId: string;
  /** '' for the organisation as a whole. */
  serviceId: string;
  indicatorCode: string;
  /** `YYYY-MM` or `2026-27 Q1`. */
  period: string;
  version: number;
  whatHappened: PersonalText;
  whatIsBeingDone: PersonalText;
  writtenBy: string;
  writtenAt: string;
}

export const COMMENTARY_EVENT_TYPES = [
  'IndicatorCommentaryWritten',
] as const satisfies readonly CommentaryEvent['type'][];

export const commentaryKeyOf = (event: Recorded<CommentaryEvent>): string =>
  JSON.stringify([
    event.metadata.tenantId,
    event.data.serviceId ?? '',
    event.data.indicatorCode,
    event.data.period,
  ]);

/** The latest version wins (a version is never delivered after a later one, but check). */
export function evolveCommentary(
  row: CommentaryRow | null,
  event: Recorded<CommentaryEvent>,
): CommentaryRow | null {
  const { data } = event;
  if (row && row.version >= data.version) return row;
  return {
    tenantId: event.metadata.tenantId,
    serviceId: data.serviceId ?? '',
    indicatorCode: data.indicatorCode,
    period: data.period,
    version: data.version,
    whatHappened: data.whatHappened,
    whatIsBeingDone: data.whatIsBeingDone,
    writtenBy: data.writtenBy,
    writtenAt: data.writtenAt,
  };
}

export const commentaryProjection = keyedProjection<CommentaryRow>({
  name: 'indicator-commentary',
  version: 1,
  table: 'rm_indicator_commentary',
  eventTypes: COMMENTARY_EVENT_TYPES,
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'service_id', type: 'text', field: 'serviceId' },
    { name: 'indicator_code', type: 'text', field: 'indicatorCode' },
    { name: 'period', type: 'text', field: 'period' },
    { name: 'version', type: 'integer', field: 'version' },
    { name: 'what_happened', type: 'jsonb', field: 'whatHappened' },
    { name: 'what_is_being_done', type: 'jsonb', field: 'whatIsBeingDone' },
    { name: 'written_by', type: 'text', field: 'writtenBy' },
    { name: 'written_at', type: 'timestamptz', field: 'writtenAt' },
  ],
  indexes: [['tenant_id', 'period']],
  keyOf: (event) => {
    const written = recordedOneOf<CommentaryEvent>(event, COMMENTARY_EVENT_TYPES);
    return written && commentaryKeyOf(written);
  },
  evolve: (row, event) => {
    const written = recordedOneOf<CommentaryEvent>(event, COMMENTARY_EVENT_TYPES);
    return written ? evolveCommentary(row, written) : row;
  },
});
