/** A home or other service the provider runs, in one of its regions. */
export interface ServiceRegistered {
  type: 'ServiceRegistered';
  data: {
    serviceId: string;
    name: string;
    regionId: string;
    serviceType: ServiceType;
    /** The framework its monthly returns are judged by. */
    frameworkId: string;
    /** `YYYY-MM-DD`: returns are due from the month it opened. */
    openedOn: string;
    registeredBy: string;
    registeredAt: string;
  };
}

/** A manager takes charge of the service from `from` (inclusive) until `to` (inclusive) or open-ended. */
export interface ManagerAppointed {
  type: 'ManagerAppointed';
  data: {
    serviceId: string;
    managerId: string;
    from: string;
    to: string | null;
    appointedBy: string;
    appointedAt: string;
  };
}

/** An open appointment ends on `to` (inclusive). */
export interface ManagerAppointmentEnded {
  type: 'ManagerAppointmentEnded';
  data: { serviceId: string; managerId: string; to: string; endedBy: string; endedAt: string };
}

export type ServiceEvent = ServiceRegistered | ManagerAppointed | ManagerAppointmentEnded;

export const SERVICE_TYPES = [
  'childrens-home',
  'care-at-home',
  'residential',
  'supported-living',
  'day-service',
  'respite',
  'work-and-training',
] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];
