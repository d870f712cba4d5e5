import {
  acknowledgeComplaint,
  AcknowledgeComplaint,
  logComplaint,
  LogComplaint,
  logCompliment,
  LogCompliment,
  readComplaintKpi,
  ReadComplaintKpi,
  readComplaintsReport,
  ReadComplaintsReport,
  respondToComplaint,
  RespondToComplaint,
} from '@kpi/features/complaints';
import { commandHandler, queryHandler } from '../http/buses';

/** The handlers of the complaints feature's commands and queries. */
export const complaintsHandlers = [
  commandHandler(LogComplaint, logComplaint),
  commandHandler(AcknowledgeComplaint, acknowledgeComplaint),
  commandHandler(RespondToComplaint, respondToComplaint),
  commandHandler(LogCompliment, logCompliment),
  queryHandler(ReadComplaintKpi, readComplaintKpi),
  queryHandler(ReadComplaintsReport, readComplaintsReport),
];
