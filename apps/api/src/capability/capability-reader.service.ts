import {
  addDays,
  firstDayOfMonth,
  londonDateOf,
  nextPeriod,
  STAGE_NAMES,
  streamIds,
  type CapabilityStageEntered,
  type CapabilityStageWithdrawn,
  type MonthlyReturnEvent,
  type Period,
} from '@kpi/domain';
import type { EventStore, RecordedEvent } from '@kpi/event-store';
import {
  timelineEntryOf,
  type TimelineEntry,
  type TimelineEventRecord,
} from '@kpi/features/capability';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Pool } from 'pg';
import { CLOCK, EVENT_STORE, PG_POOL } from '../infrastructure/injection-tokens';
import type {
  CounterDto,
  RegionStagesDto,
  StagesByRegionDto,
  SupervisionSessionDto,
  TimelineDto,
  TimelineEntryDto,
  WhyDto,
  WhyMonthDto,
} from './capability.dto';
import { DEFAULT_COUNTERS_LIMIT, MAX_COUNTERS_LIMIT, type CountersPage } from './capability.query';

interface TimelineRow {
  entry_id: string;
  events: TimelineEventRecord[];
}

interface SupervisionRow {
  supervision_id: string;
  supervisor_id: string;
  date: Date | string;
  kind: string;
  capability_items: { serviceId: string; indicatorCode: string }[];
  recorded_at: Date;
  event_id: string;
  global_position: string;
}

const dateText = (value: Date | string) =>
  value instanceof Date ? value.toISOString().slice(0, 10) : value;

/**
 * The capability read side: counters, each manager's timeline (now or as known at a moment)
 * and the "why" of any entry. Reads rm_capability_timeline, rm_capability_counters and
 * rm_supervisions; "why" also reads the returns it cites from their own streams, so each month
 * comes with its submission and every amendment as stored.
 */
@Injectable()
export class CapabilityReader {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  async timeline(tenantId: string, managerId: string, asOf?: Date): Promise<TimelineDto> {
    const [rows, sessions] = await Promise.all([
      this.pool.query<TimelineRow>(
        `SELECT entry_id, events FROM rm_capability_timeline
          WHERE tenant_id = $1 AND manager_id = $2 AND ($3::timestamptz IS NULL OR first_recorded_at <= $3)
          ORDER BY run_start, service_id, indicator_code, stage`,
        [tenantId, managerId, asOf ?? null],
      ),
      this.supervisions(tenantId, managerId, asOf),
    ]);
    const entries = rows.rows
      .map((row) => timelineEntryOf(row.entry_id, row.events, asOf))
      .filter((entry): entry is TimelineEntry => entry !== null)
      .map((entry) => this.entryDto(entry, rows.rows, sessions));
    return {
      managerId,
      asOf: asOf?.toISOString() ?? null,
      openStages: entries.filter((e) => e.status === 'open').length,
      entries,
    };
  }

