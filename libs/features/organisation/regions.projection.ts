import type { RegionEvent } from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';

/** A region of a provider and its regional manager (who completes its homes' returns). */
export interface RegionRow {
  tenantId: string;
  regionId: string;
  name: string;
  regionalManagerId: string;
}

export const REGION_EVENT_TYPES = [
  'RegionRegistered',
  'RegionalManagerAssigned',
] as const satisfies readonly RegionEvent['type'][];

export function evolveRegion(
  row: RegionRow | null,
  event: Recorded<RegionEvent>,
): RegionRow | null {
  switch (event.type) {
    case 'RegionRegistered':
      return {
        tenantId: event.metadata.tenantId,
        regionId: event.data.regionId,
        name: event.data.name,
        regionalManagerId: event.data.regionalManagerId,
      };
    case 'RegionalManagerAssigned':
      // The decider only assigns to a registered region; without one there is no row to change.
      return row && { ...row, regionalManagerId: event.data.regionalManagerId };
    default: {
      const _unexpected: never = event;
      return row;
    }
  }
}

/** The row key: tenant first, so tenants never share a row. */
export const regionKeyOf = (event: Recorded<RegionEvent>): string =>
  JSON.stringify([event.metadata.tenantId, event.data.regionId]);

export const regionsProjection = keyedProjection<RegionRow>({
  name: 'regions',
  version: 1,
  table: 'rm_regions',
  eventTypes: REGION_EVENT_TYPES,
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'region_id', type: 'text', field: 'regionId' },
    { name: 'name', type: 'text', field: 'name' },
    { name: 'regional_manager_id', type: 'text', field: 'regionalManagerId' },
  ],
  indexes: [['tenant_id', 'region_id']],
  keyOf: (event) => {
    const regionEvent = recordedOneOf<RegionEvent>(event, REGION_EVENT_TYPES);
    return regionEvent && regionKeyOf(regionEvent);
  },
  evolve: (row, event) => {
    const regionEvent = recordedOneOf<RegionEvent>(event, REGION_EVENT_TYPES);
    return regionEvent ? evolveRegion(row, regionEvent) : row;
  },
});
