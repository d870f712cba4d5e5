import {
  addDays,
  firstDayOfMonth,
  nextPeriod,
  STAGE_NAMES,
  type CapabilityStageEntered,
  type CapabilityStageWithdrawn,
  type Period,
} from '@kpi/domain';
import type { Queryable } from '@kpi/projections';
import type { ShownReasons } from './capability-reasons';
import {
  timelineEntryOf,
  type TimelineEntry,
  type TimelineEventRecord,
} from './capability-timeline-entry';
import {
  capabilityTimelineProjection,
  type CapabilityTimelineRow,
} from './capability-timeline.projection';

/*
 * What the timeline and "why" queries share: a manager's timeline rows and supervision sessions,
 * and each entry as the API shows it (with the sessions that addressed it).
 */

/** A supervision session of the manager, as the workforce feature's `rm_supervisions` holds it. */
export interface SupervisionSessionRow {
  supervision_id: string;
  supervisor_id: string;
  date: Date | string;
  kind: string;
  capability_items: { serviceId: string; indicatorCode: string }[];
  recorded_at: Date;
  event_id: string;
  global_position: string;
}

/** The manager's timeline rows matching `where` (after tenant and manager, `$3…`). */
export function timelineRows(
  db: Queryable,
  tenantId: string,
  managerId: string,
  where: string,
  params: readonly unknown[],
  orderBy: string,
): Promise<CapabilityTimelineRow[]> {
  return capabilityTimelineProjection.rows(
    db,
    `tenant_id = $1 AND manager_id = $2${where ? ` AND ${where}` : ''}`,
    [tenantId, managerId, ...params],
    orderBy,
  );
}

/** The entries of `rows` as known at `asOf` (now when undefined); entries not entered yet drop out. */
export function entriesAsOf(
  rows: readonly CapabilityTimelineRow[],
  asOf: Date | undefined,
): TimelineEntry[] {
  return rows
    .map((row) => timelineEntryOf(row.entryId, row.events, asOf))
    .filter((entry): entry is TimelineEntry => entry !== null);
}

/** The manager's supervision sessions recorded by `asOf`, by date (the workforce feature's table). */
export async function supervisionSessions(
  db: Queryable,
  tenantId: string,
  managerId: string,
  asOf?: Date,
): Promise<SupervisionSessionRow[]> {
  const { rows } = await db.query<SupervisionSessionRow>(
    `SELECT supervision_id, supervisor_id, date::text AS date, kind, capability_items, recorded_at, event_id, global_position
       FROM rm_supervisions
      WHERE tenant_id = $1 AND supervisee_id = $2 AND ($3::timestamptz IS NULL OR recorded_at <= $3)
      ORDER BY date`,
    [tenantId, managerId, asOf ?? null],
  );
  return rows;
}

const dateText = (value: Date | string) =>
  value instanceof Date ? value.toISOString().slice(0, 10) : value;

/**
 * A timeline entry as the API shows it: the entry, its events' references, the sessions that
 * addressed it, its reviews and appeals with their reasons (`reasonsOf`).
 */
export type TimelineEntryView = ReturnType<typeof timelineEntryView>;

/** A supervision session that addressed an entry. */
export type SupervisionSessionView = TimelineEntryView['addressedIn'][number];

