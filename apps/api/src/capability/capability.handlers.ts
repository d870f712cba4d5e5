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
import { commandHandlerWithVault, queryHandlerWithVault } from '../http/vault-handlers';

/**
 * The handlers of the capability feature's commands and queries; those that keep or show the
 * reasons of reviews and appeals, or the returns' amendment reasons, with the personal-data vault.
 */
export const capabilityHandlers = [
  commandHandlerWithVault(RecordCapabilityReview, recordCapabilityReview),
  commandHandlerWithVault(RecordCapabilityAppeal, recordCapabilityAppeal),
  commandHandler(RecordSupervision, recordSupervision),
  queryHandler(ReadCapabilityCounters, readCapabilityCounters),
  queryHandler(ReadStagesByRegion, readStagesByRegion),
  queryHandlerWithVault(ReadCapabilityTimeline, readCapabilityTimeline),
  queryHandlerWithVault(ReadCapabilityWhy, readCapabilityWhy),
];
