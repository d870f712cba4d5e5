/**
 * The risk register (seed 003's risk annex; docs/decisions/0039): each risk with its owner, its
 * likelihood and impact (1–5 each) before controls (inherent) and after them (residual), the
 * controls, a review date, open or closed. Every change is an event: the revisions are kept.
 */
export const RISK_CATEGORIES = [
  'service-delivery',
  'safeguarding',
  'financial',
  'workforce',
  'business-continuity',
  'regulatory',
  'reputational',
  'other',
] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

/** Likelihood and impact, each 1 (rare, negligible) to 5 (almost certain, catastrophic). */
export interface RiskRating {
  likelihood: number;
  impact: number;
}

/** What a risk says at one revision. */
export interface RiskFacts {
  title: string;
  /** The account id of the person who owns it. */
  owner: string;
  category: RiskCategory;
  inherent: RiskRating;
  residual: RiskRating;
  /** The controls in place (what brings inherent down to residual). */
  controls: string;
  /** `YYYY-MM-DD`: when it is next reviewed. */
  reviewOn: string;
}

export interface RiskRaised {
  type: 'RiskRaised';
  data: RiskFacts & { riskId: string; raisedBy: string; raisedAt: string };
}

/** A revision: the whole risk as it now stands, and which fields changed. */
export interface RiskRevised {
  type: 'RiskRevised';
  data: RiskFacts & {
    riskId: string;
    /** 2 for the first revision (the risk as raised is revision 1). */
    revision: number;
    changed: (keyof RiskFacts)[];
    revisedBy: string;
    revisedAt: string;
  };
}

export interface RiskClosed {
  type: 'RiskClosed';
  data: {
    riskId: string;
    closedOn: string;
    /** The review date it had: that review is no longer owed. */
    reviewOn: string;
    closedBy: string;
    recordedAt: string;
  };
}

export type RiskEvent = RiskRaised | RiskRevised | RiskClosed;

export const RISK_EVENT_TYPES = [
  'RiskRaised',
  'RiskRevised',
  'RiskClosed',
] as const satisfies readonly RiskEvent['type'][];
