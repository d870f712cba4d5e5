import { randomUUID } from 'node:crypto';
import { amendMonthlyReturn, submitMonthlyReturn } from '@kpi/features/monthly-returns';
import {
  appointManager,
  registerOrganisation,
  registerRegion,
  registerService,
} from '@kpi/features/organisation';
import { publishChildrensHomesPreset } from '@kpi/features/kpi-frameworks';
import { entityId, loadState, type CommandContext, type EntityId } from '@kpi/command-handling';
import {
  addMonths,
  londonPeriodOf,
  periodsBetween,
  regionDecider,
  streamIds,
  type IndicatorValue,
  type Period,
} from '@kpi/domain';
import type { EventStore } from '@kpi/event-store';
import { loadEnvironment, openDatabase } from '@kpi/runtime';
import { progressBar } from '../progress-bar';

export interface SeedDemoOptions {
  tenant: string;
  homes: number;
  months: number;
}

const REGIONS = [
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

/**
 * `cli seed-demo`: one provider with 3 regions, 12 children's homes and 24 months of returns
 * (by default), through the same use cases the API runs. Values are drawn from a seeded random
 * sequence, so every run writes the same story: most KPIs met, some amber and red, a few late
 * returns and amendments, one manager missing the education KPI four months running (Stage 3
 * in the capability procedure) and one missing supervision for two.
 */
export async function seedDemoCommand(options: SeedDemoOptions): Promise<void> {
  const { config, logger } = loadEnvironment('cli', { logTo: 'stderr' });
  const { pool, store } = await openDatabase(config, logger, { component: 'cli' });
  try {
    const summary = await seedDemo(store, options, progressBar('seed-demo', 'returns'));
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    await pool.end();
  }
}

export async function seedDemo(
  store: EventStore,
  { tenant, homes, months }: SeedDemoOptions,
  progress: { update(done: number, total: number): void; stop(): void } = {
    update: () => undefined,
    stop: () => undefined,
  },
) {
  const now = new Date();
  const lastMonth = addMonths(londonPeriodOf(now), -1);
  const firstMonth = addMonths(lastMonth, -(months - 1));
  const context = (at: Date, actor = 'system:seed-demo'): CommandContext => ({
    store,
    tenantId: tenant,
    actor,
    correlationId: 'seed-demo',
    commandId: randomUUID(),
    now: at,
  });
  const existing = await loadState(
    { store },
    streamIds.region(tenant, REGIONS[0]!.regionId),
    regionDecider,
  );
  if (existing.status === 'registered') {
    throw new Error(`Tenant "${tenant}" already has demo data; choose another with --tenant`);
  }

  const setUpAt = new Date(`${addMonths(firstMonth, -1)}-01T09:00:00Z`);
  await registerOrganisation(context(setUpAt), { name: 'Demo Care Ltd', kind: 'provider' });
  for (const region of REGIONS) await registerRegion(context(setUpAt), region);
  await publishChildrensHomesPreset(context(setUpAt), { effectiveFrom: firstMonth });

  const random = seededRandom(20181201);
  const homeIds: EntityId[] = [];
  for (let h = 0; h < homes; h++) {
    const serviceId = entityId(`home-${String(h + 1).padStart(2, '0')}`, 'serviceId');
    const region = REGIONS[h % REGIONS.length]!;
    homeIds.push(serviceId);
    await registerService(context(setUpAt), {
      serviceId,
      name:
        HOME_NAMES[h % HOME_NAMES.length]! +
        (h >= HOME_NAMES.length ? ` ${Math.floor(h / HOME_NAMES.length) + 1}` : ''),
      regionId: region.regionId,
      serviceType: 'childrens-home',
      frameworkId: entityId('childrens-homes', 'frameworkId'),
      openedOn: `${firstMonth}-01`,
    });
    await appointManager(context(setUpAt), {
      serviceId,
      managerId: entityId(`mgr-${serviceId}`, 'managerId'),
      from: `${firstMonth}-01`,
    });
  }
  // A manager change mid-way at the fourth home.
  if (homes >= 4) {
    await appointManager(context(setUpAt), {
      serviceId: homeIds[3]!,
      managerId: entityId('mgr-home-04-b', 'managerId'),
      from: `${addMonths(firstMonth, Math.floor(months / 2))}-01`,
    });
  }

  const periods = periodsBetween(firstMonth, lastMonth);
  const total = periods.length * homes;
  let done = 0;
  let late = 0;
  let amended = 0;
  for (const period of periods) {
    for (const [h, serviceId] of homeIds.entries()) {
      const regionalManager = REGIONS[h % REGIONS.length]!.regionalManagerId;
      const values = demoValues(random, { homeIndex: h, period, periods });
      // Most returns by the 12th of the next month; about one in twelve after the 20th.
      const isLate = random() < 1 / 12;
      const submittedAt = new Date(`${addMonths(period, 1)}-${isLate ? '24' : '12'}T10:00:00Z`);
      await submitMonthlyReturn(context(submittedAt, `user:${regionalManager}`), {
        serviceId,
        period,
        values,
      });
      if (isLate) late++;
      if (random() < 1 / 30) {
        await amendMonthlyReturn(
          context(new Date(submittedAt.getTime() + 3 * 86_400_000), `user:${regionalManager}`),
          {
            serviceId,
            period,
            values: { TRN: Math.max(0, (values.TRN as number) - 6) },
            reason: 'Training matrix re-checked: two certificates had lapsed',
          },
        );
        amended++;
      }
      progress.update(++done, total);
    }
  }
  progress.stop();
  return {
    tenant,
    regions: REGIONS.length,
    homes,
    months: periods.length,
    from: firstMonth,
    to: lastMonth,
    returns: total,
    late,
    amended,
    escalation:
      homes >= 2
        ? `${homeIds[1]}: education (EDU) missed in the last four months; ${homeIds[0]}: supervision (SUP) missed in the last two`
        : null,
  };
}

/** How often a KPI is missed in a month, by chance, outside the stories. */
const CHANCE_OF_A_MISS = 0.05;

/**
 * One home's values for one month: each KPI met, missed by chance one month in twenty (amber
 * or red), and the escalation stories on top. Bryn Melyn's homes meet most of their
 * benchmarks most months; a demo where half the homes miss supervision every month would bury
 * the stories in noise.
 */
function demoValues(
  random: () => number,
  { homeIndex, period, periods }: { homeIndex: number; period: Period; periods: Period[] },
): Record<string, IndicatorValue> {
  const monthsFromEnd = periods.length - 1 - periods.indexOf(period);
  const between = (low: number, high: number) =>
    Math.round((low + random() * (high - low)) * 10) / 10;
  const kpi = (met: () => IndicatorValue, missed: () => IndicatorValue) =>
    random() < CHANCE_OF_A_MISS ? missed() : met();
  const values: Record<string, IndicatorValue> = {
    SUP: kpi(
      () => 100,
      () => between(80, 99),
    ),
    TRN: kpi(
      () => between(95, 100),
      () => between(80, 94),
    ),
    EDU: kpi(
      () => between(90, 100),
      () => between(70, 89),
    ),
    PLN: kpi(
      () => 100,
      () => between(85, 99),
    ),
    RTI:
      random() < 0.3
        ? { notApplicable: true, reason: 'No missing-from-care episodes this month' }
        : kpi(
            () => 100,
            () => between(80, 99),
          ),
    NTF: kpi(
      () => 100,
      () => 90,
    ),
    R44: kpi(
      () => true,
      () => false,
    ),
    RPI: kpi(
      () => Math.floor(random() * 3),
      () => 3 + Math.floor(random() * 4),
    ),
    AGY: kpi(
      () => between(0, 10),
      () => between(11, 30),
    ),
  };
  if (homeIndex === 1 && monthsFromEnd < 4) values.EDU = 70 + monthsFromEnd; // Stage 3 story
  if (homeIndex === 0 && monthsFromEnd < 2) values.SUP = 80; // Stage 1 story
  return values;
}

/** A small deterministic generator (mulberry32), so the demo is the same every time. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
