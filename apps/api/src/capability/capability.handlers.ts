import {
  recordCapabilityAppeal,
  RecordCapabilityAppeal,
  recordCapabilityReview,
  RecordCapabilityReview,
  recordSupervision,
  RecordSupervision,
} from '@kpi/features/capability';
import { commandHandler } from '../http/buses';

/** The handlers of the capability feature's commands and queries. */
export const capabilityHandlers = [
  commandHandler(RecordCapabilityReview, recordCapabilityReview),
  commandHandler(RecordCapabilityAppeal, recordCapabilityAppeal),
  commandHandler(RecordSupervision, recordSupervision),
];
