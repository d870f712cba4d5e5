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

/** The handlers of the workforce feature's commands (the staff register) and queries. */
export const workforceHandlers = [
  commandHandler(RegisterStaffMember, registerStaffMember),
  commandHandler(RecordStaffMemberLeft, recordStaffMemberLeft),
  commandHandler(RecordAppraisal, recordAppraisal),
  commandHandler(RecordTraining, recordTraining),
  commandHandler(RecordDbsCheck, recordDbsCheck),
  queryHandler(ReadSupervisionCompliance, readSupervisionCompliance),
  queryHandler(ReadTurnover, readTurnover),
];
