import { appointManager, registerRegion, registerService } from '@kpi/features/organisation';
import {
  publishFrameworkVersion,
  publishPreset,
  type JudgedMonthsReader,
} from '@kpi/features/kpi-frameworks';
import { MonthlyReturnCaches, submitMonthlyReturn } from '@kpi/features/monthly-returns';
import { entityId, loadState, type EntityId } from '@kpi/command-handling';
import {
  addMonths,
  ConflictError,
  FRAMEWORK_PRESETS,
  londonInstant,
  londonPeriodOf,
  periodsBetween,
  regionDecider,
  streamIds,
  type IndicatorDefinition,
  type JudgedMonth,
  type MonthlyReturnSubmitted,
  type Period,
} from '@kpi/domain';
import type { EventStore } from '@kpi/event-store';
import { DEMO_COUNCIL } from './council-demo';
import { returnSubmittedAt, type DemoCalendar } from './demo-calendar';
import type { DemoContext } from './demo-context';
import {
  directServiceValues,
  type DirectServiceProfile,
  type MonthOverrides,
} from './direct-services-figures';

/*
 * The council's own direct services (the README's council section): `demo-council` runs six
 * in-house services in three service areas (registered as its regions), each with a manager,
 * on the direct-services datasets — the respite unit on the respite one — and each sends a
 * return every month for the last 24 months that have ended, on the 5th to the 10th of the
 * next month (sent by the head of its service area).
 *
 * Both datasets are published from their presets for the first month. A year on, the council
 * publishes version 2 of each, back-dated: on the 2nd of the 14th month, in force from the 13th
 * (an ended month, whose returns are not in yet): referrals get an expected range (an activity
 * figure, flagged outside 1–6 a month), capacity utilised % a comparative benchmark and last
 * year's outturn, and a supervision ratio is added (judged: target 90 %, floor 75 %).
 *
 * Fixed, not chance: three months of referrals outside the range under version 2 (the respite
 * unit's 8 two months in; none at Fresh Start in the first month of `$QUARTER`, 9 at the
 * Abbey Day Centre in its last month) and one supervision month below target (the Independent
 * Living Service, the middle month of `$QUARTER`: amber). Everything else is drawn (seeded).
 */