export function timelineEntryView(
  entry: TimelineEntry,
  rows: readonly CapabilityTimelineRow[],
  sessions: readonly SupervisionSessionRow[],
  reasons: ReadonlyMap<string, ShownReasons>,
) {
  const events = rows.find((r) => r.entryId === entry.entryId)?.events ?? [];
  const counted = (e: TimelineEventRecord) => entry.history.some((h) => h.eventId === e.eventId);
  const withdrawal = events
    .filter(counted)
    .filter(
      (e): e is TimelineEventRecord<CapabilityStageWithdrawn> =>
        e.type === 'CapabilityStageWithdrawn' && e.data.entryId === entry.entryId,
    )
    .pop();
  const escalation = entry.escalatedTo
    ? events
        .filter(counted)
        .filter(
          (e): e is TimelineEventRecord<CapabilityStageEntered> =>
            e.type === 'CapabilityStageEntered' && e.data.entryId === entry.escalatedTo,
        )
        .pop()
    : undefined;
  const window = addressingWindow(entry, escalation?.data.period ?? null);
  const addressedIn = sessions
    .filter((s) => {
      const date = dateText(s.date);
      return (
        s.capability_items.some(
          (i) => i.serviceId === entry.serviceId && i.indicatorCode === entry.indicatorCode,
        ) &&
        date >= window.from &&
        (window.until === null || date < window.until)
      );
    })
    .map((s) => ({
      supervisionId: s.supervision_id,
      date: dateText(s.date),
      kind: s.kind,
      supervisorId: s.supervisor_id,
      eventId: s.event_id,
      globalPosition: Number(s.global_position),
      recordedAt: s.recorded_at.toISOString(),
    }));
  const lastReview = entry.reviews[entry.reviews.length - 1];
  return {
    entryId: entry.entryId,
    managerId: entry.managerId,
    serviceId: entry.serviceId,
    regionId: entry.regionId,
    indicatorCode: entry.indicatorCode,
    stage: entry.stage,
    stageName: STAGE_NAMES[entry.stage],
    runStart: entry.runStart,
    period: entry.period,
    status: entry.status,
    consecutiveMisses: entry.consecutiveMisses,
    months: entry.months.map((m) => ({
      period: m.period,
      outcome: m.judgement.outcome,
      rag: m.judgement.rag,
      value: m.judgement.value,
      target: m.judgement.target,
      floor: m.judgement.floor,
      frameworkVersion: m.frameworkVersion,
      returnEventId: m.source.eventId,
      returnGlobalPosition: m.source.globalPosition,
    })),
    entered: {
      eventId: entry.entered.eventId,
      globalPosition: entry.entered.globalPosition,
      recordedAt: entry.entered.recordedAt,
      cause: entry.entered.cause,
    },
    escalatedTo: entry.escalatedTo,
    resolution: entry.resolution && {
      reason: entry.resolution.reason,
      period: entry.resolution.period,
      nextManagerId: entry.resolution.nextManagerId,
      review: entry.resolution.review,
      eventId: entry.resolution.eventId,
      globalPosition: entry.resolution.globalPosition,
      recordedAt: entry.resolution.recordedAt,
      cause: entry.resolution.cause,
    },
    withdrawal: withdrawal
      ? {
          explanation: withdrawal.data.explanation,
          eventId: withdrawal.eventId,
          globalPosition: withdrawal.globalPosition,
          recordedAt: withdrawal.recordedAt,
          cause: withdrawal.data.cause,
        }
      : null,
    reviewDue: entry.reviewDue,
    nextReviewDue: entry.status === 'open' ? (lastReview?.nextReviewDue ?? null) : null,
    addressed: addressedIn.length > 0,
    addressedIn,
    reviews: entry.reviews.map((r) => ({
      reviewId: r.reviewId,
      heldBy: r.heldBy,
      heldByRole: r.heldByRole,
      heldOn: r.heldOn,
      companionOffered: r.companionOffered,
      outcome: r.outcome,
      furtherReviewMonths: r.furtherReviewMonths,
      nextReviewDue: r.nextReviewDue,
      ...shownReasonsOf(reasons, r.eventId),
      recordedBy: r.recordedBy,
      eventId: r.eventId,
      globalPosition: r.globalPosition,
      recordedAt: r.recordedAt,
    })),
    appeals: entry.appeals.map((a) => ({
      appealId: a.appealId,
      against: a.against,
      heardBy: a.heardBy,
      heardOn: a.heardOn,
      outcome: a.outcome,
      ...shownReasonsOf(reasons, a.eventId),
      recordedBy: a.recordedBy,
      eventId: a.eventId,
      globalPosition: a.globalPosition,
      recordedAt: a.recordedAt,
    })),
    history: entry.history,
  };
}

/** The reasons of the review or appeal stored as `eventId`, as `reasonsOf` read them. */
function shownReasonsOf(reasons: ReadonlyMap<string, ShownReasons>, eventId: string): ShownReasons {
  const shown = reasons.get(eventId);
  if (!shown) throw new Error(`The reasons of event ${eventId} were not read`);
  return shown;
}

/**
 * The dates in which a supervision addresses a stage (docs/decisions/0011): from the first day
 * after the month that entered it, until the first day after the month that escalated or
 * ended it (or the review that closed it); open-ended while the stage is the current one.
 */
function addressingWindow(
  entry: TimelineEntry,
  escalatedIn: Period | null,
): { from: string; until: string | null } {
  const from = firstDayOfMonth(nextPeriod(entry.period));
  if (escalatedIn) return { from, until: firstDayOfMonth(nextPeriod(escalatedIn)) };
  const resolution = entry.resolution;
  if (resolution?.period) return { from, until: firstDayOfMonth(nextPeriod(resolution.period)) };
  if (resolution?.review) return { from, until: addDays(resolution.review.heldOn, 1) };
  return { from, until: null };
}
