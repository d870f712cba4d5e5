import { requireKnownIds } from '@kpi/command-handling';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import { londonDateOf, NotFoundError } from '@kpi/domain';
import {
  capabilityCountersProjection,
  type CapabilityCounterRow,
} from './capability-counters.projection';

export const DEFAULT_COUNTERS_LIMIT = 200;
export const MAX_COUNTERS_LIMIT = 2000;

/** Which counters, a page at a time (ids checked at the edge). */
export interface CapabilityCountersParams {
  managerId?: string;
  serviceId?: string;
  regionId?: string;
  /** Only counters at this stage or above (default 1: every open stage). */
  minStage?: number;
  /** Default {@link DEFAULT_COUNTERS_LIMIT}. */
  limit?: number;
  offset?: number;
}

/** A counter as a reader sees it: its row, with whether a Stage 3 review is due today. */
export interface CapabilityCounter {
  managerId: string;
  serviceId: string;
  regionId: string;
  indicatorCode: string;
  consecutiveMisses: number;
  stage: number;
  runStart: string | null;
  openEntryId: string | null;
  lastMissedPeriod: string | null;
  /** Stage 3 with no review held yet, or its next review due by today. */
  reviewDue: boolean;
  lastReviewOn: string | null;
  nextReviewDue: string | null;
  updatedAt: string;
}

export interface CapabilityCountersPage {
  counters: CapabilityCounter[];
  /** The offset of the next page; null on the last. */
  nextOffset: number | null;
}

/** Consecutive-miss counters, highest stage first. */
export class ReadCapabilityCounters extends FeatureQuery<
  CapabilityCountersParams,
  CapabilityCountersPage
> {}

/**
 * The tenant's counters matching `params`; `today` (`YYYY-MM-DD`, London) decides reviews due.
 * A manager, service or region id that names none of the tenant's is not found.
 */
export async function readCapabilityCounters(
  db: Queryable,
  tenantId: string,
  params: CapabilityCountersParams,
  { now, store }: Pick<QueryReading, 'now' | 'store'>,
): Promise<CapabilityCountersPage> {
  const today = londonDateOf(now);
  const limit = params.limit ?? DEFAULT_COUNTERS_LIMIT;
  const offset = params.offset ?? 0;
  const rows = await capabilityCountersProjection.rows(
    db,
    `tenant_id = $1 AND stage >= $2
       AND ($3::text IS NULL OR manager_id = $3) AND ($4::text IS NULL OR service_id = $4)
       AND ($5::text IS NULL OR region_id = $5)`,
    [
      tenantId,
      params.minStage ?? 1,
      params.managerId ?? null,
      params.serviceId ?? null,
      params.regionId ?? null,
      limit + 1,
      offset,
    ],
    // One more than asked tells whether there is a next page.
    'stage DESC, consecutive_misses DESC, manager_id, service_id, indicator_code LIMIT $6 OFFSET $7',
  );
  if (rows.length === 0) {
    if (params.managerId !== undefined) await requireKnownManager(db, tenantId, params.managerId);
    await requireKnownIds({ store, tenantId }, params);
  }
  return {
    counters: rows.slice(0, limit).map((row) => counterOf(row, today)),
    nextOffset: rows.length > limit ? offset + limit : null,
  };
}

/**
 * A manager is known to a tenant when one of its services has ever appointed them (the
 * organisation feature's rm_services, read by its published table) or a counter of theirs was
 * ever kept. Anyone else, another tenant's manager alike, is not found. (kpi-ledger records no
 * people's names: a manager is their id.)
 */
export async function requireKnownManager(
  db: Queryable,
  tenantId: string,
  managerId: string,
): Promise<void> {
  const { rows } = await db.query(
    `SELECT 1 FROM rm_services s, jsonb_array_elements(s.appointments) AS a
      WHERE s.tenant_id = $1 AND a->>'managerId' = $2
     UNION ALL
     SELECT 1 FROM rm_capability_counters WHERE tenant_id = $1 AND manager_id = $2
     LIMIT 1`,
    [tenantId, managerId],
  );
  if (rows.length === 0) throw new NotFoundError(`No manager ${managerId}`);
}

function counterOf(row: CapabilityCounterRow, today: string): CapabilityCounter {
  const reviewOverdue = row.stage === 3 && row.nextReviewDue !== null && row.nextReviewDue <= today;
  return {
    managerId: row.managerId,
    serviceId: row.serviceId,
    regionId: row.regionId,
    indicatorCode: row.indicatorCode,
    consecutiveMisses: row.consecutiveMisses,
    stage: row.stage,
    runStart: row.runStart,
    openEntryId: row.openEntryId,
    lastMissedPeriod: row.lastMissedPeriod,
    reviewDue: row.stage === 3 && (row.reviewDue || reviewOverdue),
    lastReviewOn: row.lastReviewOn,
    nextReviewDue: row.nextReviewDue,
    updatedAt: row.updatedAt,
  };
}
