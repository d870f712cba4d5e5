import { FeatureCommand, type EntityId } from '@kpi/command-handling';
import type { DataQualityFinding, Period } from '@kpi/domain';

/**
 * A data-quality audit's sample of a month's returns (docs/decisions/0037): `random` (how many,
 * and optionally the seed; one is made from the request otherwise) or `chosen` (the services).
 */
export interface DrawAuditSampleInput {
  /** Left out, one is made from the request (the same on a retry). */
  auditId?: EntityId;
  period: Period;
  random?: { size: number; seed?: string };
  chosen?: EntityId[];
}

/** What an auditor found checking one sampled return against its evidence. */
export interface RecordAuditFindingInput {
  auditId: EntityId;
  serviceId: EntityId;
  finding: DataQualityFinding;
  /** For `corrected`: the event id of the amendment that corrected the return. */
  amendmentEventId?: string;
  /** What was checked: the evidence looked at (text or references; sealed). */
  checked: string;
  /** For `queried`: what is asked (sealed). */
  query?: string;
}

export interface DrawnSample {
  streamId: string;
  auditId: string;
  period: Period;
  method: 'random' | 'chosen';
  seed: string | null;
  population: string[];
  sample: string[];
  replayed: boolean;
}

export interface RecordedFinding {
  streamId: string;
  auditId: string;
  findingId: string;
  serviceId: string;
  period: Period;
  finding: DataQualityFinding;
  amendmentEventId: string | null;
  replayed: boolean;
}

export class DrawAuditSample extends FeatureCommand<DrawAuditSampleInput, DrawnSample> {}
export class RecordAuditFinding extends FeatureCommand<RecordAuditFindingInput, RecordedFinding> {}
