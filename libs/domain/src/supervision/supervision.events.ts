/** The kinds of supervision session (docs/rules/workforce.md#supervision). */
export const SUPERVISION_KINDS = ['one-to-one', 'ad-hoc', 'group'] as const;
export type SupervisionKind = (typeof SUPERVISION_KINDS)[number];

/** A capability item discussed: the (home, KPI) of a counter of the supervisee's. */
export interface CapabilityItem {
  serviceId: string;
  indicatorCode: string;
}

/**
 * A supervision session a person received. Stage 1 is addressed "in or outside of
 * supervision" (docs/rules/capability.md#supervision-and-stage-1): the items say which capability
 * counters were discussed, and the capability timeline shows each stage as addressed when a session
 * in its time discussed it.
 */
export interface SupervisionRecorded {
  type: 'SupervisionRecorded';
  data: {
    supervisionId: string;
    superviseeId: string;
    supervisorId: string;
    /** `YYYY-MM-DD`: when the session was held. */
    date: string;
    kind: SupervisionKind;
    capabilityItems: CapabilityItem[];
    recordedBy: string;
    recordedAt: string;
  };
}

export type SupervisionEvent = SupervisionRecorded;
