import type {
  CapabilityAppealRecorded,
  CapabilityEvent,
  CapabilityReviewRecorded,
  CapabilityStage,
  CapabilityStageEntered,
  CapabilityStageResolved,
  CauseRef,
  MonthEvidence,
  Period,
} from '@kpi/domain';

/**
 * What a timeline row keeps of an event's data: all of it but the reasons of a review or an
 * appeal, which can name people: they are read from the counter's stream and opened from the
 * personal-data vault when shown (`capability-reasons.ts`), so a row never holds them.
 */
export type KeptData<Event extends CapabilityEvent> = Event extends
  CapabilityReviewRecorded | CapabilityAppealRecorded
  ? Omit<Event['data'], 'reasons'>
  : Event['data'];

/**
 * One capability event as a timeline row keeps it: where it sits on the counter's stream and
 * its data as stored (but reasons). A union over the capability events, so a fold can switch
 * on `type`.
 */
export type TimelineEventRecord<Event extends CapabilityEvent = CapabilityEvent> =
  Event extends unknown
    ? {
        type: Event['type'];
        eventId: string;
        streamId: string;
        /** Orders the events of one counter (they all live on its stream). */
        streamVersion: number;
        globalPosition: number;
        /** ISO-8601: when the store recorded it (what "as of" compares). */
        recordedAt: string;
        data: KeptData<Event>;
      }
    : never;

/**
 * Where a record came from on the log, for links to the event itself. `recordedAt` is the
 * store's time (what "as of" compares); on reviews and appeals it replaces the `recordedAt`
 * their data carries (the command's clock, a moment earlier).
 */
export interface TimelineEventStamp {
  eventId: string;
  globalPosition: number;
  recordedAt: string;
}

/** Most important first: a withdrawn stage never happened, whatever else was written about it. */
export type TimelineEntryStatus = 'withdrawn' | 'resolved' | 'escalated' | 'open';

/** One line of an entry's history: what happened, in words, and what made it happen. */
export interface TimelineHistoryItem {
  type: CapabilityEvent['type'];
  eventId: string;
  globalPosition: number;
  streamVersion: number;
  recordedAt: string;
  /** A short English sentence: `Stage 2 entered for 2026-03 (3 consecutive months missed)`. */
  summary: string;
  /** The stored event that made the process write it; null for reviews and appeals. */
  cause: CauseRef | null;
}

/**
 * One timeline entry — one stage of one run of misses of one counter — as its events show it
 * (as of a moment, or now). A record counts while it is in force: the latest event with its
 * `recordKey` is not a withdrawal (a recount may withdraw a record and later write it again).
 */
export interface TimelineEntry {
  /** `<home>.<KPI>.<first month of the run>.s<stage>`. */
  entryId: string;
  managerId: string;
  serviceId: string;
  regionId: string;
  indicatorCode: string;
  runStart: Period;
  stage: CapabilityStage;
  /** The month whose miss entered the stage. */
  period: Period;
  status: TimelineEntryStatus;
  /** The entry was entered, but the record that entered it is no longer in force. */
  withdrawn: boolean;
  /**
   * The record that entered the stage: the latest one in force, or — when the entry is
   * withdrawn — the latest one written, so a withdrawn entry still says what it was.
   */
  entered: CapabilityStageEntered['data'] & TimelineEventStamp;
  /** The months that count in the entry, oldest first: the run up to the stage, then its misses. */
  months: MonthEvidence[];
  consecutiveMisses: number;
  /** The entry of the later stage this one escalated to, while that escalation is in force. */
  escalatedTo: string | null;
  /** How the stage ended, while that resolution is in force. */
  resolution:
    | (Pick<
        CapabilityStageResolved['data'],
        'reason' | 'period' | 'month' | 'nextManagerId' | 'review' | 'cause'
      > &
        TimelineEventStamp)
    | null;
  /** Stage 3, still open, and no review held for it yet. */
  reviewDue: boolean;
  /** Without their reasons (a row keeps none). */
  reviews: (KeptData<CapabilityReviewRecorded> & TimelineEventStamp)[];
  appeals: (KeptData<CapabilityAppealRecorded> & TimelineEventStamp)[];
  /** Every event counted, in stream order. */
  history: TimelineHistoryItem[];
}

