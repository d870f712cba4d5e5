import { entityId, type EntityId } from '@kpi/command-handling';
import type { DirectServiceProfile } from './direct-services-figures';

/** The council's service areas (registered as its regions) and its six direct services. */
export const SERVICE_AREAS = [
  {
    regionId: 'complex-needs',
    name: 'Complex needs services',
    regionalManagerId: 'head-complex-needs',
  },
  {
    regionId: 'community-services',
    name: 'Community services',
    regionalManagerId: 'head-community',
  },
  {
    regionId: 'work-and-training',
    name: 'Work, training and employment',
    regionalManagerId: 'head-work-and-training',
  },
].map((area) => ({
  ...area,
  regionId: entityId(area.regionId, 'regionId'),
  regionalManagerId: entityId(area.regionalManagerId, 'regionalManagerId'),
}));

export const DAY_SERVICES = 'direct-services' as const;
export const RESPITE = 'direct-services-respite' as const;

export interface DirectService extends DirectServiceProfile {
  serviceId: EntityId;
  name: string;
  regionId: EntityId;
  frameworkId: typeof DAY_SERVICES | typeof RESPITE;
}

const service = (
  serviceId: string,
  name: string,
  regionIndex: number,
  profile: DirectServiceProfile,
): DirectService => ({
  serviceId: entityId(serviceId, 'serviceId'),
  name,
  regionId: SERVICE_AREAS[regionIndex]!.regionId,
  frameworkId: profile.serviceType === 'respite' ? RESPITE : DAY_SERVICES,
  ...profile,
});
const sized = (
  serviceType: DirectServiceProfile['serviceType'],
  places: number,
  people: number,
  careStaff: number,
  domesticStaff: number,
  chcPlacements: number,
  outOfCountyPlacements = 0,
): DirectServiceProfile => ({
  serviceType,
  places,
  people,
  careStaff,
  domesticStaff,
  chcPlacements,
  outOfCountyPlacements,
});

export const DIRECT_SERVICES: readonly DirectService[] = [
  service('abbey-day-centre', 'Abbey Day Centre', 0, sized('day-service', 30, 42, 18, 3, 4)),
  service(
    'maes-y-coed-day-centre',
    'Maes-y-Coed Day Centre',
    0,
    sized('day-service', 24, 33, 15, 2, 3),
  ),
  service('seaview-respite', 'Seaview respite unit', 0, sized('respite', 6, 48, 16, 3, 2, 1)),
  service(
    'independent-living',
    'Independent Living Service',
    1,
    sized('supported-living', 40, 38, 22, 0, 2),
  ),
  service('bespoke-workshops', 'Bespoke Workshops', 2, sized('work-and-training', 28, 36, 9, 1, 0)),
  service('fresh-start', 'Fresh Start', 2, sized('work-and-training', 20, 26, 7, 1, 0)),
];

/** The expected range version 2 gives referrals, a month at a service. */
export const REFERRALS_EXPECTED = { lower: 1, upper: 6 } as const;