const SERVICE_AREAS = [
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

const DAY_SERVICES = 'direct-services' as const;
const RESPITE = 'direct-services-respite' as const;

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

/** When things happen, counted from the last month that has ended. */
export function directServicesCalendar(calendar: DemoCalendar) {
  const firstMonth = calendar.directServicesFrom;
  const secondVersionFrom = addMonths(firstMonth, 12);
  const quarterFirstMonth = calendar.quarter.firstDay.slice(0, 7) as Period;
  return {
    firstMonth,
    periods: periodsBetween(firstMonth, calendar.lastMonth),
    setUpAt: londonInstant(`${addMonths(firstMonth, -1)}-01`, '09:00'),
    secondVersionFrom,
    /** On the 2nd of the month after it takes effect, before any of its first month's returns. */
    secondVersionPublishedAt: londonInstant(`${addMonths(secondVersionFrom, 1)}-02`, '09:00'),
    /** The story's fixed months, by service. */
    overrides: new Map<string, MonthOverrides>([
      [`seaview-respite|${addMonths(secondVersionFrom, 2)}`, { referrals: 8 }],
      [`fresh-start|${quarterFirstMonth}`, { referrals: 0 }],
      [`abbey-day-centre|${addMonths(quarterFirstMonth, 2)}`, { referrals: 9 }],
      [`independent-living|${addMonths(quarterFirstMonth, 1)}`, { staffNotSupervised: 3 }],
    ]),
  };
}

export interface DirectServicesDemoSummary {
  councilId: string;
  services: { serviceId: string; serviceType: string; frameworkId: string }[];
  from: Period;
  to: Period;
  returns: number;
  /** Version 2 of both datasets: in force from this month, published a month later. */
  secondVersion: { effectiveFrom: Period; publishedAt: string };
  /** Referrals outside their expected range under version 2 (flagged). */
  flagged: { serviceId: string; period: Period; referrals: number }[];
  /** The last quarter and financial year that have ended (`$QUARTER`, `$YEAR`). */
  quarter: string;
  year: string;
}

/**
 * The council's direct services and their 24 months of returns. Seeded once: a run that finds
 * the first service area registered (or registers it at the same moment as another) leaves it.
 */
export async function seedDirectServices(
  demo: DemoContext,
  calendar: DemoCalendar,
): Promise<DirectServicesDemoSummary | null> {
  const { councilId } = DEMO_COUNCIL;
  const dates = directServicesCalendar(calendar);
  const at = (actor?: string) => demo.context(councilId, dates.setUpAt, actor);
  const firstArea = await loadState(
    demo,
    streamIds.region(councilId, SERVICE_AREAS[0]!.regionId),
    regionDecider,
  );
  if (firstArea.status === 'registered') return null;
  try {
    await registerRegion(at(), SERVICE_AREAS[0]!);
  } catch (error) {
    if (error instanceof ConflictError) return null;
    throw error;
  }
  for (const area of SERVICE_AREAS.slice(1)) await registerRegion(at(), area);
  const publisher = 'user:performance-officer';
  for (const preset of [DAY_SERVICES, RESPITE])
    await publishPreset(at(publisher), { preset, effectiveFrom: dates.firstMonth });
  for (const s of DIRECT_SERVICES) {
    await registerService(at(), {
      serviceId: s.serviceId,
      name: s.name,
      regionId: s.regionId,
      serviceType: s.serviceType,
      frameworkId: entityId(s.frameworkId, 'frameworkId'),
      openedOn: `${dates.firstMonth}-01`,
    });
    await appointManager(at(), {
      serviceId: s.serviceId,
      managerId: entityId(`mgr-${s.serviceId}`, 'managerId'),
      from: `${dates.firstMonth}-01`,
    });
  }

  const caches = new MonthlyReturnCaches();
  const flagged: DirectServicesDemoSummary['flagged'] = [];
  let returns = 0;
  for (const [m, period] of dates.periods.entries()) {
    const secondVersion = period >= dates.secondVersionFrom;
    if (period === dates.secondVersionFrom) {
      // Back-dated: its first month has ended, and none of its returns is in yet.
      const judged = judgedMonthsInLog(demo.store, dates.secondVersionPublishedAt);
      for (const frameworkId of [DAY_SERVICES, RESPITE])
        await publishFrameworkVersion(
          demo.context(councilId, dates.secondVersionPublishedAt, publisher),
          secondVersionOf(frameworkId, dates.secondVersionFrom, utilisationOutturn(dates)),
          judged,
        );
    }
    for (const [s, directService] of DIRECT_SERVICES.entries()) {
      const overrides = dates.overrides.get(`${directService.serviceId}|${period}`);
      const values = directServiceValues(
        directService,
        { serviceIndex: s, m, period },
        { withSupervisionRatio: secondVersion, overrides },
      );
      const submittedAt = returnSubmittedAt(calendar, {
        period,
        homeIndex: s,
        homes: DIRECT_SERVICES.length,
        late: false,
      });
      const area = SERVICE_AREAS.find((a) => a.regionId === directService.regionId)!;
      await submitMonthlyReturn(
        demo.context(councilId, submittedAt, `user:${area.regionalManagerId}`),
        { serviceId: directService.serviceId, period, values },
        caches,
      );
      returns++;
      const referrals = values.REFERRALS as number;
      if (
        secondVersion &&
        (referrals < REFERRALS_EXPECTED.lower || referrals > REFERRALS_EXPECTED.upper)
      )
        flagged.push({ serviceId: directService.serviceId, period, referrals });
    }
  }
  return {
    councilId,
    services: DIRECT_SERVICES.map(({ serviceId, serviceType, frameworkId }) => ({
      serviceId,
      serviceType,
      frameworkId,
    })),
    from: dates.firstMonth,
    to: calendar.lastMonth,
    returns,
    secondVersion: {
      effectiveFrom: dates.secondVersionFrom,
      publishedAt: dates.secondVersionPublishedAt.toISOString(),
    },
    flagged,
    quarter: calendar.quarter.quarter,
    year: calendar.financialYear,
  };
}

/**
 * Version 2 of a dataset: the preset's items with referrals given an expected range (an
 * activity figure), capacity utilised % a benchmark and last year's outturn, and a supervision
 * ratio added.
 */
function secondVersionOf(
  frameworkId: typeof DAY_SERVICES | typeof RESPITE,
  effectiveFrom: Period,
  outturn: { value: number; period: string },
) {
  const preset = FRAMEWORK_PRESETS[frameworkId];
  const indicators: IndicatorDefinition[] = preset.indicators.map((indicator) => {
    if (indicator.code === 'REFERRALS')
      // The range is a month's, so a quarter or a year is judged by its monthly average.
      return {
        ...indicator,
        kind: 'activity',
        direction: 'within-range',
        aggregation: 'average',
        expectedRange: { ...REFERRALS_EXPECTED },
      };
    if (indicator.code === 'CAP_UTILISATION')
      return {
        ...indicator,
        previousOutturn: outturn,
        comparativeBenchmark: { value: 85, source: 'Regional day services benchmarking club' },
      };
    return indicator;
  });
  indicators.push({
    code: 'SUPERVISED_IN_8_WEEKS',
    name: 'Staff supervised in the last 8 weeks',
    group: 'Staff support',
    kind: 'target',
    unit: 'ratio',
    direction: 'higher-is-better',
    target: 90,
    floor: 75,
    periodicity: 'monthly',
    aggregation: 'ratio-of-sums',
  });
  return {
    frameworkId: entityId(frameworkId, 'frameworkId'),
    name: preset.name,
    effectiveFrom,
    indicators,
    bonusRule: null,
  };
}

/** Capacity utilised % over the first year, all direct services together (utilised ÷ available). */
function utilisationOutturn(dates: ReturnType<typeof directServicesCalendar>) {
  let utilised = 0;
  let available = 0;
  for (const [m, period] of dates.periods.slice(0, 12).entries())
    for (const [s, directService] of DIRECT_SERVICES.entries()) {
      const values = directServiceValues(
        directService,
        { serviceIndex: s, m, period },
        { withSupervisionRatio: false },
      );
      utilised += values.CAP_UTILISED as number;
      available += values.CAP_AVAILABLE as number;
    }
  const last = addMonths(dates.firstMonth, 11);
  return {
    value: Math.round((1000 * utilised) / available) / 10,
    period: `${dates.firstMonth} to ${last}`,
  };
}

/**
 * Which months from `from` on have returns judged on a framework, read from the log: the
 * council's services' return streams up to the month of `at`. The seed's own check that a
 * back-dated version covers no judged month (docs/decisions/0020-versions-that-describe-the-past.md).
 */
function judgedMonthsInLog(store: EventStore, at: Date): JudgedMonthsReader {
  return async (tenantId, frameworkId, from) => {
    const periods = periodsBetween(from, londonPeriodOf(at));
    const ids = DIRECT_SERVICES.flatMap((s) =>
      periods.map((p) => streamIds.monthlyReturn(tenantId, s.serviceId, p)),
    );
    const judged = new Map<string, JudgedMonth & { serviceIds: string[] }>();
    for (const events of (await store.readStreams(ids)).values()) {
      const submitted = events.find((e) => e.type === 'MonthlyReturnSubmitted');
      if (!submitted) continue;
      const data = submitted.data as MonthlyReturnSubmitted['data'];
      if (data.frameworkId !== frameworkId) continue;
      const key = `${data.period}|${data.frameworkVersion}`;
      const month = judged.get(key) ?? {
        period: data.period,
        version: data.frameworkVersion,
        serviceIds: [],
      };
      month.serviceIds.push(data.serviceId);
      judged.set(key, month);
    }
    return [...judged.values()].sort(
      (a, b) => a.period.localeCompare(b.period) || a.version - b.version,
    );
  };
}
