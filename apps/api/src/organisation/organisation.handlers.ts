import {
  appointManager,
  AppointManager,
  assignRegionalManager,
  AssignRegionalManager,
  endManagerAppointment,
  EndManagerAppointment,
  registerOrganisation,
  RegisterOrganisation,
  registerRegion,
  RegisterRegion,
  registerService,
  RegisterService,
} from '@kpi/features/organisation';
import { commandHandler } from '../http/buses';

/** The handlers of the organisation's commands: each carries out its feature function. */
export const organisationHandlers = [
  commandHandler(RegisterOrganisation, registerOrganisation),
  commandHandler(RegisterRegion, registerRegion),
  commandHandler(AssignRegionalManager, assignRegionalManager),
  commandHandler(RegisterService, registerService),
  commandHandler(AppointManager, appointManager),
  commandHandler(EndManagerAppointment, endManagerAppointment),
];
