import type { ServiceType } from './service.events';

export interface RegisterService {
  type: 'RegisterService';
  data: {
    serviceId: string;
    name: unknown;
    regionId: string;
    /** Parsed at the edge. */
    serviceType: ServiceType;
    frameworkId: string;
    openedOn: unknown;
    registeredBy: string;
    now: Date;
  };
}

/**
 * Appoints a manager from a date. An open-ended appointment that started earlier ends the day
 * before; any other overlap is refused (one manager per home at a time).
 */
export interface AppointManager {
  type: 'AppointManager';
  data: {
    serviceId: string;
    managerId: string;
    from: unknown;
    to: unknown;
    appointedBy: string;
    now: Date;
  };
}

export interface EndManagerAppointment {
  type: 'EndManagerAppointment';
  data: { serviceId: string; to: unknown; endedBy: string; now: Date };
}

export type ServiceCommand = RegisterService | AppointManager | EndManagerAppointment;
