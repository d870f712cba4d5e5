import {
  acknowledgeComplaint,
  AcknowledgeComplaint,
  listComplaints,
  ListComplaints,
  logComplaint,
  LogComplaint,
  logCompliment,
  LogCompliment,
  readComplaint,
  ReadComplaint,
  readComplaintKpi,
  ReadComplaintKpi,
  readComplaintsReport,
  ReadComplaintsReport,
  respondToComplaint,
  RespondToComplaint,
} from '@kpi/features/complaints';
import { commandHandler, queryHandler } from '../http/buses';
import { commandHandlerWithVault, queryHandlerWithVault } from '../http/vault-handlers';

/**
 * The handlers of the complaints feature's commands and queries; those that keep or show a
 * complaint's texts (summary, complainant, response) or a compliment's summary with the
 * personal-data vault.
 */
export const complaintsHandlers = [
  commandHandlerWithVault(LogComplaint, logComplaint),
  commandHandler(AcknowledgeComplaint, acknowledgeComplaint),
  commandHandlerWithVault(RespondToComplaint, respondToComplaint),
  commandHandlerWithVault(LogCompliment, logCompliment),
  queryHandlerWithVault(ReadComplaint, readComplaint),
  queryHandlerWithVault(ListComplaints, listComplaints),
  queryHandler(ReadComplaintKpi, readComplaintKpi),
  queryHandler(ReadComplaintsReport, readComplaintsReport),
];
