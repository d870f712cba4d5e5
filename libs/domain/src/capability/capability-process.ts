import { streamIds } from '../event-types';
import type {
  MonthlyReturnAmended,
  MonthlyReturnSubmitted,
} from '../monthly-return/monthly-return.events';
import { foldEvents } from '../shared/decider';
import type { Period } from '../shared/period';
import {
  evolveServiceFacts,
  monthFactsOf,
  type CapabilityFactEvent,
  type CapabilityServiceFacts,
  type LoggedEvent,
  type MonthFacts,
} from './capability-facts';
import { deriveCounterLedger, monthSlots } from './capability-ledger.policy';
import { capabilityCounterDecider, type CapabilityCounterState } from './capability.decider';
import type {
  CapabilityEvent,
  CapabilityRecordEvent,
  CapabilityReviewRecorded,
  CauseRef,
  CounterRef,
} from './capability.events';

/**
 * The escalation process, pure: it consumes judged returns, appointments and reviews from the
 * log and keeps every (manager, home, KPI) counter's stream in line with what the months show.
 * The PostgreSQL adapter (libs/features/capability) loads a working set for a batch of the log, runs
 * {@link applyToWorkingSet} for each event, then stores the facts and appends what was decided,
 * all in the transaction that moves its checkpoint. Specs run the same code in memory.
 */
export interface CapabilityWorkingSet {
  services: Map<string, CapabilityServiceFacts>;
  months: Map<string, Map<Period, MonthFacts>>;
  /** Framework key → the first month its first version judges. */
  frameworkStarts: Map<string, Period>;
  /** Stream id → the counter's stream. Every counter a batch can touch must be loaded. */
  counters: Map<string, CounterStream>;
  /** What changed, for the adapter to store. */
  changed: { services: Set<string>; months: Set<string>; frameworks: Set<string> };
  /**
   * In memory, a counter not seen before starts empty. The PostgreSQL adapter loads every
   * counter a batch can touch beforehand (a missing one there is a bug, so it throws).
   */
  createMissingCounters: boolean;
}

/** A counter's stream in a working set: what is stored, and what was decided on top of it. */
export interface CounterStream {
  streamId: string;
  storedVersion: number;
  /** The stream folded, including `pending`. */
  state: CapabilityCounterState;
  /** Review id → the stored review event (a record a review caused cites it). */
  reviewCauses: Record<string, CauseRef>;
  /** Decided here, not stored yet: append at `storedVersion`. */
  pending: CapabilityRecordEvent[];
}

export const serviceKey = (tenantId: string, serviceId: string): string =>
  JSON.stringify([tenantId, serviceId]);
export const frameworkKey = (tenantId: string, frameworkId: string): string =>
  JSON.stringify([tenantId, frameworkId]);
export const monthKey = (tenantId: string, serviceId: string, period: Period): string =>
  JSON.stringify([tenantId, serviceId, period]);

export function emptyWorkingSet(
  options: { createMissingCounters?: boolean } = {},
): CapabilityWorkingSet {
  return {
    createMissingCounters: options.createMissingCounters ?? false,
    services: new Map(),
    months: new Map(),
    frameworkStarts: new Map(),
    counters: new Map(),
    changed: { services: new Set(), months: new Set(), frameworks: new Set() },
  };
}

/** A counter's stream as loaded from the store. */
export function loadedCounterStream(
  streamId: string,
  stored: readonly LoggedEvent<CapabilityEvent>[],
): CounterStream {
  const reviewCauses: Record<string, CauseRef> = {};
  for (const event of stored) {
    if (event.type === 'CapabilityReviewRecorded') {
      const data = event.data as CapabilityReviewRecorded['data'];
      reviewCauses[data.reviewId] = causeOf(event as LoggedEvent<CapabilityReviewRecorded>);
    }
  }
  return {
    streamId,
    storedVersion: stored.length,
    state: foldEvents(
      capabilityCounterDecider,
      stored.map((e) => ({ type: e.type, data: e.data }) as CapabilityEvent),
    ),
    reviewCauses,
    pending: [],
  };
}

export const capabilityStreamId = (tenantId: string, counter: Omit<CounterRef, 'regionId'>) =>
  streamIds.capability(tenantId, counter.managerId, counter.serviceId, counter.indicatorCode);

