import type { Period } from '../shared/period';
import type { DataQualityFinding } from './data-quality-audit.events';

/** How a sample is drawn: `size` returns at random with `seed`, or the services chosen. */
export type SampleMethod =
  { kind: 'random'; size: number; seed: string } | { kind: 'chosen'; serviceIds: string[] };

export interface DrawAuditSample {
  type: 'DrawAuditSample';
  data: {
    auditId: string;
    period: Period;
    method: SampleMethod;
    /** The services with a return for the period (the handler looks them up). */
    population: string[];
    drawnBy: string;
    now: Date;
  };
}

export interface RecordAuditFinding {
  type: 'RecordAuditFinding';
  data: {
    auditId: string;
    findingId: string;
    serviceId: string;
    finding: DataQualityFinding;
    /** For `corrected`: the amendment's event id. */
    amendmentEventId: string | null;
    /** The amendments of the sampled return (the handler reads its stream). */
    amendments: { eventId: string; amendmentNumber: number }[];
    checked: string;
    query: string | null;
    recordedBy: string;
    now: Date;
  };
}

export type DataQualityAuditCommand = DrawAuditSample | RecordAuditFinding;
