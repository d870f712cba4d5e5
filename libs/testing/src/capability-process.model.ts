import {
  applyToWorkingSet,
  CAPABILITY_FACT_EVENT_TYPES,
  capabilityCounterDecider,
  capabilityStreamId,
  CHILDRENS_HOMES_INDICATORS,
  countNextMonth,
  emptyWorkingSet,
  foldEvents,
  homeCursorOf,
  judgeIndicator,
  serviceKey,
  streamIds,
  type CapabilityCommand,
  type CapabilityEvent,
  type CapabilityFactEvent,
  type CapabilityRecordEvent,
  type CapabilityReviewRecorded,
  type CounterRef,
  type HomeCursor,
  type IndicatorValue,
  type LoggedEvent,
  type MonthlyReturnAmended,
  type MonthlyReturnSubmitted,
  type Period,
} from '@kpi/domain';
import { allMet as allMetValues, returnSubmitted } from './monthly-return.builders';

type AnyEvent = { type: string; data: unknown };

/**
 * The escalation process in memory (docs/rules/code-style.md#given-when-then): an event log, its
 * streams, and the very code the worker runs (`applyToWorkingSet`, the counter decider). Specs
 * record facts and read what the process wrote; nothing here talks to a database.
 */
export class CapabilityProcessModel {
  readonly log: LoggedEvent<AnyEvent>[] = [];
  readonly streams = new Map<string, AnyEvent[]>();
  private readonly workingSet = emptyWorkingSet({ createMissingCounters: true });
  private clock = Date.parse('2026-01-01T00:00:00Z');
  /** With `cursors`: where the process left each home (key: serviceKey), as the worker keeps it. */
  private readonly cursors = new Map<string, HomeCursor | null>();
  /** Returns counted the short way (from a home's cursor), with `cursors`. */
  shortWays = 0;

  /**
   * `cursors`: count a return for a home's next month from the home's cursor when it can, as
   * the worker does (capability-next-month.ts), and the full way otherwise.
   */
  constructor(
    readonly tenantId = 'acme',
    private readonly options: { cursors?: boolean } = {},
  ) {}

  /**
   * Stores events on a stream (one append, as one command stores them), lets the process take
   * them, returns what the process wrote.
   */
  record(
    streamId: string,
    events: AnyEvent | readonly AnyEvent[],
    actor = 'user:rm-1',
  ): CapabilityRecordEvent[] {
    const consumed = [...CAPABILITY_FACT_EVENT_TYPES, 'CapabilityReviewRecorded'] as string[];
    const logged = (Array.isArray(events) ? events : [events as AnyEvent])
      .map((event) => this.append(streamId, event, actor))
      .filter((event) => consumed.includes(event.type));
    if (logged.length === 0) return [];
    if (this.options.cursors) {
      const counted = this.countTheShortWay(logged);
      if (counted) return counted;
    }
    applyToWorkingSet(
      this.workingSet,
      this.tenantId,
      logged as LoggedEvent<CapabilityFactEvent | CapabilityReviewRecorded>[],
    );
    const written: CapabilityRecordEvent[] = [];
    for (const stream of this.workingSet.counters.values()) {
      if (stream.pending.length === 0) continue;
      for (const pending of stream.pending)
        this.append(stream.streamId, pending, 'system:capability-process');
      stream.storedVersion += stream.pending.length;
      written.push(...stream.pending);
      stream.pending = [];
    }
    if (this.options.cursors) {
      for (const event of logged) {
        const serviceId = (event.data as { serviceId?: string }).serviceId;
        if (serviceId === undefined) continue;
        this.cursors.set(
          serviceKey(this.tenantId, serviceId),
          homeCursorOf(this.workingSet, this.tenantId, serviceId),
        );
      }
    }
    return written;
  }

  /** A lone return for a home's next month, counted from its cursor (null: the full way). */
  private countTheShortWay(logged: LoggedEvent<AnyEvent>[]): CapabilityRecordEvent[] | null {
    const [event] = logged;
    if (logged.length !== 1 || event!.type !== 'MonthlyReturnSubmitted') return null;
    const submitted = event as LoggedEvent<MonthlyReturnSubmitted>;
    const key = serviceKey(this.tenantId, submitted.data.serviceId);
    const cursor = this.cursors.get(key);
    const service = this.workingSet.services.get(key);
    if (!cursor || !service) return null;
    const counted = countNextMonth(cursor, service, this.tenantId, submitted);
    if (!counted) return null;
    this.shortWays += 1;
    // The facts move on as the full way would have moved them (a later full count reads them).
    const months = this.workingSet.months.get(key)!;
    months.set(counted.month.period, counted.month);
    const written: CapabilityRecordEvent[] = [];
    for (const { streamId, expectedVersion, events } of counted.appends) {
      const stream = this.workingSet.counters.get(streamId)!;
      if (stream.storedVersion !== expectedVersion)
        throw new Error(
          `${streamId} is at ${stream.storedVersion}, the cursor said ${expectedVersion}`,
        );
      for (const decided of events) {
        this.append(streamId, decided, 'system:capability-process');
        stream.state = capabilityCounterDecider.evolve(stream.state, decided);
      }
      stream.storedVersion += events.length;
      written.push(...events);
    }
    this.cursors.set(key, counted.cursor);
    return written;
  }

  /** Runs a command against a counter's stream (reviews, appeals) as the API would. */
  command(
    counter: Omit<CounterRef, 'regionId'>,
    command: CapabilityCommand,
  ): CapabilityRecordEvent[] {
    const streamId = capabilityStreamId(this.tenantId, counter);
    const state = foldEvents(capabilityCounterDecider, this.counterEvents(counter));
    const [event] = capabilityCounterDecider.decide(command, state);
    return event ? this.record(streamId, event, 'user:hr-1') : [];
  }

