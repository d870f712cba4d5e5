import { amendMonthlyReturn, submitMonthlyReturn } from '@kpi/features/monthly-returns';
import {
  appointManager,
  registerOrganisation,
  registerRegion,
  registerService,
} from '@kpi/features/organisation';
import { publishChildrensHomesPreset } from '@kpi/features/kpi-frameworks';
import { entityId, type EntityId } from '@kpi/command-handling';
import { addMonths, type Period } from '@kpi/domain';
import { amendedAt, returnSubmittedAt, type DemoCalendar } from './demo-calendar';
import {
  AMENDMENT,
  DEMO_SEED,
  demoValues,
  isAmendedReturn,
  isLateReturn,
  seededRandom,
  STAGE_1_HOME,
  STAGE_3_HOME,
} from './demo-story';
import type { DemoContext, Progress } from './demo-context';

export const REGIONS = [
  { regionId: 'north-wales', name: 'North Wales', regionalManagerId: 'rm-gwen' },
  { regionId: 'west-midlands', name: 'West Midlands', regionalManagerId: 'rm-tom' },
  { regionId: 'north-west', name: 'North West', regionalManagerId: 'rm-priya' },
].map((r) => ({
  ...r,
  regionId: entityId(r.regionId, 'regionId'),
  regionalManagerId: entityId(r.regionalManagerId, 'regionalManagerId'),
}));

const HOME_NAMES = [
  'Tŷ Gwyn',
  'Plas Newydd',
  'Bryn Teg',
  'Maes Glas',
  'Oak House',
  'Willow Lodge',
  'The Beeches',
  'Elm Court',
  'Heron View',
  'Larch Cottage',
  'Rowan House',
  'Ash Grove',
];

export const homeId = (index: number): EntityId =>
  entityId(`home-${String(index + 1).padStart(2, '0')}`, 'serviceId');
export const managerOf = (index: number): EntityId => entityId(`mgr-${homeId(index)}`, 'managerId');
export const regionOf = (index: number) => REGIONS[index % REGIONS.length]!;

export interface ProviderDemoSummary {
  tenant: string;
  regions: number;
  homes: number;
  months: number;
  from: Period;
  to: Period;
  returns: number;
  late: { serviceId: string; period: Period }[];
  amended: { serviceId: string; period: Period }[];
  /** The Stage 3 story's home, its manager, and its region's regional manager. */
  stage3: {
    managerId: string;
    serviceId: string;
    indicatorCode: string;
    regionalManagerId: string;
  };
  stage1: { managerId: string; serviceId: string; indicatorCode: string };
}

/**
 * The provider: 3 regions, `homes` children's homes (a manager each; home-04 changes manager
 * half way) and a return per home and month, sent by the regional manager, as the story says.
 */
export async function seedProvider(
  demo: DemoContext,
  { homes, calendar }: { homes: number; calendar: DemoCalendar },
  progress: Progress,
): Promise<ProviderDemoSummary> {
  const { tenant } = demo;
  const { setUpAt, firstMonth, periods } = calendar;
  // A context per command: one command id each (a shared id would make the next one a replay).
  const at = () => demo.context(tenant, setUpAt);
  await registerOrganisation(at(), { name: 'Demo Care Ltd', kind: 'provider' });
  for (const region of REGIONS) await registerRegion(at(), region);
  await publishChildrensHomesPreset(at(), { effectiveFrom: firstMonth });
  for (let h = 0; h < homes; h++) {
    await registerService(at(), {
      serviceId: homeId(h),
      name:
        HOME_NAMES[h % HOME_NAMES.length]! +
        (h >= HOME_NAMES.length ? ` ${Math.floor(h / HOME_NAMES.length) + 1}` : ''),
      regionId: regionOf(h).regionId,
      serviceType: 'childrens-home',
      frameworkId: entityId('childrens-homes', 'frameworkId'),
      openedOn: `${firstMonth}-01`,
    });
    await appointManager(at(), {
      serviceId: homeId(h),
      managerId: managerOf(h),
      from: `${firstMonth}-01`,
    });
  }
  // A manager change half way at the fourth home.
  if (homes >= 4) {
    await appointManager(at(), {
      serviceId: homeId(3),
      managerId: entityId('mgr-home-04-b', 'managerId'),
      from: `${addMonths(firstMonth, Math.floor(periods.length / 2))}-01`,
    });
  }

  const values = demoValues(calendar, homes, seededRandom(DEMO_SEED));
  const total = periods.length * homes;
  const late: ProviderDemoSummary['late'] = [];
  const amended: ProviderDemoSummary['amended'] = [];
  let done = 0;
  for (const period of periods) {
    for (let h = 0; h < homes; h++) {
      const serviceId = homeId(h);
      const actor = `user:${regionOf(h).regionalManagerId}`;
      const isLate = isLateReturn(calendar, h, period);
      const submittedAt = returnSubmittedAt(calendar, {
        period,
        homeIndex: h,
        homes,
        late: isLate,
      });
      await submitMonthlyReturn(demo.context(tenant, submittedAt, actor), {
        serviceId,
        period,
        values: values.get(`${h}|${period}`)!,
      });
      if (isLate) late.push({ serviceId, period });
      if (isAmendedReturn(calendar, h, period)) {
        const amending = demo.context(tenant, amendedAt(calendar, submittedAt), actor);
        await amendMonthlyReturn(amending, demo.vault, {
          serviceId,
          period,
          values: { ...AMENDMENT.values },
          reason: AMENDMENT.reason,
        });
        amended.push({ serviceId, period });
      }
      progress.update(++done, total);
    }
  }
  return {
    tenant,
    regions: REGIONS.length,
    homes,
    months: periods.length,
    from: firstMonth,
    to: calendar.lastMonth,
    returns: total,
    late,
    amended,
    stage3: {
      managerId: managerOf(STAGE_3_HOME),
      serviceId: homeId(STAGE_3_HOME),
      indicatorCode: 'EDU',
      regionalManagerId: regionOf(STAGE_3_HOME).regionalManagerId,
    },
    stage1: {
      managerId: managerOf(STAGE_1_HOME),
      serviceId: homeId(STAGE_1_HOME),
      indicatorCode: 'SUP',
    },
  };
}
