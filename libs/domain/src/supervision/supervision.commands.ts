export interface RecordSupervision {
  type: 'RecordSupervision';
  data: {
    supervisionId: string;
    superviseeId: string;
    supervisorId: unknown;
    date: unknown;
    kind: unknown;
    /** `[{ serviceId, indicatorCode }]`, checked by the decider (and the handler: the home exists). */
    capabilityItems: unknown;
    recordedBy: string;
    now: Date;
  };
}

export type SupervisionCommand = RecordSupervision;
