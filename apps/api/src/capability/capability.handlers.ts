import {
  readCapabilityCounters,
  ReadCapabilityCounters,
  readCapabilityTimeline,
  ReadCapabilityTimeline,
  readCapabilityWhy,
  ReadCapabilityWhy,
  readStagesByRegion,
  ReadStagesByRegion,
  recordCapabilityAppeal,
  RecordCapabilityAppeal,
  recordCapabilityReview,
  RecordCapabilityReview,
  recordSupervision,
  RecordSupervision,
} from '@kpi/features/capability';
import { commandHandler, queryHandler } from '../http/buses';
import { queryHandlerWithVault } from '../http/vault-handlers';

/**
 * The handlers of the capability feature's commands and queries; the why (which shows the
 * returns' amendment reasons) with the personal-data vault.
 */
export const capabilityHandlers = [
  commandHandler(RecordCapabilityReview, recordCapabilityReview),
  commandHandler(RecordCapabilityAppeal, recordCapabilityAppeal),
  commandHandler(RecordSupervision, recordSupervision),
  queryHandler(ReadCapabilityCounters, readCapabilityCounters),
  queryHandler(ReadStagesByRegion, readStagesByRegion),
  queryHandler(ReadCapabilityTimeline, readCapabilityTimeline),
  queryHandlerWithVault(ReadCapabilityWhy, readCapabilityWhy),
];
