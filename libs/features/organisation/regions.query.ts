import { FeatureQuery, type Queryable } from '@kpi/projections';
import { regionsProjection } from './regions.projection';

/** A region of the organisation, as a region picker or a client lists it. */
export interface RegionListing {
  regionId: string;
  name: string;
  regionalManagerId: string;
}

/** The organisation's regions, by name (read model regions). */
export class ListRegions extends FeatureQuery<Record<string, never>, RegionListing[]> {}

/** Answers ListRegions: the caller's own tenant's regions only; none yet is an empty list. */
export async function readRegions(db: Queryable, tenantId: string): Promise<RegionListing[]> {
  const rows = await regionsProjection.rows(db, 'tenant_id = $1', [tenantId], 'name, region_id');
  return rows.map(({ regionId, name, regionalManagerId }) => ({
    regionId,
    name,
    regionalManagerId,
  }));
}