/** Every counter of a home: each manager ever appointed to it × each KPI its returns judged. */
export function countersOfService(
  service: CapabilityServiceFacts,
  months: Iterable<MonthFacts>,
): CounterRef[] {
  const managers = [...new Set(service.appointments.map((a) => a.managerId))];
  const codes = new Set<string>();
  for (const month of months) for (const code of Object.keys(month.results)) codes.add(code);
  return managers.flatMap((managerId) =>
    [...codes].sort().map((indicatorCode) => ({
      managerId,
      serviceId: service.serviceId,
      regionId: service.regionId,
      indicatorCode,
    })),
  );
}

/**
 * Takes the events one command stored (one append: a handover ends one appointment and starts
 * another) into the working set: updates the facts, then recounts every counter they can
 * change, once, and adds what that decides to the counters' pending events. The cause cited
 * is the group's last event.
 */
export function applyToWorkingSet(
  set: CapabilityWorkingSet,
  tenantId: string,
  group:
    | LoggedEvent<CapabilityFactEvent | CapabilityReviewRecorded>
    | readonly LoggedEvent<CapabilityFactEvent | CapabilityReviewRecorded>[],
): void {
  const events = Array.isArray(group)
    ? group
    : [group as LoggedEvent<CapabilityFactEvent | CapabilityReviewRecorded>];
  const last = events[events.length - 1];
  if (!last) return;
  const toRecount = new Map<string, { serviceId: string; only?: Omit<CounterRef, 'regionId'>[] }>();
  const recount = (serviceId: string, only?: Omit<CounterRef, 'regionId'>) => {
    const key = serviceKey(tenantId, serviceId);
    const known = toRecount.get(key);
    if (known && !known.only) return;
    toRecount.set(key, {
      serviceId,
      only: only ? [...(known?.only ?? []), only] : undefined,
    });
  };
  for (const logged of events) takeFact(set, tenantId, logged, recount);
  const cause = causeOf(last);
  for (const { serviceId, only } of toRecount.values())
    recountService(set, tenantId, serviceId, cause, only);
}