type RecordEventRecord = Exclude<
  TimelineEventRecord,
  { type: 'CapabilityReviewRecorded' | 'CapabilityAppealRecorded' }
>;
type EnteredRecord = TimelineEventRecord<CapabilityStageEntered>;

/**
 * The entry `entryId` as the events (a timeline row's `events`, in any order) show it as of
 * `asOf`: only events recorded by then count (all when `asOf` is undefined), each once. Null
 * when no counted event entered the entry. Pure: the API folds a row's events with it for
 * "as of" views.
 */
export function timelineEntryOf(
  entryId: string,
  events: readonly TimelineEventRecord[],
  asOf?: Date,
): TimelineEntry | null {
  const seen = new Set<string>();
  const counted = events
    .filter((e) => asOf === undefined || Date.parse(e.recordedAt) <= asOf.getTime())
    .filter((e) => {
      if (seen.has(e.eventId)) return false; // the same event twice counts once
      seen.add(e.eventId);
      return true;
    })
    .sort((a, b) => a.streamVersion - b.streamVersion);

  // The latest event of each record decides whether the record is in force.
  const latestByRecord = new Map<string, RecordEventRecord>();
  for (const event of counted) {
    if (event.type === 'CapabilityReviewRecorded' || event.type === 'CapabilityAppealRecorded')
      continue;
    latestByRecord.set(event.data.recordKey, event);
  }
  const inForce = [...latestByRecord.values()]
    .filter((e) => e.type !== 'CapabilityStageWithdrawn' && e.type !== 'CapabilityRecordWithdrawn')
    .sort((a, b) => a.streamVersion - b.streamVersion);

  const enteredThis = (e: TimelineEventRecord): e is EnteredRecord =>
    e.type === 'CapabilityStageEntered' && e.data.entryId === entryId;
  const enteredInForce = inForce.filter(enteredThis).pop();
  const entering = enteredInForce ?? counted.filter(enteredThis).pop();
  if (!entering) return null;
  const withdrawn = enteredInForce === undefined;

  const misses = inForce.flatMap((e) =>
    e.type === 'CapabilityMissCounted' && e.data.entryId === entryId ? [e.data] : [],
  );
  const months = [...entering.data.months, ...misses.map((m) => m.month)].sort((a, b) =>
    a.period.localeCompare(b.period),
  );
  const consecutiveMisses = Math.max(
    entering.data.consecutiveMisses,
    ...misses.map((m) => m.consecutiveMisses),
  );

  const escalation = inForce
    .filter(
      (e): e is EnteredRecord =>
        e.type === 'CapabilityStageEntered' && e.data.previousEntryId === entryId,
    )
    .pop();
  const resolved = inForce
    .filter(
      (e): e is TimelineEventRecord<CapabilityStageResolved> =>
        e.type === 'CapabilityStageResolved' && e.data.entryId === entryId,
    )
    .pop();
  const reviews = counted.flatMap((e) =>
    e.type === 'CapabilityReviewRecorded' && e.data.entryId === entryId
      ? [{ ...e.data, ...stampOf(e) }]
      : [],
  );
  const appeals = counted.flatMap((e) =>
    e.type === 'CapabilityAppealRecorded' && e.data.against.entryId === entryId
      ? [{ ...e.data, ...stampOf(e) }]
      : [],
  );

  const status: TimelineEntryStatus = withdrawn
    ? 'withdrawn'
    : resolved
      ? 'resolved'
      : escalation
        ? 'escalated'
        : 'open';
  const { managerId, serviceId, regionId, indicatorCode, runStart, stage, period } = entering.data;
  return {
    entryId,
    managerId,
    serviceId,
    regionId,
    indicatorCode,
    runStart,
    stage,
    period,
    status,
    withdrawn,
    entered: { ...entering.data, ...stampOf(entering) },
    months,
    consecutiveMisses,
    escalatedTo: escalation?.data.entryId ?? null,
    resolution: resolved
      ? {
          reason: resolved.data.reason,
          period: resolved.data.period,
          month: resolved.data.month,
          nextManagerId: resolved.data.nextManagerId,
          review: resolved.data.review,
          cause: resolved.data.cause,
          ...stampOf(resolved),
        }
      : null,
    reviewDue: stage === 3 && status === 'open' && reviews.length === 0,
    reviews,
    appeals,
    history: counted.map((e) => ({
      type: e.type,
      eventId: e.eventId,
      globalPosition: e.globalPosition,
      streamVersion: e.streamVersion,
      recordedAt: e.recordedAt,
      summary: summaryOf(entryId, e),
      cause: 'cause' in e.data ? e.data.cause : null,
    })),
  };
}

