import type { RegionEvent } from '@kpi/domain';
import { recorded, regionalManagerAssigned, regionRegistered } from '@kpi/testing/fixtures';
import { evolveRegion, regionKeyOf, type RegionRow } from './regions.projection';

const given = (events: RegionEvent[], tenantId = 'acme'): RegionRow | null =>
  events.reduce<RegionRow | null>(
    (row, event) => evolveRegion(row, recorded(event, { tenantId })),
    null,
  );

describe('the regions read model', () => {
  describe('when a region is registered', () => {
    it('holds its name and regional manager, under its tenant', () => {
      expect(given([regionRegistered()], 'acme')).toEqual({
        tenantId: 'acme',
        regionId: 'north',
        name: 'North',
        regionalManagerId: 'rm-1',
      });
    });
  });

  describe('when another regional manager is assigned', () => {
    it('shows the new regional manager', () => {
      expect(
        given([regionRegistered(), regionalManagerAssigned({ regionalManagerId: 'rm-2' })]),
      ).toMatchObject({ name: 'North', regionalManagerId: 'rm-2' });
    });
  });

  describe('when a manager is assigned to a region it has not seen registered', () => {
    it('makes no row', () => {
      expect(given([regionalManagerAssigned()])).toBeNull();
    });
  });

  it('keys rows by tenant first, so one region id in two tenants makes two rows', () => {
    const event = regionRegistered();
    expect(regionKeyOf(recorded(event, { tenantId: 'acme' }))).toBe('["acme","north"]');
    expect(regionKeyOf(recorded(event, { tenantId: 'bryn-melyn' }))).toBe('["bryn-melyn","north"]');
  });
});
