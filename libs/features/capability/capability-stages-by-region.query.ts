import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import { londonDateOf } from '@kpi/domain';
import { MAX_COUNTERS_LIMIT, readCapabilityCounters } from './capability-counters.query';

export interface StagesByRegionParams {
  /** Only this region, with its managers and their open counters listed. */
  regionId?: string;
}

export interface ManagerStage {
  managerId: string;
  stage: number;
  reviewDue: boolean;
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
  /** Listed for the one region asked about; empty otherwise. */
  managers: ManagerStage[];
}

export interface StagesByRegion {
  regions: RegionStages[];
}

/** The dashboard: managers by their highest open stage, per region. */
export class ReadStagesByRegion extends FeatureQuery<StagesByRegionParams, StagesByRegion> {}

interface StageCountRow {
  region_id: string;
  stage: number;
  managers: string;
  reviews_due: string;
}

/**
 * Managers by their highest open stage in each region, counted by PostgreSQL; the managers
 * themselves (with their open counters) for one region when `regionId` is given. `today`
 * (`YYYY-MM-DD`, London) decides which reviews are due. Region names come from the
 * organisation feature's `rm_regions`, read by its published table.
 */
export async function readStagesByRegion(
  db: Queryable,
  tenantId: string,
  { regionId }: StagesByRegionParams,
  reading: Pick<QueryReading, 'now'>,
): Promise<StagesByRegion> {
  const today = londonDateOf(reading.now);
  const [counts, regions, managers] = await Promise.all([
    db.query<StageCountRow>(
      `SELECT region_id, stage, count(*) AS managers, count(*) FILTER (WHERE review_due) AS reviews_due
         FROM (SELECT region_id, manager_id, max(stage) AS stage,
                      bool_or(stage = 3 AND (review_due OR next_review_due <= $2::date)) AS review_due
                 FROM rm_capability_counters
                WHERE tenant_id = $1 AND stage >= 1 AND ($3::text IS NULL OR region_id = $3)
                GROUP BY region_id, manager_id) AS by_manager
        GROUP BY region_id, stage`,
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
  const byRegion = new Map<string, RegionStages>(
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

function emptyRegion(regionId: string, name: string): RegionStages {
  return {
    regionId,
    name,
    managersAtStage: { stage1: 0, stage2: 0, stage3: 0 },
    reviewsDue: 0,
    managers: [],
  };
}
