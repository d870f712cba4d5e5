import {
  closeRisk,
  CloseRisk,
  listRisks,
  ListRisks,
  raiseRisk,
  RaiseRisk,
  readRisk,
  ReadRisk,
  reviseRisk,
  ReviseRisk,
} from '@kpi/features/risks';
import { commandHandler, queryHandler } from '../http/buses';

/** The risk register's handlers. */
export const risksHandlers = [
  commandHandler(RaiseRisk, raiseRisk),
  commandHandler(ReviseRisk, reviseRisk),
  commandHandler(CloseRisk, closeRisk),
  queryHandler(ListRisks, listRisks),
  queryHandler(ReadRisk, readRisk),
];
