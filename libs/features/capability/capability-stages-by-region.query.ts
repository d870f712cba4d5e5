import { requireKnownIds } from '@kpi/command-handling';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import { londonDateOf } from '@kpi/domain';
import { MAX_COUNTERS_LIMIT, readCapabilityCounters } from './capability-counters.query';

export interface StagesByRegionParams {
  /** Only this region, with its managers' open counters listed too. */
  regionId?: string;
}

/** A home where a manager has an open stage. */
export interface ManagerHome {
  serviceId: string;
  name: string;
}

/**
 * A manager at a stage: who (kpi-ledger records no people's names, so a manager is their id)
 * and the homes where their stages are open.
 */
export interface ManagerStage {
  managerId: string;
  /** Their highest open stage in the region. */
  stage: number;
  reviewDue: boolean;
  homes: ManagerHome[];
  /** Listed for the one region asked about (`regionId`); empty otherwise. */
  counters: {
    serviceId: string;
    indicatorCode: string;
    stage: number;
    consecutiveMisses: number;
    openEntryId: string | null;
  }[];
}

export interface RegionStages {
  regionId: string;
  name: string;
  managersAtStage: { stage1: number; stage2: number; stage3: number };
  reviewsDue: number;
  /** Every manager at Stage 1 or above, highest stage first. */
  managers: ManagerStage[];
}

export interface StagesByRegion {
  regions: RegionStages[];
}

/** The dashboard: who is at which stage, per region. */
export class ReadStagesByRegion extends FeatureQuery<StagesByRegionParams, StagesByRegion> {}

interface ManagerRow {
  region_id: string;
  manager_id: string;
  stage: number;
  review_due: boolean;
  homes: ManagerHome[];
}

/**
 * Managers at their highest open stage in each region, with the homes where those stages are
 * open, grouped by PostgreSQL (a manager has a row per region, not per counter); their open
 * counters too for one region when `regionId` is given. `today` (`YYYY-MM-DD`, London) decides
 * which reviews are due. Region and home names come from the organisation feature's
 * `rm_regions` and `rm_services`, read by their published tables. A region id that names none
 * of the tenant's regions is not found.
 */
export async function readStagesByRegion(
  db: Queryable,
  tenantId: string,
  { regionId }: StagesByRegionParams,
  reading: Pick<QueryReading, 'now' | 'store'>,
): Promise<StagesByRegion> {
  const today = londonDateOf(reading.now);
  const [managers, regions, counters] = await Promise.all([
    db.query<ManagerRow>(
      `SELECT c.region_id, c.manager_id, max(c.stage)::int AS stage,
              bool_or(c.stage = 3 AND (c.review_due OR c.next_review_due <= $2::date)) AS review_due,
              jsonb_agg(DISTINCT jsonb_build_object(
                'serviceId', c.service_id, 'name', coalesce(s.name, c.service_id))) AS homes
         FROM rm_capability_counters c
         LEFT JOIN rm_services s ON s.tenant_id = c.tenant_id AND s.service_id = c.service_id
        WHERE c.tenant_id = $1 AND c.stage >= 1 AND ($3::text IS NULL OR c.region_id = $3)
        GROUP BY c.region_id, c.manager_id`,
      [tenantId, today, regionId ?? null],
    ),
    db.query<{ region_id: string; name: string }>(
      `SELECT region_id, name FROM rm_regions
        WHERE tenant_id = $1 AND ($2::text IS NULL OR region_id = $2) ORDER BY name`,
      [tenantId, regionId ?? null],
    ),
    regionId === undefined
      ? Promise.resolve(null)
      : readCapabilityCounters(
          db,
          tenantId,
          { regionId, minStage: 1, limit: MAX_COUNTERS_LIMIT },
          reading,
        ),
  ]);
  if (regions.rows.length === 0 && managers.rows.length === 0) {
    await requireKnownIds({ store: reading.store, tenantId }, { regionId });
  }
  const byRegion = new Map<string, RegionStages>(
    regions.rows.map((r) => [r.region_id, emptyRegion(r.region_id, r.name)]),
  );
  for (const row of managers.rows) {
    const region = byRegion.get(row.region_id) ?? emptyRegion(row.region_id, row.region_id);
    byRegion.set(row.region_id, region);
    region.managersAtStage[`stage${row.stage}` as 'stage1' | 'stage2' | 'stage3'] += 1;
    if (row.review_due) region.reviewsDue += 1;
    region.managers.push({
      managerId: row.manager_id,
      stage: row.stage,
      reviewDue: row.review_due,
      homes: row.homes.sort((a, b) => a.name.localeCompare(b.name)),
      counters: [],
    });
  }
  for (const counter of counters?.counters ?? []) {
    const manager = byRegion
      .get(counter.regionId)
      ?.managers.find((m) => m.managerId === counter.managerId);
    manager?.counters.push({
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

function emptyRegion(regionId: string, name: string): RegionStages {
  return {
    regionId,
    name,
    managersAtStage: { stage1: 0, stage2: 0, stage3: 0 },
    reviewsDue: 0,
    managers: [],
  };
}