  async why(
    tenantId: string,
    managerId: string,
    entryId: string,
    options: { asOf?: Date; verify: boolean },
  ): Promise<WhyDto> {
    const { asOf } = options;
    const [serviceId, indicatorCode, runStart] = entryId.split('.') as [string, string, Period];
    const [rows, sessions] = await Promise.all([
      this.pool.query<TimelineRow>(
        `SELECT entry_id, events FROM rm_capability_timeline
          WHERE tenant_id = $1 AND manager_id = $2 AND service_id = $3 AND indicator_code = $4 AND run_start = $5
          ORDER BY stage`,
        [tenantId, managerId, serviceId, indicatorCode, runStart],
      ),
      this.supervisions(tenantId, managerId, asOf),
    ]);
    const run = rows.rows
      .map((row) => timelineEntryOf(row.entry_id, row.events, asOf))
      .filter((entry): entry is TimelineEntry => entry !== null);
    const target = run.find((e) => e.entryId === entryId);
    if (!target) {
      throw new NotFoundException(
        `${managerId} has no timeline entry ${entryId}${asOf ? ` as known at ${asOf.toISOString()}` : ''}`,
      );
    }
    const entry = this.entryDto(target, rows.rows, sessions);
    const months = await this.monthsWithReturns(tenantId, target, asOf);
    const streams = [
      streamIds.capability(tenantId, managerId, serviceId, indicatorCode),
      ...months.map((m) => m.return.streamId),
    ];
    const verification = options.verify ? await this.verify(streams) : null;
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
      verification,
    };
  }

  async counters(
    tenantId: string,
    query: CountersPage,
  ): Promise<{ counters: CounterDto[]; nextOffset: number | null }> {
    const limit = query.limit ?? DEFAULT_COUNTERS_LIMIT;
    const offset = query.offset ?? 0;
    const { rows } = await this.pool.query<CounterRow>(
      `SELECT manager_id, service_id, region_id, indicator_code, consecutive_misses, stage, run_start,
              open_entry_id, last_missed_period, review_due, last_review_on::text, next_review_due::text, updated_at
         FROM rm_capability_counters
        WHERE tenant_id = $1 AND stage >= $2
          AND ($3::text IS NULL OR manager_id = $3) AND ($4::text IS NULL OR service_id = $4)
          AND ($5::text IS NULL OR region_id = $5)
        ORDER BY stage DESC, consecutive_misses DESC, manager_id, service_id, indicator_code
        LIMIT $6 OFFSET $7`,
      [
        tenantId,
        query.minStage ?? 1,
        query.managerId ?? null,
        query.serviceId ?? null,
        query.regionId ?? null,
        limit + 1,
        offset,
      ],
    );
    const today = londonDateOf(this.clock());
    return {
      counters: rows.slice(0, limit).map((row) => counterDto(row, today)),
      nextOffset: rows.length > limit ? offset + limit : null,
    };
  }

  /**
   * Managers by their highest open stage in each region, counted by PostgreSQL; the managers
   * themselves (with their open counters) for one region when `regionId` is given.
   */
  async stagesByRegion(tenantId: string, regionId?: string): Promise<StagesByRegionDto> {
    const today = londonDateOf(this.clock());
    const [counts, regions, managers] = await Promise.all([
      this.pool.query<{ region_id: string; stage: number; managers: string; reviews_due: string }>(
        `SELECT region_id, stage, count(*) AS managers, count(*) FILTER (WHERE review_due) AS reviews_due
           FROM (SELECT region_id, manager_id, max(stage) AS stage,
                        bool_or(stage = 3 AND (review_due OR next_review_due <= $2::date)) AS review_due
                   FROM rm_capability_counters
                  WHERE tenant_id = $1 AND stage >= 1 AND ($3::text IS NULL OR region_id = $3)
                  GROUP BY region_id, manager_id) AS by_manager
          GROUP BY region_id, stage`,
        [tenantId, today, regionId ?? null],
      ),
      this.pool.query<{ region_id: string; name: string }>(
        `SELECT region_id, name FROM rm_regions
          WHERE tenant_id = $1 AND ($2::text IS NULL OR region_id = $2) ORDER BY name`,
        [tenantId, regionId ?? null],
      ),
      regionId === undefined
        ? Promise.resolve(null)
        : this.counters(tenantId, { regionId, minStage: 1, limit: MAX_COUNTERS_LIMIT }),
    ]);
    const byRegion = new Map<string, RegionStagesDto>(
      regions.rows.map((r) => [r.region_id, emptyRegion(r.region_id, r.name)]),
    );
    for (const row of counts.rows) {
      const region = byRegion.get(row.region_id) ?? emptyRegion(row.region_id, row.region_id);
      byRegion.set(row.region_id, region);
      region.managersAtStage[`stage${row.stage}` as 'stage1' | 'stage2' | 'stage3'] = Number(
        row.managers,
      );
      region.reviewsDue += Number(row.reviews_due);
    }
    for (const counter of managers?.counters ?? []) {
      const region = byRegion.get(counter.regionId);
      if (!region) continue;
      let manager = region.managers.find((m) => m.managerId === counter.managerId);
      if (!manager) {
        manager = {
          managerId: counter.managerId,
          stage: counter.stage,
          reviewDue: false,
          counters: [],
        };
        region.managers.push(manager);
      }
      manager.stage = Math.max(manager.stage, counter.stage);
      manager.reviewDue ||= counter.reviewDue;
      manager.counters.push({
        serviceId: counter.serviceId,
        indicatorCode: counter.indicatorCode,
        stage: counter.stage,
        consecutiveMisses: counter.consecutiveMisses,
        openEntryId: counter.openEntryId,
      });
    }
    const result = [...byRegion.values()];
    for (const region of result)
      region.managers.sort((a, b) => b.stage - a.stage || a.managerId.localeCompare(b.managerId));
    return { regions: result };
  }

  private async supervisions(
    tenantId: string,
    managerId: string,
    asOf?: Date,
  ): Promise<SupervisionRow[]> {
    const { rows } = await this.pool.query<SupervisionRow>(
      `SELECT supervision_id, supervisor_id, date::text AS date, kind, capability_items, recorded_at, event_id, global_position
         FROM rm_supervisions
        WHERE tenant_id = $1 AND supervisee_id = $2 AND ($3::timestamptz IS NULL OR recorded_at <= $3)
        ORDER BY date`,
      [tenantId, managerId, asOf ?? null],
    );
    return rows;
  }

  private entryDto(
    entry: TimelineEntry,
    rows: readonly TimelineRow[],
    sessions: readonly SupervisionRow[],
  ): TimelineEntryDto {
    const events = rows.find((r) => r.entry_id === entry.entryId)?.events ?? [];
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
    const addressedIn: SupervisionSessionDto[] = sessions
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
        reasons: r.reasons,
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
        reasons: a.reasons,
        recordedBy: a.recordedBy,
        eventId: a.eventId,
        globalPosition: a.globalPosition,
        recordedAt: a.recordedAt,
      })),
      history: entry.history,
    };
  }

  /** Each month of the entry with its return's whole stored history (as known at `asOf`). */
  private async monthsWithReturns(
    tenantId: string,
    entry: TimelineEntry,
    asOf?: Date,
  ): Promise<WhyMonthDto[]> {
    const streamOf = (period: string) => streamIds.monthlyReturn(tenantId, entry.serviceId, period);
    const streams = await this.store.readStreams(entry.months.map((m) => streamOf(m.period)));
    return entry.months.map((month) => {
      const streamId = streamOf(month.period);
      const history = (streams.get(streamId) ?? [])
        .filter((e) => e.metadata.tenantId === tenantId)
        .filter((e) => asOf === undefined || e.recordedAt.getTime() <= asOf.getTime())
        .map((e) => returnEventDto(e, entry.indicatorCode));
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

  private async verify(streams: readonly string[]) {
    const reports = await Promise.all(streams.map((streamId) => this.store.verify({ streamId })));
    return {
      verifiedAt: this.clock().toISOString(),
      streamsChecked: reports.reduce((n, r) => n + r.streamsChecked, 0),
      eventsChecked: reports.reduce((n, r) => n + r.eventsChecked, 0),
      brokenLinks: reports.flatMap((r) => r.brokenLinks),
    };
  }
}

interface CounterRow {
  manager_id: string;
  service_id: string;
  region_id: string;
  indicator_code: string;
  consecutive_misses: number;
  stage: number;
  run_start: string | null;
  open_entry_id: string | null;
  last_missed_period: string | null;
  review_due: boolean;
  last_review_on: string | null;
  next_review_due: string | null;
  updated_at: Date;
}

function counterDto(row: CounterRow, today: string): CounterDto {
  const reviewOverdue =
    row.stage === 3 && row.next_review_due !== null && row.next_review_due <= today;
  return {
    managerId: row.manager_id,
    serviceId: row.service_id,
    regionId: row.region_id,
    indicatorCode: row.indicator_code,
    consecutiveMisses: row.consecutive_misses,
    stage: row.stage,
    runStart: row.run_start,
    openEntryId: row.open_entry_id,
    lastMissedPeriod: row.last_missed_period,
    reviewDue: row.stage === 3 && (row.review_due || reviewOverdue),
    lastReviewOn: row.last_review_on,
    nextReviewDue: row.next_review_due,
    updatedAt: row.updated_at.toISOString(),
  };
}

function emptyRegion(regionId: string, name: string): RegionStagesDto {
  return {
    regionId,
    name,
    managersAtStage: { stage1: 0, stage2: 0, stage3: 0 },
    reviewsDue: 0,
    managers: [],
  };
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

function returnEventDto(event: RecordedEvent, indicatorCode: string) {
  const returned = { type: event.type, data: event.data } as MonthlyReturnEvent;
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
function answerOf(entry: TimelineEntry, dto: TimelineEntryDto): string {
  const months = entry.months;
  const first = months[0]?.period;
  const last = months[months.length - 1]?.period;
  const values = months
    .map((m) => `${m.period}: ${m.judgement.value ?? 'n/a'} (target ${m.judgement.target ?? '—'})`)
    .join(', ');
  const span = first === last ? first : `${first} to ${last}`;
  let answer = `${entry.indicatorCode} was missed ${entry.consecutiveMisses} consecutive month${entry.consecutiveMisses === 1 ? '' : 's'} at ${entry.serviceId} while ${entry.managerId} managed it (${span}; ${values}), which is ${STAGE_NAMES[entry.stage]} in the capability procedure.`;
  if (dto.withdrawal) answer += ` The stage was later withdrawn: ${dto.withdrawal.explanation}`;
  else if (entry.resolution)
    answer += ` It was resolved (${entry.resolution.reason}${entry.resolution.period ? `, ${entry.resolution.period}` : ''}).`;
  else if (entry.escalatedTo) answer += ` It escalated to ${entry.escalatedTo}.`;
  if (entry.reviewDue) answer += ' A review is due.';
  return answer;
}
