import { streamIds, type CommentaryEvent, type PersonalText } from '@kpi/domain';
import type { OpenedPersonalData, PersonalDataVault } from '@kpi/personal-data';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import { openReasons } from './amendment-reason';
import { commentaryPeriodKey, commentaryScope } from './commentary.use-cases';
import { commentaryProjection } from './commentary.projection';

/** A commentary as read: its texts opened (or `{ erasedOn }`), its version, who and when. */
export interface Commentary {
  whatHappened: OpenedPersonalData;
  whatIsBeingDone: OpenedPersonalData;
  version: number;
  writtenBy: string;
  writtenAt: string;
  /** The data subject its texts are kept under (one per version). */
  dataSubjectId: string | null;
}

/** Where a commentary is: `${serviceId ?? ''}|${indicatorCode}|${period}`. */
export const commentaryKey = (serviceId: string | null, indicatorCode: string, period: string) =>
  `${serviceId ?? ''}|${indicatorCode}|${period}`;

/**
 * The latest commentary of the services (and of the organisation, '' ) on the periods named,
 * keyed by {@link commentaryKey}: read from `rm_indicator_commentary`, every text opened in one
 * query to the vault.
 */
export async function readCommentaries(
  db: Queryable,
  vault: PersonalDataVault,
  tenantId: string,
  { serviceIds, periods }: { serviceIds: readonly string[]; periods: readonly string[] },
): Promise<Map<string, Commentary>> {
  const rows = await commentaryProjection.rows(
    db,
    'tenant_id = $1 AND service_id = ANY ($2::text[]) AND period = ANY ($3::text[])',
    [tenantId, ['', ...serviceIds], periods],
  );
  if (rows.length === 0) return new Map();
  const texts = rows.flatMap((row) => [row.whatHappened, row.whatIsBeingDone]);
  const opened = await openReasons(vault, tenantId, texts);
  return new Map(
    rows.map((row, index) => [
      commentaryKey(row.serviceId || null, row.indicatorCode, row.period),
      {
        whatHappened: opened[2 * index]!.reason,
        whatIsBeingDone: opened[2 * index + 1]!.reason,
        version: row.version,
        writtenBy: row.writtenBy,
        writtenAt: row.writtenAt,
        dataSubjectId: opened[2 * index]!.dataSubjectId,
      },
    ]),
  );
}

/** The latest commentary of one service on some periods, by indicator and period. */
export class ReadIndicatorCommentaries extends FeatureQuery<
  { serviceId: string; periods: string[] },
  { commentaries: (Commentary & { indicatorCode: string; period: string })[] }
> {}

export async function readIndicatorCommentaries(
  db: Queryable,
  tenantId: string,
  { serviceId, periods }: { serviceId: string; periods: string[] },
  { vault }: { vault: PersonalDataVault },
): Promise<{ commentaries: (Commentary & { indicatorCode: string; period: string })[] }> {
  const found = await readCommentaries(db, vault, tenantId, { serviceIds: [serviceId], periods });
  return {
    commentaries: [...found.entries()]
      .map(([key, commentary]) => {
        const [service, indicatorCode, period] = key.split('|') as [string, string, string];
        return service === serviceId ? { ...commentary, indicatorCode, period } : null;
      })
      .filter((c) => c !== null),
  };
}

export interface CommentaryHistoryParams {
  serviceId: string | null;
  indicatorCode: string;
  period: string;
}

/** Every version of a commentary, oldest first, from its own stream. */
export class ReadCommentaryHistory extends FeatureQuery<
  CommentaryHistoryParams,
  { versions: Commentary[] }
> {}

export async function readCommentaryHistory(
  _db: Queryable,
  tenantId: string,
  { serviceId, indicatorCode, period }: CommentaryHistoryParams,
  { store, vault }: Pick<QueryReading, 'store'> & { vault: PersonalDataVault },
): Promise<{ versions: Commentary[] }> {
  const events = (
    await store.readStream(
      streamIds.commentary(
        tenantId,
        commentaryScope(serviceId),
        indicatorCode,
        commentaryPeriodKey(period),
      ),
    )
  )
    .filter((event) => event.metadata.tenantId === tenantId)
    .map((event) => ({ type: event.type, data: event.data }) as CommentaryEvent);
  const texts: PersonalText[] = events.flatMap((e) => [
    e.data.whatHappened,
    e.data.whatIsBeingDone,
  ]);
  const opened = await openReasons(vault, tenantId, texts);
  return {
    versions: events.map((event, index) => ({
      whatHappened: opened[2 * index]!.reason,
      whatIsBeingDone: opened[2 * index + 1]!.reason,
      version: event.data.version,
      writtenBy: event.data.writtenBy,
      writtenAt: event.data.writtenAt,
      dataSubjectId: opened[2 * index]!.dataSubjectId,
    })),
  };
}
