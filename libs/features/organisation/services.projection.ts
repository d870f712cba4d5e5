import type { Appointment, ServiceEvent, ServiceType } from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';

/**
 * A service (home) of a provider: where it sits, which framework judges its returns, and who
 * managed it when. `appointments` (ordered by `from`; `to` inclusive, null when open-ended) lets
 * a query find the manager on any date:
 *
 *     SELECT a->>'managerId' FROM rm_services, jsonb_array_elements(appointments) a
 *      WHERE tenant_id = $1 AND service_id = $2
 *        AND a->>'from' <= $3 AND (a->>'to' IS NULL OR a->>'to' >= $3)
 */
export interface ServiceRow {
  tenantId: string;
  serviceId: string;
  name: string;
  regionId: string;
  serviceType: ServiceType;
  frameworkId: string;
  /** `YYYY-MM-DD`. */
  openedOn: string;
  /**
   * The manager of the open-ended appointment (a home has at most one), or null when every
   * appointment has ended. It may start in the future: for a given date use `appointments`.
   */
  currentManagerId: string | null;
  appointments: Appointment[];
}

export const SERVICE_EVENT_TYPES = [
  'ServiceRegistered',
  'ManagerAppointed',
  'ManagerAppointmentEnded',
] as const satisfies readonly ServiceEvent['type'][];

export function evolveService(
  row: ServiceRow | null,
  event: Recorded<ServiceEvent>,
): ServiceRow | null {
  switch (event.type) {
    case 'ServiceRegistered': {
      const { serviceId, name, regionId, serviceType, frameworkId, openedOn } = event.data;
      return {
        tenantId: event.metadata.tenantId,
        serviceId,
        name,
        regionId,
        serviceType,
        frameworkId,
        openedOn,
        currentManagerId: null,
        appointments: [],
      };
    }
    case 'ManagerAppointed': {
      if (!row) return null; // the decider only appoints to a registered service
      const { managerId, from, to } = event.data;
      return withAppointments(row, [
        // An appointment is identified by its manager and start: the same one twice stays one.
        ...row.appointments.filter((a) => !(a.managerId === managerId && a.from === from)),
        { managerId, from, to },
      ]);
    }
    case 'ManagerAppointmentEnded': {
      if (!row) return null;
      const { managerId, to } = event.data;
      return withAppointments(
        row,
        row.appointments.map((a) =>
          a.to === null && a.managerId === managerId ? { ...a, to } : a,
        ),
      );
    }
    default: {
      const _unexpected: never = event;
      return row;
    }
  }
}

function withAppointments(row: ServiceRow, appointments: Appointment[]): ServiceRow {
  const sorted = [...appointments].sort((a, b) => a.from.localeCompare(b.from));
  return {
    ...row,
    appointments: sorted,
    currentManagerId: sorted.find((a) => a.to === null)?.managerId ?? null,
  };
}

/** The row key: tenant first, so tenants never share a row. */
export const serviceKeyOf = (event: Recorded<ServiceEvent>): string =>
  JSON.stringify([event.metadata.tenantId, event.data.serviceId]);

export const servicesProjection = keyedProjection<ServiceRow>({
  name: 'services',
  version: 1,
  table: 'rm_services',
  eventTypes: SERVICE_EVENT_TYPES,
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'service_id', type: 'text', field: 'serviceId' },
    { name: 'name', type: 'text', field: 'name' },
    { name: 'region_id', type: 'text', field: 'regionId' },
    { name: 'service_type', type: 'text', field: 'serviceType' },
    { name: 'framework_id', type: 'text', field: 'frameworkId' },
    { name: 'opened_on', type: 'date', field: 'openedOn' },
    { name: 'current_manager_id', type: 'text', field: 'currentManagerId', nullable: true },
    { name: 'appointments', type: 'jsonb', field: 'appointments' },
  ],
  indexes: [
    ['tenant_id', 'service_id'],
    ['tenant_id', 'region_id'],
  ],
  keyOf: (event) => {
    const serviceEvent = recordedOneOf<ServiceEvent>(event, SERVICE_EVENT_TYPES);
    return serviceEvent && serviceKeyOf(serviceEvent);
  },
  evolve: (row, event) => {
    const serviceEvent = recordedOneOf<ServiceEvent>(event, SERVICE_EVENT_TYPES);
    return serviceEvent ? evolveService(row, serviceEvent) : row;
  },
});
