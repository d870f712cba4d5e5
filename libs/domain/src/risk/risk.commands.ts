/** The risk-register commands: values arrive as the request gave them; the decider checks them. */
export interface RaiseRisk {
  type: 'RaiseRisk';
  data: {
    riskId: string;
    title: unknown;
    owner: unknown;
    category: unknown;
    inherent: unknown;
    residual: unknown;
    controls: unknown;
    reviewOn: unknown;
    actor: string;
    now: Date;
  };
}

/** Changes the fields given (the others stay as they are). */
export interface ReviseRisk {
  type: 'ReviseRisk';
  data: {
    riskId: string;
    changes: Partial<
      Record<
        'title' | 'owner' | 'category' | 'inherent' | 'residual' | 'controls' | 'reviewOn',
        unknown
      >
    >;
    actor: string;
    now: Date;
  };
}

export interface CloseRisk {
  type: 'CloseRisk';
  data: { riskId: string; closedOn: unknown; actor: string; now: Date };
}

export type RiskCommand = RaiseRisk | ReviseRisk | CloseRisk;
