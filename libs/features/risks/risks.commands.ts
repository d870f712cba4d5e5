import { FeatureCommand, type EntityId } from '@kpi/command-handling';
import type { RiskFacts } from '@kpi/domain';

/*
 * The risk-register commands (docs/decisions/0039). The risk id is parsed at the edge; the rest
 * arrives as the request gave it and the risk decider checks it, naming the field.
 */

export interface RaiseRiskInput {
  /** Optional: by default derived from the command id. */
  riskId?: EntityId;
  title: string;
  owner: string;
  category: string;
  inherent: { likelihood: number; impact: number };
  residual: { likelihood: number; impact: number };
  controls: string;
  reviewOn: string;
}

export interface ReviseRiskInput {
  riskId: EntityId;
  changes: Partial<Record<keyof RiskFacts, unknown>>;
}

export interface CloseRiskInput {
  riskId: EntityId;
  closedOn?: string;
}

/** A risk after a command. */
export interface RiskOutcome {
  streamId: string;
  riskId: string;
  revision: number;
  inherentScore: number;
  residualScore: number;
  /** The residual score's RAG: green 1–6, amber 8–12, red 15–25. */
  rag: 'green' | 'amber' | 'red';
  status: 'open' | 'closed';
  replayed: boolean;
}

export class RaiseRisk extends FeatureCommand<RaiseRiskInput, RiskOutcome> {}
export class ReviseRisk extends FeatureCommand<ReviseRiskInput, RiskOutcome> {}
export class CloseRisk extends FeatureCommand<CloseRiskInput, RiskOutcome> {}
