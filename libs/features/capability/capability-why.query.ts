import {
  isSealed,
  NotFoundError,
  STAGE_NAMES,
  streamIds,
  type MonthlyReturnFiguresEvent,
  type Period,
} from '@kpi/domain';
import type { EventStore, RecordedEvent } from '@kpi/event-store';
import { openedText, type OpenedPersonalData, type PersonalDataVault } from '@kpi/personal-data';
import { FeatureQuery, type Queryable } from '@kpi/projections';
import { reasonsOf, type CapabilityReading } from './capability-reasons';
import type { TimelineEntry } from './capability-timeline-entry';
import {
  entriesAsOf,
  supervisionSessions,
  timelineEntryView,
  timelineRows,
  type TimelineEntryView,
} from './capability-timeline-view';

/** Why a manager reached the stage of one timeline entry (now, or as known at a moment). */
export interface CapabilityWhyParams {
  managerId: string;
  /** `<home>.<KPI>.<first month of the run>.s<stage>`, checked at the edge. */
  entryId: string;
  asOf?: Date;
  /** Also recompute the hash chains of every stream the answer cites. */
  verify: boolean;
}

/**
 * A return's event as the why shows it; an amendment's reason opened from the vault (the text,
 * or `{ erasedOn }`).
 */
export type WhyReturnEvent = Omit<ReturnType<typeof returnEventView>, 'reason'> & {
  reason: OpenedPersonalData | null;
};

/** A month of the entry with its return's whole stored history (as known at `asOf`). */
export interface WhyMonth {
  period: string;
  outcome: string;
  rag: string;
  value: number | null;
  target: number | null;
  floor: number | null;
  tolerance: number | null;
  frameworkId: string;
  frameworkVersion: number;
  countedFrom: TimelineEntry['months'][number]['source'];
  return: { streamId: string; history: WhyReturnEvent[] };
}

export interface CapabilityWhy {
  question: string;
  answer: string;
  asOf: string | null;
  entry: TimelineEntryView;
  months: WhyMonth[];
  benchmarks: ReturnType<typeof benchmarksOf>;
  stageChanges: (TimelineEntry['history'][number] & { entryId: string })[];
  supervisions: TimelineEntryView['addressedIn'];
  reviews: TimelineEntryView['reviews'];
  appeals: TimelineEntryView['appeals'];
  citedStreams: string[];
  verification: Awaited<ReturnType<typeof verification>> | null;
}

/** The "why" of one timeline entry, each fact with the stored event it rests on. */
export class ReadCapabilityWhy extends FeatureQuery<CapabilityWhyParams, CapabilityWhy> {}

/**
 * The months missed with their values, the benchmarks, each month's return as stored (from its
 * own stream), every stage change of the run, supervisions, reviews and appeals (their reasons
 * opened from the vault). 404 when the manager has no such entry (as known at `asOf`).
 */
export async function readCapabilityWhy(
  db: Queryable,
  tenantId: string,
  { managerId, entryId, asOf, verify }: CapabilityWhyParams,
  { store, clock, vault }: Pick<CapabilityReading, 'store' | 'clock' | 'vault'>,
): Promise<CapabilityWhy> {
  const [serviceId, indicatorCode, runStart] = entryId.split('.') as [string, string, Period];
  const [rows, sessions] = await Promise.all([
    timelineRows(
      db,
      tenantId,
      managerId,
      'service_id = $3 AND indicator_code = $4 AND run_start = $5',
      [serviceId, indicatorCode, runStart],
      'stage',
    ),
    supervisionSessions(db, tenantId, managerId, asOf),
  ]);
  const run = entriesAsOf(rows, asOf);
  const target = run.find((e) => e.entryId === entryId);
  if (!target) {
    throw new NotFoundError(
      `${managerId} has no timeline entry ${entryId}${asOf ? ` as known at ${asOf.toISOString()}` : ''}`,
    );
  }
  const [reasons, months] = await Promise.all([
    reasonsOf(store, vault, tenantId, [target]),
    monthsWithReturns(store, vault, tenantId, target, asOf),
  ]);
  const entry = timelineEntryView(target, rows, sessions, reasons);
  const streams = [
    streamIds.capability(tenantId, managerId, serviceId, indicatorCode),
    ...months.map((m) => m.return.streamId),
  ];
  return {
    question: `Why ${target.status === 'open' ? 'is' : 'was'} ${managerId} at ${STAGE_NAMES[target.stage]} for ${indicatorCode} at ${serviceId}?`,
    answer: answerOf(target, entry),
    asOf: asOf?.toISOString() ?? null,
    entry,
    months,
    benchmarks: benchmarksOf(target),
    // An escalation or its withdrawal is on both stages' rows: the later stage tells it.
    stageChanges: [...run]
      .sort((a, b) => b.stage - a.stage)
      .flatMap((e) => e.history.map((h) => ({ ...h, entryId: e.entryId })))
      .filter((h, i, all) => all.findIndex((o) => o.eventId === h.eventId) === i)
      .sort((a, b) => a.streamVersion - b.streamVersion),
    supervisions: entry.addressedIn,
    reviews: entry.reviews,
    appeals: entry.appeals,
    citedStreams: streams,
    verification: verify ? await verification(store, clock, streams) : null,
  };
}

/**
 * Each month of the entry with its return's whole stored history (as known at `asOf`), the
 * amendments' reasons opened from the vault in one query for all the months.
 */
