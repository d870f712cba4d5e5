import { FeatureCommand, type EntityId } from '@kpi/command-handling';

/**
 * Commentary on an indicator's period (docs/decisions/0038): a service's, or (`serviceId`
 * null) the organisation's; the period a month `YYYY-MM` or a quarter `2026-27 Q1`.
 */
export interface WriteIndicatorCommentaryInput {
  serviceId: EntityId | null;
  indicatorCode: string;
  period: string;
  whatHappened: string;
  whatIsBeingDone: string;
}

export interface WrittenCommentary {
  streamId: string;
  serviceId: string | null;
  indicatorCode: string;
  period: string;
  version: number;
  replayed: boolean;
}

export class WriteIndicatorCommentary extends FeatureCommand<
  WriteIndicatorCommentaryInput,
  WrittenCommentary
> {}