  counterEvents(counter: Omit<CounterRef, 'regionId'>): CapabilityEvent[] {
    return (this.streams.get(capabilityStreamId(this.tenantId, counter)) ??
      []) as CapabilityEvent[];
  }

  /** Every counter stream's events, by stream id. */
  counterStreams(): Map<string, CapabilityEvent[]> {
    return new Map(
      [...this.streams].filter(([id]) => id.includes(':capability:')) as [
        string,
        CapabilityEvent[],
      ][],
    );
  }

  private append(streamId: string, event: AnyEvent, actor: string): LoggedEvent<AnyEvent> {
    const stream = this.streams.get(streamId) ?? [];
    stream.push({ type: event.type, data: event.data });
    this.streams.set(streamId, stream);
    this.clock += 1000;
    const logged: LoggedEvent<AnyEvent> = {
      eventId: `00000000-0000-4000-8000-${String(this.log.length + 1).padStart(12, '0')}`,
      globalPosition: this.log.length + 1,
      streamId,
      recordedAt: new Date(this.clock).toISOString(),
      actor,
      type: event.type,
      data: event.data,
    };
    this.log.push(logged);
    return logged;
  }
}

/** Builders of the facts the process reads (events, not rows: docs/rules/code-style.md). */
export const capabilityFacts = {
  home(
    tenantId: string,
    serviceId = 'home-02',
    { openedOn = '2026-01-01', regionId = 'north-wales' } = {},
  ): [string, AnyEvent] {
    return [
      streamIds.service(tenantId, serviceId),
      {
        type: 'ServiceRegistered',
        data: {
          serviceId,
          name: serviceId,
          regionId,
          serviceType: 'childrens-home',
          frameworkId: 'childrens-homes',
          openedOn,
          registeredBy: 'user:admin',
          registeredAt: '2025-12-01T09:00:00.000Z',
        },
      },
    ];
  },

  framework(tenantId: string, effectiveFrom = '2025-01'): [string, AnyEvent] {
    return [
      streamIds.kpiFramework(tenantId, 'childrens-homes'),
      {
        type: 'KpiFrameworkVersionPublished',
        data: {
          frameworkId: 'childrens-homes',
          name: "Children's homes",
          version: 1,
          effectiveFrom,
          indicators: CHILDRENS_HOMES_INDICATORS,
          bonusRule: null,
          publishedBy: 'user:admin',
          publishedAt: '2025-01-01T09:00:00.000Z',
        },
      },
    ];
  },

  appointed(
    tenantId: string,
    managerId: string,
    from: string,
    { serviceId = 'home-02', to = null as string | null } = {},
  ): [string, AnyEvent] {
    return [
      streamIds.service(tenantId, serviceId),
      {
        type: 'ManagerAppointed',
        data: {
          serviceId,
          managerId,
          from,
          to,
          appointedBy: 'user:admin',
          appointedAt: '2025-12-01T09:00:00.000Z',
        },
      },
    ];
  },

  /** What AppointManager stores when a new manager takes over: the old appointment ends the day before. */
  handover(
    tenantId: string,
    from: string,
    to: string,
    on: string,
    serviceId = 'home-02',
  ): [string, AnyEvent[]] {
    const dayBefore = new Date(Date.parse(`${on}T00:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    return [
      streamIds.service(tenantId, serviceId),
      [
        capabilityFacts.appointmentEnded(tenantId, from, dayBefore, serviceId)[1],
        capabilityFacts.appointed(tenantId, to, on, { serviceId })[1],
      ],
    ];
  },

  appointmentEnded(
    tenantId: string,
    managerId: string,
    to: string,
    serviceId = 'home-02',
  ): [string, AnyEvent] {
    return [
      streamIds.service(tenantId, serviceId),
      {
        type: 'ManagerAppointmentEnded',
        data: { serviceId, managerId, to, endedBy: 'user:admin', endedAt: `${to}T17:00:00.000Z` },
      },
    ];
  },

  /** A return with every KPI met except `values` given. */
  returned(
    tenantId: string,
    period: string,
    values: Record<string, IndicatorValue> = {},
    { serviceId = 'home-02', by = 'user:rm-gwen' } = {},
  ): [string, AnyEvent] {
    const event = returnSubmitted({
      serviceId,
      period: period as Period,
      values: { ...allMetValues, ...values },
      submittedBy: by,
      submittedAt: `${nextMonth(period)}-12T10:00:00.000Z`,
      dueDate: `${nextMonth(period)}-20`,
    });
    return [streamIds.monthlyReturn(tenantId, serviceId, period), event];
  },

  amended(
    tenantId: string,
    period: string,
    allValues: Record<string, IndicatorValue>,
    { serviceId = 'home-02', amendmentNumber = 1, reason = 'Recounted', by = 'user:rm-gwen' } = {},
  ): [string, AnyEvent] {
    const values = { ...allMetValues, ...allValues };
    const results = Object.fromEntries(
      CHILDRENS_HOMES_INDICATORS.map((i) => [i.code, judgeIndicator(i, values[i.code]!)]),
    );
    const event: MonthlyReturnAmended = {
      type: 'MonthlyReturnAmended',
      data: {
        serviceId,
        period: period as Period,
        frameworkId: 'childrens-homes',
        frameworkVersion: 1,
        amendmentNumber,
        changes: allValues,
        values,
        results,
        bonus: null,
        reason,
        amendedBy: by,
        amendedAt: `${nextMonth(period)}-25T10:00:00.000Z`,
      },
    };
    return [streamIds.monthlyReturn(tenantId, serviceId, period), event];
  },
};

function nextMonth(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}