function takeFact(
  set: CapabilityWorkingSet,
  tenantId: string,
  logged: LoggedEvent<CapabilityFactEvent | CapabilityReviewRecorded>,
  recount: (serviceId: string, only?: Omit<CounterRef, 'regionId'>) => void,
): void {
  const event = { type: logged.type, data: logged.data } as
    CapabilityFactEvent | CapabilityReviewRecorded;
  switch (event.type) {
    case 'ServiceRegistered':
    case 'ManagerAppointed':
    case 'ManagerAppointmentEnded': {
      const key = serviceKey(tenantId, event.data.serviceId);
      const facts = evolveServiceFacts(set.services.get(key) ?? null, event);
      if (!facts) return;
      set.services.set(key, facts);
      set.changed.services.add(key);
      recount(event.data.serviceId);
      return;
    }
    case 'KpiFrameworkVersionPublished': {
      const key = frameworkKey(tenantId, event.data.frameworkId);
      const known = set.frameworkStarts.get(key);
      if (known !== undefined && known <= event.data.effectiveFrom) return;
      set.frameworkStarts.set(key, event.data.effectiveFrom);
      set.changed.frameworks.add(key);
      for (const [key, service] of set.services) {
        if (service.frameworkId !== event.data.frameworkId) continue;
        if ((JSON.parse(key) as string[])[0] !== tenantId) continue;
        recount(service.serviceId);
      }
      return;
    }
    case 'MonthlyReturnSubmitted':
    case 'MonthlyReturnAmended': {
      const key = serviceKey(tenantId, event.data.serviceId);
      const months = set.months.get(key) ?? new Map<Period, MonthFacts>();
      months.set(
        event.data.period,
        monthFactsOf(
          logged as LoggedEvent<MonthlyReturnSubmitted> | LoggedEvent<MonthlyReturnAmended>,
        ),
      );
      set.months.set(key, months);
      set.changed.months.add(monthKey(tenantId, event.data.serviceId, event.data.period));
      recount(event.data.serviceId);
      return;
    }
    case 'CapabilityReviewRecorded': {
      const streamId = capabilityStreamId(tenantId, event.data);
      const stream = set.counters.get(streamId);
      if (stream && !stream.reviewCauses[event.data.reviewId]) {
        // The review was stored after the stream was loaded (in-memory models): take it in.
        stream.reviewCauses[event.data.reviewId] = causeOf(logged);
        stream.state = capabilityCounterDecider.evolve(stream.state, event);
        stream.storedVersion += 1;
      }
      recount(event.data.serviceId, event.data);
      return;
    }
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}

function recountService(
  set: CapabilityWorkingSet,
  tenantId: string,
  serviceId: string,
  cause: CauseRef,
  only?: readonly Omit<CounterRef, 'regionId'>[],
): void {
  const key = serviceKey(tenantId, serviceId);
  const service = set.services.get(key);
  if (!service) return; // returns of a service the log never registered: nothing to count
  const months = set.months.get(key) ?? new Map<Period, MonthFacts>();
  const frameworkStart =
    set.frameworkStarts.get(frameworkKey(tenantId, service.frameworkId)) ?? null;
  const slots = monthSlots(service, frameworkStart, months);
  for (const counter of countersOfService(service, months.values())) {
    if (
      only &&
      !only.some(
        (c) => c.managerId === counter.managerId && c.indicatorCode === counter.indicatorCode,
      )
    )
      continue;
    const streamId = capabilityStreamId(tenantId, counter);
    let stream = set.counters.get(streamId);
    if (!stream && set.createMissingCounters) {
      stream = loadedCounterStream(streamId, []);
      set.counters.set(streamId, stream);
    }
    if (!stream) throw new Error(`The working set has no stream ${streamId}: load it first`);
    const ledger = deriveCounterLedger({
      counter,
      service,
      frameworkStart,
      months,
      reviews: stream.state.reviews,
      slots,
    });
    const events = capabilityCounterDecider.decide(
      {
        type: 'ReconcileCapabilityCounter',
        data: { counter, ledger, cause, reviewCauses: stream.reviewCauses },
      },
      stream.state,
    ) as CapabilityRecordEvent[];
    for (const decided of events) {
      stream.state = capabilityCounterDecider.evolve(stream.state, decided);
      stream.pending.push(decided);
    }
  }
}

/** The stored event that made the process look again, with a sentence saying what it was. */
export function causeOf(
  logged: LoggedEvent<CapabilityFactEvent | CapabilityReviewRecorded>,
): CauseRef {
  const event = { type: logged.type, data: logged.data } as
    CapabilityFactEvent | CapabilityReviewRecorded;
  const base = {
    eventId: logged.eventId,
    globalPosition: logged.globalPosition,
    streamId: logged.streamId,
    type: logged.type,
    by: logged.actor,
  };
  switch (event.type) {
    case 'MonthlyReturnSubmitted':
      return {
        ...base,
        at: event.data.submittedAt,
        description: `The ${event.data.period} return of ${event.data.serviceId} was submitted by ${event.data.submittedBy}`,
      };
    case 'MonthlyReturnAmended': {
      const data: MonthlyReturnAmended['data'] = event.data;
      return {
        ...base,
        at: data.amendedAt,
        // Not the reason: it can name people, and is kept apart from the trail (the why opens it).
        description: `The ${data.period} return of ${data.serviceId} was amended by ${data.amendedBy} (amendment ${data.amendmentNumber})`,
      };
    }
    case 'ManagerAppointed':
      return {
        ...base,
        at: event.data.appointedAt,
        description: `${event.data.managerId} was appointed to ${event.data.serviceId} from ${event.data.from}${event.data.to ? ` to ${event.data.to}` : ''}`,
      };
    case 'ManagerAppointmentEnded':
      return {
        ...base,
        at: event.data.endedAt,
        description: `${event.data.managerId}'s appointment to ${event.data.serviceId} ended on ${event.data.to}`,
      };
    case 'ServiceRegistered':
      return {
        ...base,
        at: event.data.registeredAt,
        description: `${event.data.serviceId} was registered, open from ${event.data.openedOn}`,
      };
    case 'KpiFrameworkVersionPublished':
      return {
        ...base,
        at: event.data.publishedAt,
        description: `Version ${event.data.version} of framework ${event.data.frameworkId} was published, in force from ${event.data.effectiveFrom}`,
      };
    case 'CapabilityReviewRecorded':
      return {
        ...base,
        at: event.data.recordedAt,
        description: `The Stage 3 review held by ${event.data.heldBy} on ${event.data.heldOn} concluded ${event.data.outcome}`,
      };
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}
