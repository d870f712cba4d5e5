import type { MonthlyReturnSubmitted } from '../monthly-return/monthly-return.events';
import { managerOn } from '../organisation/service.decider';
import { lastDayOfMonth } from '../shared/calendar-date';
import { nextPeriod, type Period } from '../shared/period';
import {
  monthFactsOf,
  type CapabilityServiceFacts,
  type LoggedEvent,
  type MonthFacts,
} from './capability-facts';
import {
  deriveCounterLedger,
  extendCounterLedger,
  monthSlots,
  type OpenRun,
} from './capability-ledger.policy';
import {
  capabilityStreamId,
  causeOf,
  countersOfService,
  frameworkKey,
  serviceKey,
  type CapabilityWorkingSet,
} from './capability-process';
import { capabilityCounterDecider } from './capability.decider';
import type { CapabilityRecordEvent } from './capability.events';

/*
 * The escalation process's short way for the commonest event it takes in: a home's return for
 * the month after its latest one (docs/decisions/0042). Counting every counter of the home
 * again from its first month (capability-process.ts) reads the home's whole history; but when
 * every earlier month has its return and no counter has a review, the months before cannot
 * count differently, so the new month only carries each counter's open run one month on. The
 * process keeps, per home, where each counter stands after its latest month (a cursor) and
 * counts the next month from it — the same records, citing the same cause, as the full count.
 * Anything else (an amendment, a late or early month, an appointment, a framework, a review, a
 * KPI or manager the home has not had before) takes the full count, which writes a new cursor.
 */

/** Where the process left one counter of a home: its stream's length and its open run. */
export interface CounterCursor {
  managerId: string;
  indicatorCode: string;
  /** Events stored on the counter's stream (the version the next append expects). */
  version: number;
  run: OpenRun | null;
}

/** Where the process left a home after its latest month. */
export interface HomeCursor {
  /** The latest month with a return; every counted month up to it has its return. */
  latestMonth: Period;
  /** Every counter of the home: each manager it has had × each KPI its returns reported. */
  counters: CounterCursor[];
}

/** What counting the next month decided: the month's facts, the appends, the cursor after. */
export interface NextMonthCounted {
  month: MonthFacts;
  appends: { streamId: string; expectedVersion: number; events: CapabilityRecordEvent[] }[];
  cursor: HomeCursor;
}

/**
 * The cursor of a home in a working set the full count has brought up to date: null when the
 * short way must not be taken next (a month missing in between, a counter with reviews, a
 * counter not loaded).
 */
export function homeCursorOf(
  set: CapabilityWorkingSet,
  tenantId: string,
  serviceId: string,
): HomeCursor | null {
  const key = serviceKey(tenantId, serviceId);
  const service = set.services.get(key);
  const months = set.months.get(key);
  if (!service || !months || months.size === 0) return null;
  const frameworkStart = set.frameworkStarts.get(frameworkKey(tenantId, service.frameworkId));
  if (frameworkStart === undefined) return null;
  const slots = monthSlots(service, frameworkStart, months);
  if (slots.length === 0 || slots.some((slot) => slot.month === undefined)) return null;
  const counters: CounterCursor[] = [];
  for (const counter of countersOfService(service, months.values())) {
    const stream = set.counters.get(capabilityStreamId(tenantId, counter));
    if (!stream || stream.state.reviews.length > 0) return null;
    const { run } = deriveCounterLedger({
      counter,
      service,
      frameworkStart,
      months,
      reviews: [],
      slots,
    });
    counters.push({
      managerId: counter.managerId,
      indicatorCode: counter.indicatorCode,
      version: stream.storedVersion + stream.pending.length,
      run,
    });
  }
  return { latestMonth: slots[slots.length - 1]!.period, counters };
}

/**
 * Counts a return for the month after the cursor's latest from the cursor alone, or says it
 * cannot (null): another month, a KPI the home has not reported before, a manager without
 * counters at the home. A home without a manager has nothing to count: the cursor moves on.
 */
export function countNextMonth(
  cursor: HomeCursor,
  service: CapabilityServiceFacts,
  tenantId: string,
  logged: LoggedEvent<MonthlyReturnSubmitted>,
): NextMonthCounted | null {
  const month = monthFactsOf(logged);
  if (month.period !== nextPeriod(cursor.latestMonth)) return null;
  const codes = new Set(cursor.counters.map((c) => c.indicatorCode));
  const managers = new Set(cursor.counters.map((c) => c.managerId));
  if (service.appointments.some((a) => !managers.has(a.managerId))) return null;
  // A KPI without counters needs new ones, unless the home has no manager to count against
  // (its months are kept; a manager recorded later has them all counted the full way).
  const noManager = service.appointments.length === 0;
  if (!noManager && Object.keys(month.results).some((code) => !codes.has(code))) return null;
  const lastDay = lastDayOfMonth(month.period);
  const managerId = managerOn(service.appointments, lastDay);
  const slot = { period: month.period, lastDay, managerId, month };
  const cause = causeOf(logged);
  const appends: NextMonthCounted['appends'] = [];
  const counters = cursor.counters.map((at): CounterCursor => {
    const counter = {
      managerId: at.managerId,
      serviceId: service.serviceId,
      regionId: service.regionId,
      indicatorCode: at.indicatorCode,
    };
    const ledger = extendCounterLedger(counter, at.run, [slot]);
    const events = capabilityCounterDecider.decide(
      { type: 'ReconcileCapabilityCounter', data: { counter, ledger, cause, reviewCauses: {} } },
      capabilityCounterDecider.initialState(),
    ) as CapabilityRecordEvent[];
    if (events.length > 0)
      appends.push({
        streamId: capabilityStreamId(tenantId, counter),
        expectedVersion: at.version,
        events,
      });
    return { ...at, version: at.version + events.length, run: ledger.run };
  });
  return { month, appends, cursor: { latestMonth: month.period, counters } };
}
