import {
  RISK_EVENT_TYPES,
  riskRag,
  riskScore,
  type RiskCategory,
  type RiskEvent,
  type RiskRating,
} from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';

/** The risk register as it stands: one row per risk, its scores kept for ordering. */
export interface RiskRow {
  tenantId: string;
  riskId: string;
  title: string;
  owner: string;
  category: RiskCategory;
  inherent: RiskRating;
  residual: RiskRating;
  inherentScore: number;
  residualScore: number;
  rag: 'green' | 'amber' | 'red';
  controls: string;
  reviewOn: string;
  revision: number;
  closedOn: string | null;
  raisedAt: string;
  updatedAt: string;
}

const keyOf = (event: Recorded<RiskEvent>) =>
  JSON.stringify([event.metadata.tenantId, event.data.riskId]);

export function evolveRisk(row: RiskRow | null, event: Recorded<RiskEvent>): RiskRow | null {
  switch (event.type) {
    case 'RiskRaised':
    case 'RiskRevised': {
      const { data } = event;
      const residualScore = riskScore(data.residual);
      const at = event.type === 'RiskRaised' ? event.data.raisedAt : event.data.revisedAt;
      return {
        tenantId: event.metadata.tenantId,
        riskId: data.riskId,
        title: data.title,
        owner: data.owner,
        category: data.category,
        inherent: data.inherent,
        residual: data.residual,
        inherentScore: riskScore(data.inherent),
        residualScore,
        rag: riskRag(residualScore),
        controls: data.controls,
        reviewOn: data.reviewOn,
        revision: event.type === 'RiskRaised' ? 1 : event.data.revision,
        closedOn: row?.closedOn ?? null,
        raisedAt: row?.raisedAt ?? at,
        updatedAt: at,
      };
    }
    case 'RiskClosed':
      return row && { ...row, closedOn: event.data.closedOn, updatedAt: event.data.recordedAt };
    default: {
      const _unexpected: never = event;
      return row;
    }
  }
}

export const risksProjection = keyedProjection<RiskRow>({
  name: 'risks',
  version: 1,
  table: 'rm_risks',
  eventTypes: RISK_EVENT_TYPES,
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'risk_id', type: 'text', field: 'riskId' },
    { name: 'title', type: 'text', field: 'title' },
    { name: 'owner', type: 'text', field: 'owner' },
    { name: 'category', type: 'text', field: 'category' },
    { name: 'inherent', type: 'jsonb', field: 'inherent' },
    { name: 'residual', type: 'jsonb', field: 'residual' },
    { name: 'inherent_score', type: 'integer', field: 'inherentScore' },
    { name: 'residual_score', type: 'integer', field: 'residualScore' },
    { name: 'rag', type: 'text', field: 'rag' },
    { name: 'controls', type: 'text', field: 'controls' },
    { name: 'review_on', type: 'date', field: 'reviewOn' },
    { name: 'revision', type: 'integer', field: 'revision' },
    { name: 'closed_on', type: 'date', field: 'closedOn', nullable: true },
    { name: 'raised_at', type: 'timestamptz', field: 'raisedAt' },
    { name: 'updated_at', type: 'timestamptz', field: 'updatedAt' },
  ],
  indexes: [['tenant_id', 'residual_score']],
  keyOf: (event) => {
    const riskEvent = recordedOneOf<RiskEvent>(event, RISK_EVENT_TYPES);
    return riskEvent && keyOf(riskEvent);
  },
  evolve: (row, event) => {
    const riskEvent = recordedOneOf<RiskEvent>(event, RISK_EVENT_TYPES);
    return riskEvent ? evolveRisk(row, riskEvent) : row;
  },
});
