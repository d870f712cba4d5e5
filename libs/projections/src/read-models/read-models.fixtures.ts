import { randomUUID } from 'node:crypto';
import {
  CHILDRENS_HOMES_BONUS_RULE,
  CHILDRENS_HOMES_FRAMEWORK_ID,
  CHILDRENS_HOMES_INDICATORS,
  foldEvents,
  monthlyReturnDecider,
  type FrameworkVersion,
  type ManagerAppointed,
  type ManagerAppointmentEnded,
  type MonthlyReturnAmended,
  type MonthlyReturnEvent,
  type Period,
  type RegionalManagerAssigned,
  type RegionRegistered,
  type ServiceRegistered,
} from '@kpi/domain';
import type { EventMetadata, NewEvent } from '@kpi/event-store';
import type { Recorded } from './recorded-domain-event';

/*
 * For the read models' specs only: builders that emit domain events (STYLE.md 8) and the
 * envelopes the log wraps them in. Monthly-return submissions come from @kpi/testing
 * (`returnSubmitted`); amendments are made by the real decider, so they carry what it writes.
 */

type DomainEvent = { type: string; data: unknown };

const metadataOf = (tenantId: string): EventMetadata => ({
  tenantId,
  actor: 'user:fixture',
  correlationId: null,
  causationId: null,
  commandId: null,
});

let position = 0;

/** Where and when the log holds a fixture event (defaults: one fixed stream, version and time). */
export interface RecordedOptions {
  tenantId?: string;
  eventId?: string;
  streamId?: string;
  streamVersion?: number;
  /** ISO-8601. */
  recordedAt?: string;
}

/** A domain event as the runner hands it to a projection. */
export function recorded<Event extends DomainEvent>(
  event: Event,
  {
    tenantId = 'acme',
    eventId = randomUUID(),
    streamId = 'fixture',
    streamVersion = 1,
    recordedAt = '2026-10-25T12:00:00Z',
  }: RecordedOptions = {},
): Recorded<Event> {
  position += 1;
  return {
    eventId,
    streamId,
    streamVersion,
    globalPosition: position,
    transactionId: position,
    type: event.type,
    schemaVersion: 1,
    storedSchemaVersion: 1,
    data: event.data,
    metadata: metadataOf(tenantId),
    recordedAt: new Date(recordedAt),
    effectiveAt: new Date(recordedAt),
    previousHash: '',
    hash: '',
  } as Recorded<Event>;
}

/** A domain event ready to append for a tenant. */
export const toAppend = (tenantId: string, event: DomainEvent): NewEvent => ({
  eventId: randomUUID(),
  type: event.type,
  data: event.data,
  metadata: metadataOf(tenantId),
});

export const regionRegistered = (
  data: Partial<RegionRegistered['data']> = {},
): RegionRegistered => ({
  type: 'RegionRegistered',
  data: {
    regionId: 'north',
    name: 'North',
    regionalManagerId: 'rm-1',
    registeredBy: 'user:admin',
    registeredAt: '2025-01-02T09:00:00.000Z',
    ...data,
  },
});

export const regionalManagerAssigned = (
  data: Partial<RegionalManagerAssigned['data']> = {},
): RegionalManagerAssigned => ({
  type: 'RegionalManagerAssigned',
  data: {
    regionId: 'north',
    regionalManagerId: 'rm-2',
    assignedBy: 'user:admin',
    assignedAt: '2026-03-01T09:00:00.000Z',
    ...data,
  },
});

export const serviceRegistered = (
  data: Partial<ServiceRegistered['data']> = {},
): ServiceRegistered => ({
  type: 'ServiceRegistered',
  data: {
    serviceId: 'home-17',
    name: 'Oak House',
    regionId: 'north',
    serviceType: 'childrens-home',
    frameworkId: CHILDRENS_HOMES_FRAMEWORK_ID,
    openedOn: '2025-01-06',
    registeredBy: 'user:admin',
    registeredAt: '2025-01-02T09:00:00.000Z',
    ...data,
  },
});

export const managerAppointed = (
  data: Partial<ManagerAppointed['data']> = {},
): ManagerAppointed => ({
  type: 'ManagerAppointed',
  data: {
    serviceId: 'home-17',
    managerId: 'hm-1',
    from: '2025-01-06',
    to: null,
    appointedBy: 'user:admin',
    appointedAt: '2025-01-02T09:00:00.000Z',
    ...data,
  },
});

export const managerAppointmentEnded = (
  data: Partial<ManagerAppointmentEnded['data']> = {},
): ManagerAppointmentEnded => ({
  type: 'ManagerAppointmentEnded',
  data: {
    serviceId: 'home-17',
    managerId: 'hm-1',
    to: '2026-06-30',
    endedBy: 'user:admin',
    endedAt: '2026-06-01T09:00:00.000Z',
    ...data,
  },
});

const childrensHomes: FrameworkVersion = {
  frameworkId: CHILDRENS_HOMES_FRAMEWORK_ID,
  name: "Children's homes",
  version: 1,
  effectiveFrom: '2025-01' as Period,
  indicators: CHILDRENS_HOMES_INDICATORS,
  bonusRule: CHILDRENS_HOMES_BONUS_RULE,
};

/** The amendment the monthly-return decider makes to a return with this history. */
export function returnAmended(
  history: readonly MonthlyReturnEvent[],
  values: Record<string, unknown>,
  {
    reason = 'Values corrected after the audit',
    amendedBy = 'user:rm-1',
    amendedAt = '2026-10-25T14:00:00.000Z',
  }: { reason?: string; amendedBy?: string; amendedAt?: string } = {},
): MonthlyReturnAmended {
  const state = foldEvents(monthlyReturnDecider, history);
  if (state.status !== 'submitted') throw new Error('returnAmended needs a submitted return');
  const [event] = monthlyReturnDecider.decide(
    {
      type: 'AmendMonthlyReturn',
      data: {
        serviceId: state.serviceId,
        period: state.period,
        values,
        reason,
        framework: childrensHomes,
        amendedBy,
        now: new Date(amendedAt),
      },
    },
    state,
  );
  return event as MonthlyReturnAmended;
}
