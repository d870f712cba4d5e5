import {
  appointManager,
  AppointManager,
  assignRegionalManager,
  AssignRegionalManager,
  endManagerAppointment,
  EndManagerAppointment,
  ListRegions,
  readRegions,
  registerOrganisation,
  RegisterOrganisation,
  registerRegion,
  RegisterRegion,
  registerService,
  RegisterService,
} from '@kpi/features/organisation';
import { commandHandler, queryHandler } from '../http/buses';

/** The handlers of the organisation's commands and queries: each runs its feature function. */
export const organisationHandlers = [
  commandHandler(RegisterOrganisation, registerOrganisation),
  commandHandler(RegisterRegion, registerRegion),
  commandHandler(AssignRegionalManager, assignRegionalManager),
  commandHandler(RegisterService, registerService),
  commandHandler(AppointManager, appointManager),
  commandHandler(EndManagerAppointment, endManagerAppointment),
  queryHandler(ListRegions, readRegions),
];
