import type { Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-errors';
import { addDays, parseCalendarDate } from '../shared/calendar-date';
import type { ServiceCommand } from './service.commands';
import type { ServiceEvent, ServiceType } from './service.events';

export interface Appointment {
  managerId: string;
  from: string;
  /** null: open-ended. */
  to: string | null;
}

/** A service (home): where it sits, which framework judges it, and who managed it when. */
export type ServiceState =
  | { status: 'none' }
  | {
      status: 'registered';
      serviceId: string;
      name: string;
      regionId: string;
      serviceType: ServiceType;
      frameworkId: string;
      openedOn: string;
      appointments: Appointment[];
    };

export const serviceDecider: Decider<ServiceCommand, ServiceState, ServiceEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'RegisterService': {
        const { serviceId, regionId, frameworkId, registeredBy, now } = command.data;
        if (state.status === 'registered')
          throw new ConflictError(`Service ${serviceId} is already registered`);
        const { name, serviceType } = command.data;
        if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
          throw InvalidCommandError.of('name', 'is required: 1 to 200 characters');
        }
        const openedOn = parseCalendarDate(command.data.openedOn, 'openedOn');
        return [
          {
            type: 'ServiceRegistered',
            data: {
              serviceId,
              name: name.trim(),
              regionId,
              serviceType,
              frameworkId,
              openedOn,
              registeredBy,
              registeredAt: now.toISOString(),
            },
          },
        ];
      }

      case 'AppointManager': {
        const registered = requireRegistered(state, command.data.serviceId);
        const { serviceId, managerId, appointedBy, now } = command.data;
        const from = parseCalendarDate(command.data.from, 'from');
        const to =
          command.data.to === null || command.data.to === undefined
            ? null
            : parseCalendarDate(command.data.to, 'to');
        if (to !== null && to < from)
          throw InvalidCommandError.of('to', `must be on or after from (${from})`);
        const events: ServiceEvent[] = [];
        for (const appointment of registered.appointments) {
          const endsBeforeNew = appointment.to !== null && appointment.to < from;
          const startsAfterNew = to !== null && appointment.from > to;
          if (endsBeforeNew || startsAfterNew) continue;
          if (appointment.to === null && appointment.from < from) {
            // The current manager hands over: their appointment ends the day before.
            events.push({
              type: 'ManagerAppointmentEnded',
              data: {
                serviceId,
                managerId: appointment.managerId,
                to: addDays(from, -1),
                endedBy: appointedBy,
                endedAt: now.toISOString(),
              },
            });
            continue;
          }
          throw new ConflictError(
            `${appointment.managerId} is appointed to ${serviceId} from ${appointment.from}${appointment.to ? ` to ${appointment.to}` : ''}: one manager per home at a time`,
            { appointment },
          );
        }
        events.push({
          type: 'ManagerAppointed',
          data: { serviceId, managerId, from, to, appointedBy, appointedAt: now.toISOString() },
        });
        return events;
      }

      case 'EndManagerAppointment': {
        const registered = requireRegistered(state, command.data.serviceId);
        const { serviceId, endedBy, now } = command.data;
        const to = parseCalendarDate(command.data.to, 'to');
        const open = registered.appointments.find((a) => a.to === null);
        if (!open) throw new ConflictError(`${serviceId} has no open manager appointment to end`);
        if (to < open.from)
          throw InvalidCommandError.of(
            'to',
            `must be on or after the appointment began (${open.from})`,
          );
        return [
          {
            type: 'ManagerAppointmentEnded',
            data: { serviceId, managerId: open.managerId, to, endedBy, endedAt: now.toISOString() },
          },
        ];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ServiceRegistered': {
        const { serviceId, name, regionId, serviceType, frameworkId, openedOn } = event.data;
        return {
          status: 'registered',
          serviceId,
          name,
          regionId,
          serviceType,
          frameworkId,
          openedOn,
          appointments: [],
        };
      }
      case 'ManagerAppointed':
        if (state.status !== 'registered') return state;
        return {
          ...state,
          appointments: [
            ...state.appointments,
            { managerId: event.data.managerId, from: event.data.from, to: event.data.to },
          ].sort((a, b) => a.from.localeCompare(b.from)),
        };
      case 'ManagerAppointmentEnded':
        if (state.status !== 'registered') return state;
        return {
          ...state,
          appointments: state.appointments.map((a) =>
            a.to === null && a.managerId === event.data.managerId ? { ...a, to: event.data.to } : a,
          ),
        };
      default: {
        const unexpected: never = event;
        return unexpected;
      }
    }
  },
};

/** The manager appointed on a date (capability attributes a month to its last day), or null. */
export function managerOn(appointments: readonly Appointment[], date: string): string | null {
  return (
    appointments.find((a) => a.from <= date && (a.to === null || a.to >= date))?.managerId ?? null
  );
}

function requireRegistered(state: ServiceState, serviceId: string) {
  if (state.status !== 'registered') throw new NotFoundError(`No service ${serviceId}`);
  return state;
}
