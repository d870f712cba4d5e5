import {
  grantRegulatorAccess,
  GrantRegulatorAccess,
  ListGrantsHeld,
  ListRegulatorGrants,
  OpenGrant,
  openGrant,
  OpenGrantedStream,
  openGrantedStream,
  readGrantsHeld,
  readRegulatorGrants,
  revokeRegulatorAccess,
  RevokeRegulatorAccess,
} from '@kpi/features/regulator-grants';
import { commandHandler, queryHandler } from '../http/buses';

/** The handlers of the regulator-grants feature's commands and queries. */
export const regulatorGrantsHandlers = [
  commandHandler(GrantRegulatorAccess, grantRegulatorAccess),
  commandHandler(RevokeRegulatorAccess, revokeRegulatorAccess),
  queryHandler(ListRegulatorGrants, readRegulatorGrants),
  queryHandler(ListGrantsHeld, readGrantsHeld),
  queryHandler(OpenGrantedStream, openGrantedStream),
  queryHandler(OpenGrant, openGrant),
];
