import type { PersonalText } from '@kpi/domain';
import type { Column, Recorded } from '@kpi/projections';

/**
 * What a row of the provider capacity returns and the provider quarterly returns read models
 * holds besides what the return covers (a month or a quarter) and its figures: whose return it
 * is, in the council's tenant, and its submission and amendments. docs/provider-returns.md.
 */
export interface ProviderReturnRecord {
  /** The council: the returns are its records. */
  tenantId: string;
  frameworkId: string;
  providerId: string;
  submittedAt: string;
  submittedBy: string;
  /** Amendments so far (0: as submitted); the figures are version `amendments + 1`. */
  amendments: number;
  lastAmendedAt: string | null;
  lastAmendedBy: string | null;
  /**
   * The last amendment's reason as its event holds it: sealed in the personal-data vault (a
   * reference, opened by the queries) or, from an event stored before, the text.
   */
  lastAmendmentReason: PersonalText | null;
  /** The submission: where the original figures are. */
  returnEventId: string;
  /** The last event that changed the row (the submission or the latest amendment). */
  lastEventId: string;
}

type ReturnSubmitted = Recorded<{
  type: string;
  data: { frameworkId: string; providerId: string; submittedAt: string; submittedBy: string };
}>;

type ReturnAmended = Recorded<{
  type: string;
  data: { reason: PersonalText; amendedBy: string; amendedAt: string };
}>;

/** The row key: the council first, so tenants never share a row; then whose, then when. */
export const providerReturnKey = (
  event: Recorded<{ type: string; data: { frameworkId: string; providerId: string } }>,
  covers: string,
): string =>
  JSON.stringify([event.metadata.tenantId, event.data.frameworkId, event.data.providerId, covers]);

/** The record of a return just submitted: nothing amended yet. */
export function submittedRecord(event: ReturnSubmitted): ProviderReturnRecord {
  const { data } = event;
  return {
    tenantId: event.metadata.tenantId,
    frameworkId: data.frameworkId,
    providerId: data.providerId,
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

/** The record after one more amendment; the submission stays. */
export function amendedRecord<Row extends ProviderReturnRecord>(
  row: Row,
  event: ReturnAmended,
): Row {
  return {
    ...row,
    amendments: row.amendments + 1,
    lastAmendedAt: event.data.amendedAt,
    lastAmendedBy: event.data.amendedBy,
    lastAmendmentReason: event.data.reason,
    lastEventId: event.eventId,
  };
}

/**
 * A provider-return table's columns, in order: whose return it is, what it covers (`period`,
 * `quarter`), its figures, then its submission and amendments.
 */
export function providerReturnColumns<Row extends ProviderReturnRecord>(
  covers: Column<Row>,
  figures: readonly Column<Row>[],
): Column<Row>[] {
  return [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'framework_id', type: 'text', field: 'frameworkId' },
    { name: 'provider_id', type: 'text', field: 'providerId' },
    covers,
    ...figures,
    { name: 'submitted_at', type: 'timestamptz', field: 'submittedAt' },
    { name: 'submitted_by', type: 'text', field: 'submittedBy' },
    { name: 'amendments', type: 'integer', field: 'amendments' },
    { name: 'last_amended_at', type: 'timestamptz', field: 'lastAmendedAt', nullable: true },
    { name: 'last_amended_by', type: 'text', field: 'lastAmendedBy', nullable: true },
    { name: 'last_amendment_reason', type: 'jsonb', field: 'lastAmendmentReason', nullable: true },
    { name: 'return_event_id', type: 'text', field: 'returnEventId' },
    { name: 'last_event_id', type: 'text', field: 'lastEventId' },
  ];
}
