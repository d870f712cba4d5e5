import { appointManager, registerRegion, registerService } from '@kpi/features/organisation';
import { publishFrameworkVersion, publishPreset } from '@kpi/features/kpi-frameworks';
import { MonthlyReturnCaches, submitMonthlyReturn } from '@kpi/features/monthly-returns';
import { entityId, loadState } from '@kpi/command-handling';
import {
  addMonths,
  ConflictError,
  londonInstant,
  periodsBetween,
  regionDecider,
  streamIds,
  type Period,
} from '@kpi/domain';
import { DEMO_COUNCIL } from './council-demo';
import { returnSubmittedAt, type DemoCalendar } from './demo-calendar';
import type { DemoContext } from './demo-context';
import {
  DAY_SERVICES,
  DIRECT_SERVICES,
  RESPITE,
  REFERRALS_EXPECTED,
  SERVICE_AREAS,
} from './direct-services-catalogue';
import { directServiceValues, type MonthOverrides } from './direct-services-figures';
import {
  judgedMonthsInLog,
  secondVersionOf,
  utilisationOutturn,
} from './direct-services-second-version';

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