async function monthsWithReturns(
  store: EventStore,
  vault: PersonalDataVault,
  tenantId: string,
  entry: TimelineEntry,
  asOf?: Date,
): Promise<WhyMonth[]> {
  const streamOf = (period: string) => streamIds.monthlyReturn(tenantId, entry.serviceId, period);
  const streams = await store.readStreams(entry.months.map((m) => streamOf(m.period)));
  const stored = new Map(
    entry.months.map((month) => {
      const streamId = streamOf(month.period);
      const events = (streams.get(streamId) ?? [])
        .filter((e) => e.metadata.tenantId === tenantId)
        .filter((e) => asOf === undefined || e.recordedAt.getTime() <= asOf.getTime())
        // The figures as given: sign-off steps (decision 0037) change none.
        .filter((e) => e.type === 'MonthlyReturnSubmitted' || e.type === 'MonthlyReturnAmended')
        .map((e) => returnEventView(e, entry.indicatorCode));
      return [streamId, events];
    }),
  );
  const reasons = [...stored.values()]
    .flat()
    .flatMap((e) => (isSealed(e.reason) ? [e.reason] : []));
  const opened = await vault.open(tenantId, reasons);
  return entry.months.map((month) => {
    const streamId = streamOf(month.period);
    const history = stored.get(streamId)!.map((e) => ({
      ...e,
      reason: e.reason === null ? null : openedText(e.reason, opened),
    }));
    const { judgement } = month;
    return {
      period: month.period,
      outcome: judgement.outcome,
      rag: judgement.rag,
      value: judgement.value,
      target: judgement.target,
      floor: judgement.floor,
      tolerance: judgement.tolerance,
      frameworkId: month.frameworkId,
      frameworkVersion: month.frameworkVersion,
      countedFrom: month.source,
      return: { streamId, history },
    };
  });
}

async function verification(store: EventStore, clock: () => Date, streams: readonly string[]) {
  const reports = await Promise.all(streams.map((streamId) => store.verify({ streamId })));
  return {
    verifiedAt: clock().toISOString(),
    streamsChecked: reports.reduce((n, r) => n + r.streamsChecked, 0),
    eventsChecked: reports.reduce((n, r) => n + r.eventsChecked, 0),
    brokenLinks: reports.flatMap((r) => r.brokenLinks),
  };
}

function returnEventView(event: RecordedEvent, indicatorCode: string) {
  const returned = { type: event.type, data: event.data } as MonthlyReturnFiguresEvent;
  const submission = returned.type === 'MonthlyReturnSubmitted' ? returned.data : null;
  const amendment = returned.type === 'MonthlyReturnAmended' ? returned.data : null;
  return {
    kind: submission ? ('submission' as const) : ('amendment' as const),
    eventId: event.eventId,
    globalPosition: event.globalPosition,
    streamVersion: event.streamVersion,
    recordedAt: event.recordedAt.toISOString(),
    by: submission?.submittedBy ?? amendment!.amendedBy,
    at: submission?.submittedAt ?? amendment!.amendedAt,
    amendmentNumber: amendment?.amendmentNumber ?? 0,
    reason: amendment?.reason ?? null,
    late: submission?.late ?? null,
    value: returned.data.values[indicatorCode] ?? null,
    judgement: returned.data.results[indicatorCode] ?? null,
    hash: event.hash,
    previousHash: event.previousHash,
  };
}

function benchmarksOf(entry: TimelineEntry) {
  const seen = new Map<
    string,
    {
      frameworkId: string;
      frameworkVersion: number;
      target: number | null;
      floor: number | null;
      tolerance: number | null;
      months: string[];
    }
  >();
  for (const month of entry.months) {
    const key = `${month.frameworkId}@${month.frameworkVersion}`;
    const known = seen.get(key) ?? {
      frameworkId: month.frameworkId,
      frameworkVersion: month.frameworkVersion,
      target: month.judgement.target,
      floor: month.judgement.floor,
      tolerance: month.judgement.tolerance,
      months: [],
    };
    known.months.push(month.period);
    seen.set(key, known);
  }
  return [...seen.values()];
}

/** The answer in one paragraph, from the entry itself. */
function answerOf(entry: TimelineEntry, view: TimelineEntryView): string {
  const months = entry.months;
  const first = months[0]?.period;
  const last = months[months.length - 1]?.period;
  const values = months
    .map((m) => `${m.period}: ${m.judgement.value ?? 'n/a'} (target ${m.judgement.target ?? '—'})`)
    .join(', ');
  const span = first === last ? first : `${first} to ${last}`;
  let answer = `${entry.indicatorCode} was missed ${entry.consecutiveMisses} consecutive month${entry.consecutiveMisses === 1 ? '' : 's'} at ${entry.serviceId} while ${entry.managerId} managed it (${span}; ${values}), which is ${STAGE_NAMES[entry.stage]} in the capability procedure.`;
  if (view.withdrawal) answer += ` The stage was later withdrawn: ${view.withdrawal.explanation}`;
  else if (entry.resolution)
    answer += ` It was resolved (${entry.resolution.reason}${entry.resolution.period ? `, ${entry.resolution.period}` : ''}).`;
  else if (entry.escalatedTo) answer += ` It escalated to ${entry.escalatedTo}.`;
  if (entry.reviewDue) answer += ' A review is due.';
  return answer;
}
