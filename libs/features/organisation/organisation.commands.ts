import { FeatureCommand, type CommandOutcome, type EntityId } from '@kpi/command-handling';
import type {
  OrganisationEvent,
  OrganisationKind,
  OrganisationState,
  RegionEvent,
  RegionState,
  ServiceEvent,
  ServiceState,
  ServiceType,
} from '@kpi/domain';

/*
 * The organisation's commands, with their inputs parsed at the edge (ids are EntityIds, kinds
 * and service types one of theirs). Names and dates are checked by the deciders: the 1–200
 * character rule for names is the domain's, and there is no parsed calendar-date type yet.
 */

/** The caller's tenant as an organisation. */
export interface RegisterOrganisationInput {
  name: string;
  kind: OrganisationKind;
}

export interface RegisterRegionInput {
  regionId: EntityId;
  name: string;
  regionalManagerId: EntityId;
}

export interface AssignRegionalManagerInput {
  regionId: EntityId;
  regionalManagerId: EntityId;
}

export interface RegisterServiceInput {
  serviceId: EntityId;
  name: string;
  regionId: EntityId;
  serviceType: ServiceType;
  frameworkId: EntityId;
  /** `YYYY-MM-DD`, checked by the service decider. */
  openedOn: string;
}

export interface AppointManagerInput {
  serviceId: EntityId;
  managerId: EntityId;
  /** `YYYY-MM-DD`, checked by the service decider. */
  from: string;
  /** `YYYY-MM-DD`; null or left out: open-ended. */
  to?: string | null;
}

export interface EndManagerAppointmentInput {
  serviceId: EntityId;
  /** `YYYY-MM-DD`: the last day in charge. */
  to: string;
}

/** What an organisation command answers: the stream it wrote, its events and state after. */
export type OrganisationOutcome = CommandOutcome<OrganisationEvent, OrganisationState>;
export type RegionOutcome = CommandOutcome<RegionEvent, RegionState>;
export type ServiceOutcome = CommandOutcome<ServiceEvent, ServiceState>;

export class RegisterOrganisation extends FeatureCommand<
  RegisterOrganisationInput,
  OrganisationOutcome
> {}

export class RegisterRegion extends FeatureCommand<RegisterRegionInput, RegionOutcome> {}

export class AssignRegionalManager extends FeatureCommand<
  AssignRegionalManagerInput,
  RegionOutcome
> {}

export class RegisterService extends FeatureCommand<RegisterServiceInput, ServiceOutcome> {}

export class AppointManager extends FeatureCommand<AppointManagerInput, ServiceOutcome> {}

export class EndManagerAppointment extends FeatureCommand<
  EndManagerAppointmentInput,
  ServiceOutcome
> {}
