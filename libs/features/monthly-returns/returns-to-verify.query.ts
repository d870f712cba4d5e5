import type { Period, SignOffStage } from '@kpi/domain';
import { FeatureQuery, type Queryable } from '@kpi/projections';

/** Which returns to list: waiting for a verifier (default), or every one still in sign-off. */
export interface ReturnsToVerifyParams {
  stage?: Exclude<SignOffStage, 'published'>;
}

/** A return whose latest figures are not published yet. */
export interface ReturnToVerify {
  serviceId: string;
  serviceName: string;
  regionId: string;
  period: Period;
  signOff: Exclude<SignOffStage, 'published'>;
  /** When it reached that stage (submitted, amended, verified or sent back). */
  since: string;
  submittedBy: string;
  /** Who amended it last; null when it was never amended. */
  lastAmendedBy: string | null;
  amendments: number;
  /** Whether it has figures published already (an amendment waits behind them). */
  published: boolean;
}

export interface ReturnsToVerify {
  returns: ReturnToVerify[];
}

/** The tenant's returns in sign-off whose latest figures are not published yet. */
export class ReadReturnsToVerify extends FeatureQuery<ReturnsToVerifyParams, ReturnsToVerify> {}

/**
 * The returns waiting in sign-off (docs/decisions/0037), oldest first: by default those a
 * verifier has to look at (`submitted`), or those of one stage; the organisation feature's
 * rm_services read by its published table.
 */
export async function readReturnsToVerify(
  db: Queryable,
  tenantId: string,
  { stage }: ReturnsToVerifyParams,
): Promise<ReturnsToVerify> {
  const { rows } = await db.query<{
    service_id: string;
    name: string;
    region_id: string;
    period: Period;
    sign_off: Exclude<SignOffStage, 'published'>;
    since: Date;
    submitted_by: string;
    last_amended_by: string | null;
    amendments: number;
    published: boolean;
  }>(
    `SELECT r.service_id, s.name, s.region_id, r.period, r.sign_off, r.sign_off_at AS since,
            r.submitted_by, r.last_amended_by, r.amendments,
            coalesce(r.published, true) AS published
       FROM rm_monthly_returns r
       JOIN rm_services s ON s.tenant_id = r.tenant_id AND s.service_id = r.service_id
      WHERE r.tenant_id = $1 AND r.sign_off = $2
      ORDER BY r.sign_off_at, s.name, r.period`,
    [tenantId, stage ?? 'submitted'],
  );
  return {
    returns: rows.map((row) => ({
      serviceId: row.service_id,
      serviceName: row.name,
      regionId: row.region_id,
      period: row.period,
      signOff: row.sign_off,
      since: row.since.toISOString(),
      submittedBy: row.submitted_by,
      lastAmendedBy: row.last_amended_by,
      amendments: row.amendments,
      published: row.published,
    })),
  };
}
