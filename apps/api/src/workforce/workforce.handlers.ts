import {
  readSupervisionCompliance,
  ReadSupervisionCompliance,
  readTurnover,
  ReadTurnover,
  recordAppraisal,
  RecordAppraisal,
  recordDbsCheck,
  RecordDbsCheck,
  recordStaffMemberLeft,
  RecordStaffMemberLeft,
  recordTraining,
  RecordTraining,
  registerStaffMember,
  RegisterStaffMember,
} from '@kpi/features/workforce';
import { commandHandler, queryHandler } from '../http/buses';
import { commandHandlerWithVault } from '../http/vault-handlers';

/**
 * The handlers of the workforce feature's commands (the staff register) and queries; recording
 * a leaver (whose reason is sealed) with the personal-data vault.
 */
export const workforceHandlers = [
  commandHandler(RegisterStaffMember, registerStaffMember),
  commandHandlerWithVault(RecordStaffMemberLeft, recordStaffMemberLeft),
  commandHandler(RecordAppraisal, recordAppraisal),
  commandHandler(RecordTraining, recordTraining),
  commandHandler(RecordDbsCheck, recordDbsCheck),
  queryHandler(ReadSupervisionCompliance, readSupervisionCompliance),
  queryHandler(ReadTurnover, readTurnover),
];
