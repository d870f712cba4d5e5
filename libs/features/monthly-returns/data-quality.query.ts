import {
  NotFoundError,
  streamIds,
  type DataQualityAuditEvent,
  type DataQualityFinding,
  type Period,
  type PersonalText,
} from '@kpi/domain';
import type { OpenedPersonalData, PersonalDataVault } from '@kpi/personal-data';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import { openReasons } from './amendment-reason';

/** The audited share of a span of months (docs/decisions/0037): a figure of the reports. */
export interface DataQualityFigure {
  /** Returns submitted for the months (of the report's services). */
  returns: number;
  /** Of those, sampled by an audit and given a finding. */
  audited: number;
  /** audited ÷ returns, a percentage to one decimal; null without returns. */
  auditedShare: number | null;
  confirmed: number;
  corrected: number;
  queried: number;
  /** confirmed ÷ audited, a percentage to one decimal; null when none was audited. */
  confirmedShare: number | null;
}

/** PostgreSQL's undefined_table. */
const UNDEFINED_TABLE = '42P01';

const percentage = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((1000 * part) / whole) / 10;

/**
 * The audited share of the months for the services named: returns from `rm_monthly_returns`,
 * findings from `rm_audited_returns` (a return audited twice counts once, by its latest finding).
 */
export async function readDataQualityFigure(
  db: Queryable,
  tenantId: string,
  serviceIds: readonly string[],
  months: readonly Period[],
): Promise<DataQualityFigure> {
  type Counts = {
    returns: number;
    audited: number;
    confirmed: number;
    corrected: number;
    queried: number;
  };
  const { rows } = await db
    .query<Counts>(
      `WITH latest AS (
       SELECT DISTINCT ON (service_id, period) service_id, period, finding
         FROM rm_audited_returns
        WHERE tenant_id = $1 AND service_id = ANY ($2::text[]) AND period = ANY ($3::text[])
          AND finding IS NOT NULL
        ORDER BY service_id, period, recorded_at DESC)
     SELECT (SELECT count(*)::int FROM rm_monthly_returns
               WHERE tenant_id = $1 AND service_id = ANY ($2::text[]) AND period = ANY ($3::text[]))
              AS returns,
            count(*)::int AS audited,
            count(*) FILTER (WHERE finding = 'confirmed')::int AS confirmed,
            count(*) FILTER (WHERE finding = 'corrected')::int AS corrected,
            count(*) FILTER (WHERE finding = 'queried')::int AS queried
       FROM latest`,
      [tenantId, serviceIds, months],
    )
    .catch(async (error: { code?: string }) => {
      // Before the worker has made the audits' read model, nothing has been audited.
      if (error.code !== UNDEFINED_TABLE) throw error;
      const returned = await db.query<{ returns: number }>(
        `SELECT count(*)::int AS returns FROM rm_monthly_returns
        WHERE tenant_id = $1 AND service_id = ANY ($2::text[]) AND period = ANY ($3::text[])`,
        [tenantId, serviceIds, months],
      );
      const none: Counts = {
        returns: returned.rows[0]!.returns,
        audited: 0,
        confirmed: 0,
        corrected: 0,
        queried: 0,
      };
      return { rows: [none] };
    });
  const { returns, audited, confirmed, corrected, queried } = rows[0]!;
  return {
    returns,
    audited,
    auditedShare: percentage(audited, returns),
    confirmed,
    corrected,
    queried,
    confirmedShare: percentage(confirmed, audited),
  };
}

/** One sampled return of an audit with its latest finding, the texts opened. */
export interface AuditedReturn {
  serviceId: string;
  findingId: string | null;
  finding: DataQualityFinding | null;
  amendmentEventId: string | null;
  amendmentNumber: number | null;
  checked: OpenedPersonalData | null;
  query: OpenedPersonalData | null;
  /** The data subject the texts are kept under; null before a finding. */
  dataSubjectId: string | null;
  recordedBy: string | null;
  recordedAt: string | null;
  /** Earlier findings of this return in this audit (a query answered), oldest first. */
  earlier: DataQualityFinding[];
}

export interface DataQualityAudit {
  streamId: string;
  auditId: string;
  period: Period;
  method: 'random' | 'chosen';
  seed: string | null;
  population: string[];
  drawnBy: string;
  drawnAt: string;
  returns: AuditedReturn[];
}

export class ReadDataQualityAudit extends FeatureQuery<{ auditId: string }, DataQualityAudit> {}

/**
 * An audit read from its own stream: the sample, and for each sampled return its latest finding
 * with what was checked and the query opened from the vault (one query). Not found when the
 * tenant has no such audit.
 */
export async function readDataQualityAudit(
  _db: Queryable,
  tenantId: string,
  { auditId }: { auditId: string },
  { store, vault }: Pick<QueryReading, 'store'> & { vault: PersonalDataVault },
): Promise<DataQualityAudit> {
  const streamId = streamIds.dataQualityAudit(tenantId, auditId);
  const events = (await store.readStream(streamId))
    .filter((event) => event.metadata.tenantId === tenantId)
    .map((event) => ({ type: event.type, data: event.data }) as DataQualityAuditEvent);
  const drawn = events[0];
  if (drawn?.type !== 'DataQualitySampleDrawn')
    throw new NotFoundError(`There is no audit ${auditId}`);
  const findings = events.filter((event) => event.type === 'DataQualityFindingRecorded');
  const latest = new Map(findings.map((event) => [event.data.serviceId, event]));
  const texts: PersonalText[] = [...latest.values()].flatMap((event) => [
    event.data.checked,
    ...(event.data.query === null ? [] : [event.data.query]),
  ]);
  const opened = await openReasons(vault, tenantId, texts);
  const openedOf = new Map(texts.map((text, index) => [text, opened[index]!]));
  return {
    streamId,
    auditId,
    period: drawn.data.period,
    method: drawn.data.method,
    seed: drawn.data.seed,
    population: drawn.data.population,
    drawnBy: drawn.data.drawnBy,
    drawnAt: drawn.data.drawnAt,
    returns: drawn.data.sample.map((serviceId) => {
      const found = latest.get(serviceId);
      const checked = found ? openedOf.get(found.data.checked)! : null;
      return {
        serviceId,
        findingId: found?.data.findingId ?? null,
        finding: found?.data.finding ?? null,
        amendmentEventId: found?.data.amendmentEventId ?? null,
        amendmentNumber: found?.data.amendmentNumber ?? null,
        checked: checked?.reason ?? null,
        query: found?.data.query ? openedOf.get(found.data.query)!.reason : null,
        dataSubjectId: checked?.dataSubjectId ?? null,
        recordedBy: found?.data.recordedBy ?? null,
        recordedAt: found?.data.recordedAt ?? null,
        earlier: findings
          .filter((event) => event.data.serviceId === serviceId && event !== found)
          .map((event) => event.data.finding),
      };
    }),
  };
}
