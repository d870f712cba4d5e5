import type { Judgement } from '../kpi/judge-indicator.policy';
import type { KpiFrameworkVersionPublished } from '../kpi-framework/kpi-framework.events';
import type {
  MonthlyReturnAmended,
  MonthlyReturnSubmitted,
} from '../monthly-return/monthly-return.events';
import type { Appointment } from '../organisation/service.decider';
import type {
  ManagerAppointed,
  ManagerAppointmentEnded,
  ServiceRegistered,
} from '../organisation/service.events';
import type { Period } from '../shared/period';
import type { ReturnRef } from './capability.events';

/**
 * What the escalation process knows of one home: enough to count every (manager, KPI) of it.
 * Built only from stored events, so the same log always gives the same facts.
 */
export interface CapabilityServiceFacts {
  serviceId: string;
  regionId: string;
  frameworkId: string;
  /** The month the home opened: returns are due from it. */
  openedIn: Period;
  appointments: Appointment[];
}

/** A month's return as last judged: every KPI's judgement and the event it came from. */
export interface MonthFacts {
  period: Period;
  frameworkId: string;
  frameworkVersion: number;
  results: Record<string, Judgement>;
  source: ReturnRef;
}

/** A stored event as the process reads it from the log. */
export interface LoggedEvent<Event extends { type: string; data: unknown }> {
  eventId: string;
  globalPosition: number;
  streamId: string;
  /** When the store recorded it (ISO-8601). */
  recordedAt: string;
  /** The event metadata's actor. */
  actor: string;
  type: Event['type'];
  data: Event['data'];
}

/** The events (besides its own stream's reviews) the escalation process consumes. */
export type CapabilityFactEvent =
  | ServiceRegistered
  | ManagerAppointed
  | ManagerAppointmentEnded
  | KpiFrameworkVersionPublished
  | MonthlyReturnSubmitted
  | MonthlyReturnAmended;

export const CAPABILITY_FACT_EVENT_TYPES = [
  'ServiceRegistered',
  'ManagerAppointed',
  'ManagerAppointmentEnded',
  'KpiFrameworkVersionPublished',
  'MonthlyReturnSubmitted',
  'MonthlyReturnAmended',
] as const satisfies readonly CapabilityFactEvent['type'][];

/** A home's facts after a service event (registration or an appointment). */
export function evolveServiceFacts(
  facts: CapabilityServiceFacts | null,
  event: ServiceRegistered | ManagerAppointed | ManagerAppointmentEnded,
): CapabilityServiceFacts | null {
  switch (event.type) {
    case 'ServiceRegistered': {
      const { serviceId, regionId, frameworkId, openedOn } = event.data;
      return {
        serviceId,
        regionId,
        frameworkId,
        openedIn: openedOn.slice(0, 7) as Period,
        appointments: facts?.appointments ?? [],
      };
    }
    case 'ManagerAppointed': {
      if (!facts) return facts;
      const { managerId, from, to } = event.data;
      return {
        ...facts,
        appointments: [...facts.appointments, { managerId, from, to }].sort((a, b) =>
          a.from.localeCompare(b.from),
        ),
      };
    }
    case 'ManagerAppointmentEnded': {
      if (!facts) return facts;
      const { managerId, to } = event.data;
      return {
        ...facts,
        appointments: facts.appointments.map((a) =>
          a.to === null && a.managerId === managerId ? { ...a, to } : a,
        ),
      };
    }
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}

/** A month's facts after its return was submitted or amended (the latest judgement counts). */
export function monthFactsOf(
  logged: LoggedEvent<MonthlyReturnSubmitted> | LoggedEvent<MonthlyReturnAmended>,
): MonthFacts {
  const isSubmission = logged.type === 'MonthlyReturnSubmitted';
  const data = logged.data;
  return {
    period: data.period,
    frameworkId: data.frameworkId,
    frameworkVersion: data.frameworkVersion,
    results: data.results,
    source: {
      streamId: logged.streamId,
      eventId: logged.eventId,
      globalPosition: logged.globalPosition,
      type: logged.type,
      amendmentNumber: isSubmission ? 0 : (data as MonthlyReturnAmended['data']).amendmentNumber,
      by: isSubmission
        ? (data as MonthlyReturnSubmitted['data']).submittedBy
        : (data as MonthlyReturnAmended['data']).amendedBy,
      at: isSubmission
        ? (data as MonthlyReturnSubmitted['data']).submittedAt
        : (data as MonthlyReturnAmended['data']).amendedAt,
    },
  };
}
