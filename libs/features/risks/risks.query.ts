import {
  NotFoundError,
  riskScore,
  streamIds,
  londonDateOf,
  type RiskEvent,
  type RiskFacts,
} from '@kpi/domain';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import { risksProjection, type RiskRow } from './risks.projection';

const LIMIT = 500;

export interface ListRisksParams {
  /** Closed risks too (by default only open ones). */
  includeClosed?: boolean;
}

export interface RiskListed extends Omit<RiskRow, 'tenantId'> {
  /** Open and its review date has passed (Europe/London). */
  reviewOverdue: boolean;
}

export interface RiskRegister {
  today: string;
  risks: RiskListed[];
}

export class ListRisks extends FeatureQuery<ListRisksParams, RiskRegister> {}

/** The register, highest residual score first (then highest inherent, then the soonest review). */
export async function listRisks(
  db: Queryable,
  tenantId: string,
  { includeClosed }: ListRisksParams,
  { now }: Pick<QueryReading, 'now'>,
): Promise<RiskRegister> {
  const today = londonDateOf(now);
  const rows = await risksProjection.rows(
    db,
    `tenant_id = $1 AND ($2::boolean OR closed_on IS NULL)`,
    [tenantId, includeClosed ?? false],
    `residual_score DESC, inherent_score DESC, review_on, risk_id LIMIT ${LIMIT}`,
  );
  return { today, risks: rows.map((row) => listed(row, today)) };
}

function listed({ tenantId: _tenant, ...row }: RiskRow, today: string): RiskListed {
  return { ...row, reviewOverdue: row.closedOn === null && row.reviewOn < today };
}

/** One revision of a risk, as it was logged. */
export interface RiskRevision extends RiskFacts {
  revision: number;
  inherentScore: number;
  residualScore: number;
  /** What changed from the revision before (every field for the first). */
  changed: (keyof RiskFacts)[];
  by: string;
  at: string;
}

export interface RiskDetails extends RiskListed {
  /** Every revision, the first (as raised) first. */
  revisions: RiskRevision[];
}

export class ReadRisk extends FeatureQuery<{ riskId: string }, RiskDetails> {}

/** One risk with its revisions, read from its stream (the log is the history). */
export async function readRisk(
  db: Queryable,
  tenantId: string,
  { riskId }: { riskId: string },
  { now, store }: Pick<QueryReading, 'now' | 'store'>,
): Promise<RiskDetails> {
  const [row] = await risksProjection.rows(db, 'tenant_id = $1 AND risk_id = $2', [
    tenantId,
    riskId,
  ]);
  if (!row) throw new NotFoundError(`No risk ${riskId}`);
  const history = await store.readStream(streamIds.risk(tenantId, riskId));
  const revisions = history.flatMap((recorded): RiskRevision[] => {
    const event = { type: recorded.type, data: recorded.data } as RiskEvent;
    if (event.type === 'RiskClosed') return [];
    const { data } = event;
    const facts: RiskFacts = {
      title: data.title,
      owner: data.owner,
      category: data.category,
      inherent: data.inherent,
      residual: data.residual,
      controls: data.controls,
      reviewOn: data.reviewOn,
    };
    return [
      {
        ...facts,
        revision: event.type === 'RiskRaised' ? 1 : event.data.revision,
        inherentScore: riskScore(data.inherent),
        residualScore: riskScore(data.residual),
        changed:
          event.type === 'RiskRaised'
            ? (Object.keys(facts) as (keyof RiskFacts)[])
            : event.data.changed,
        by: event.type === 'RiskRaised' ? event.data.raisedBy : event.data.revisedBy,
        at: event.type === 'RiskRaised' ? event.data.raisedAt : event.data.revisedAt,
      },
    ];
  });
  return { ...listed(row, londonDateOf(now)), revisions };
}