const stampOf = (event: TimelineEventRecord): TimelineEventStamp => ({
  eventId: event.eventId,
  globalPosition: event.globalPosition,
  recordedAt: event.recordedAt,
});

/** What the event says about the entry, in one sentence. */
function summaryOf(entryId: string, event: TimelineEventRecord): string {
  switch (event.type) {
    case 'CapabilityStageEntered': {
      const { data } = event;
      if (data.entryId !== entryId) return `Escalated to Stage ${data.stage} (${data.entryId})`;
      const missed =
        data.consecutiveMisses === 1
          ? '1 month missed'
          : `${data.consecutiveMisses} consecutive months missed`;
      return `Stage ${data.stage} entered for ${data.period} (${missed})`;
    }
    case 'CapabilityMissCounted':
      return `${event.data.period} missed again (${event.data.consecutiveMisses} in a row)`;
    case 'CapabilityStageResolved': {
      const { data } = event;
      switch (data.reason) {
        case 'met':
          return `Resolved: ${data.indicatorCode} met in ${data.period}`;
        case 'not-applicable':
          return `Resolved: ${data.indicatorCode} not applicable in ${data.period}`;
        case 'manager-changed':
          return `Resolved: ${data.nextManagerId} managed the home in ${data.period}`;
        case 'no-manager':
          return `Resolved: nobody managed the home in ${data.period}`;
        case 'review-closed':
          return `Resolved: the review held on ${data.review?.heldOn} closed the case (${data.review?.outcome})`;
        default: {
          const _unexpected: never = data.reason;
          return `Resolved: ${String(data.reason)}`;
        }
      }
    }
    case 'CapabilityStageWithdrawn':
      return event.data.entryId === entryId
        ? `Withdrawn: ${event.data.explanation}`
        : 'Escalation withdrawn';
    case 'CapabilityRecordWithdrawn':
      return event.data.record === 'CapabilityMissCounted'
        ? `Miss of ${event.data.period} withdrawn: ${event.data.explanation}`
        : `Resolution withdrawn: ${event.data.explanation}`;
    case 'CapabilityReviewRecorded': {
      const { data } = event;
      const next = data.nextReviewDue ? ` (next review due ${data.nextReviewDue})` : '';
      return `Review held by ${data.heldBy} on ${data.heldOn}: ${data.outcome}${next}`;
    }
    case 'CapabilityAppealRecorded': {
      const { data } = event;
      const against =
        data.against.kind === 'review'
          ? ` against the review outcome (${data.against.outcome})`
          : '';
      return `Appeal${against} heard by ${data.heardBy} on ${data.heardOn}: ${data.outcome}`;
    }
    default: {
      const _unexpected: never = event;
      return 'Recorded';
    }
  }
}
