import { frameworkViewer } from '@kpi/command-handling';
import { isSealed } from '@kpi/domain';
import type { EventStore } from '@kpi/event-store';
import { openedText, type OpenedPersonalData } from '@kpi/personal-data';
import type { ProviderReturnRecord } from './provider-return-rows';

/** Which returns are asked for: a council's framework. */
export interface CouncilFrameworkParams {
  councilId: string;
  frameworkId: string;
}

/** Who made a return, when, and its amendments; all null (and 0) while it is missing. */
export interface ReturnedBy {
  providerId: string;
  /** `missing`: no return for the period yet (every figure null). */
  status: 'returned' | 'missing';
  submittedAt: string | null;
  submittedBy: string | null;
  amendments: number;
  lastAmendedAt: string | null;
  /** The text, or `{ erasedOn }` once its data subject was erased; null when never amended. */
  lastAmendmentReason: OpenedPersonalData | null;
  /** The reason's data subject (one per amendment); null for one stored before reasons were kept apart. */
  lastAmendmentDataSubjectId: string | null;
}

/**
 * The providers the caller may see, in rotation order; `only` restricts the query to them
 * (null for the council: any return on its framework is its to see). Who sees what is the
 * framework's (frameworkViewer, read from the council's framework stream): the council every
 * provider on it, a provider on it only its own row, anyone else 404.
 */
export async function visibleProviders(
  store: EventStore,
  callerTenantId: string,
  { councilId, frameworkId }: CouncilFrameworkParams,
): Promise<{ inOrder: string[]; only: string[] | null }> {
  const { framework, viewer } = await frameworkViewer(
    { store, tenantId: callerTenantId },
    councilId,
    frameworkId,
  );
  return viewer.kind === 'council'
    ? { inOrder: [...framework.providers], only: null }
    : { inOrder: [viewer.providerId], only: [viewer.providerId] };
}

/** The rows the caller may see: of the framework's providers (`$4`, null for every one). */
export const VISIBLE_ROWS = '($4::text[] IS NULL OR provider_id = ANY ($4::text[]))';

/** One row per provider in order (a return or a missing one), then any other returns by id. */
export function listed<Row extends ProviderReturnRecord, Out>(
  providers: readonly string[],
  rows: readonly Row[],
  returned: (row: Row) => Out,
  missing: (providerId: string) => Out,
): Out[] {
  const byProvider = new Map(rows.map((row) => [row.providerId, row]));
  const others = rows
    .map((row) => row.providerId)
    .filter((providerId) => !providers.includes(providerId))
    .sort();
  return [...providers, ...others].map((providerId) => {
    const row = byProvider.get(providerId);
    return row ? returned(row) : missing(providerId);
  });
}

/** A returned row as listed, its last amendment's reason opened from `opened`. */
export function returnedBy(
  row: ProviderReturnRecord,
  opened: ReadonlyMap<string, OpenedPersonalData>,
): ReturnedBy {
  const reason = row.lastAmendmentReason;
  return {
    providerId: row.providerId,
    status: 'returned',
    submittedAt: row.submittedAt,
    submittedBy: row.submittedBy,
    amendments: row.amendments,
    lastAmendedAt: row.lastAmendedAt,
    lastAmendmentReason: reason === null ? null : openedText(reason, opened),
    lastAmendmentDataSubjectId: isSealed(reason) ? reason.subjectId : null,
  };
}

export function missingReturn(providerId: string): ReturnedBy {
  return {
    providerId,
    status: 'missing',
    submittedAt: null,
    submittedBy: null,
    amendments: 0,
    lastAmendedAt: null,
    lastAmendmentReason: null,
    lastAmendmentDataSubjectId: null,
  };
}
