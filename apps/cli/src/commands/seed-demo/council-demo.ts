import {
  acceptCarePackage,
  declineCarePackage,
  establishCareFramework,
  recordCareStarted,
  recordFamilyContact,
  registerCarePackage,
} from '@kpi/features/call-off';
import {
  submitProviderCapacityReturn,
  submitProviderQuarterlyReturn,
} from '@kpi/features/provider-returns';
import { registerOrganisation } from '@kpi/features/organisation';
import { entityId, loadState, loadWorkingDayCalendar, type EntityId } from '@kpi/command-handling';
import {
  addDays,
  ConflictError,
  londonInstant,
  OFFER_WINDOW_MS,
  organisationDecider,
  parsePeriod,
  periodsBetween,
  quarterKeyOf,
  streamIds,
  type FinancialQuarter,
  type OfferRound,
  type QuarterlyReturnFigures,
} from '@kpi/domain';
import {
  capacityReturnAt,
  quarterlyReturnAt,
  referralDays,
  type DemoCalendar,
} from './demo-calendar';
import type { DemoContext } from './demo-context';

/*
 * The council's story (the README's commissioner commands): `demo-council` runs a care-at-home
 * framework with three providers in rotation — the demo provider, `demo-bright-care` and
 * `demo-cwtch-care` — its contract started on the first day of the quarter before the last one
 * that ended (`$QUARTER`), so `$QUARTER` is contract year 1. Every Tuesday and Thursday (working
 * days) of both quarters, up to two weeks before the quarter's end, it refers a package at
 * 10:00; each provider answers as its habit says (below), the one that takes it contacts the
 * family and starts care a week after the referral. No chance: the same offers every time.
 *
 * - the demo provider takes every package offered to it, within the hour, and contacts the
 *   family the next morning: green throughout;
 * - demo-bright-care declines every other package it has first refusal of (within the hour: a
 *   decline is an answer, so its acceptance KPI stays green); its quarterly return shows staff
 *   turnover, supervision, complaints and level-2 diplomas below target;
 * - demo-cwtch-care lets one first refusal in three lapse unanswered, and one offer in four
 *   as second in rotation (then the package goes to all: the demo provider takes it), and
 *   contacts every other family late (30 hours): red on both; it has not sent its quarterly
 *   return for `$QUARTER` (grey), only for the quarter before.
 *
 * League table for `$QUARTER`: the demo provider 1st, demo-bright-care 2nd, demo-cwtch-care 3rd.
 */

export const DEMO_COUNCIL = {
  councilId: entityId('demo-council', 'councilId'),
  name: 'Demo County Council',
  frameworkId: entityId('care-at-home', 'frameworkId'),
  frameworkName: 'Care at home',
} as const;

/** The framework's providers after the demo provider, in rotation order. */
export const OTHER_PROVIDERS = [
  { providerId: entityId('demo-bright-care', 'providerId'), name: 'Bright Care Ltd' },
  { providerId: entityId('demo-cwtch-care', 'providerId'), name: 'Cwtch Care' },
] as const;

const COMMISSIONER = 'user:commissioner-kim';
const PLACEMENTS = 'user:placements-lead';

type Answer = 'accept' | 'decline' | 'no answer';

/**
 * How each provider (by rotation position) answers an offer made to it on its own; `turn`
 * counts the rotation's rounds (the package's position ÷ 3), so habits repeat every few rounds.
 */
const HABITS: ((turn: number, round: OfferRound) => Answer)[] = [
  () => 'accept',
  (turn, round) => (round === 'first-refusal' && turn % 2 === 0 ? 'decline' : 'accept'),
  (turn, round) =>
    (round === 'first-refusal' && turn % 3 === 1) || (round === 'second' && turn % 4 === 2)
      ? 'no answer'
      : 'accept',
];
/** demo-cwtch-care contacts the family late for every other package it takes. */
const contactsLate = (providerIndex: number, turn: number) => providerIndex === 2 && turn % 2 === 1;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The quarterly returns' figures: the demo provider meets every target, Bright Care some. */
const QUARTERLY_FIGURES: QuarterlyReturnFigures[] = [
  {
    'complaints-answered-in-time': { numerator: 3, denominator: 3 },
    'staff-turnover': { numerator: 1, denominator: 41 },
    'quarterly-supervision': { numerator: 38, denominator: 38 },
    'annual-appraisal': { numerator: 30, denominator: 30 },
    'care-certificate-in-12-weeks': { numerator: 2, denominator: 2 },
    'diploma-level-1': { numerator: 15, denominator: 41 },
    'diploma-level-2': { numerator: 11, denominator: 41 },
  },
  {
    'complaints-answered-in-time': { numerator: 4, denominator: 5 },
    'staff-turnover': { numerator: 3, denominator: 29.5 },
    'quarterly-supervision': { numerator: 25, denominator: 27 },
    'annual-appraisal': { numerator: 22, denominator: 22 },
    'care-certificate-in-12-weeks': { numerator: 1, denominator: 1 },
    'diploma-level-1': { numerator: 8, denominator: 30 },
    'diploma-level-2': { numerator: 5, denominator: 30 },
  },
  {
    'complaints-answered-in-time': { numerator: 1, denominator: 2 },
    'staff-turnover': { numerator: 4, denominator: 20 },
    'quarterly-supervision': { numerator: 14, denominator: 18 },
    'annual-appraisal': { numerator: 10, denominator: 15 },
    'care-certificate-in-12-weeks': { numerator: 0, denominator: 2 },
    'diploma-level-1': { numerator: 3, denominator: 20 },
    'diploma-level-2': { numerator: 2, denominator: 20 },
  },
];

export interface CouncilDemoSummary {
  councilId: string;
  frameworkId: string;
  providers: string[];
  contractStartDate: string;
  quarter: string;
  packages: number;
  placedAtFirstRefusal: number;
  movedOn: number;
  offeredToAll: number;
  capacityReturns: number;
  quarterlyReturns: number;
}

/**
 * The council, its framework and the providers' side: packages referred in rotation and
 * answered, monthly capacity returns from the contract start to the last month, and quarterly
 * returns. Seeded once: a run that finds the council registered (another demo provider's, or
 * one registering it at the same moment) leaves it.
 */
export async function seedCouncil(
  demo: DemoContext,
  calendar: DemoCalendar,
): Promise<CouncilDemoSummary | null> {
  const { councilId, frameworkId } = DEMO_COUNCIL;
  if (await isRegistered(demo, councilId)) return null;
  const providers = [
    entityId(demo.tenant, 'providerId'),
    ...OTHER_PROVIDERS.map((p) => p.providerId),
  ];
  const { setUpAt, contractStartDate } = calendar;
  try {
    await registerOrganisation(demo.context(councilId, calendar.councilSetUpAt), {
      name: DEMO_COUNCIL.name,
      kind: 'council',
    });
  } catch (error) {
    // Another demo provider seeded at the same moment (the query benchmark's tenants) has it.
    if (error instanceof ConflictError) return null;
    throw error;
  }
  for (const { providerId, name } of OTHER_PROVIDERS) {
    if (!(await isRegistered(demo, providerId)))
      await registerOrganisation(demo.context(providerId, setUpAt), { name, kind: 'provider' });
  }
  await establishCareFramework(
    demo.context(councilId, londonInstant(addDays(contractStartDate, -14), '09:00'), COMMISSIONER),
    {
      frameworkId,
      name: DEMO_COUNCIL.frameworkName,
      contractStartDate,
      providers,
    },
  );

  const workingDays = await loadWorkingDayCalendar(demo.store);
  const referrals = [calendar.previousQuarter, calendar.quarter].flatMap((quarter) =>
    referralDays(quarter, workingDays).map((day) => ({ quarter, day })),
  );
  const summary: CouncilDemoSummary = {
    councilId,
    frameworkId,
    providers,
    contractStartDate,
    quarter: calendar.quarter.quarter,
    packages: referrals.length,
    placedAtFirstRefusal: 0,
    movedOn: 0,
    offeredToAll: 0,
    capacityReturns: 0,
    quarterlyReturns: 0,
  };
  for (const [position, { quarter, day }] of referrals.entries()) {
    const round = await referAndPlace(demo, providers, position, quarter, day);
    if (round === 'first-refusal') summary.placedAtFirstRefusal++;
    else if (round === 'second') summary.movedOn++;
    else summary.offeredToAll++;
  }

  const onFramework = { councilId, frameworkId };
  const months = periodsBetween(parsePeriod(contractStartDate.slice(0, 7)), calendar.lastMonth);
  for (const [m, period] of months.entries()) {
    for (const [p, providerId] of providers.entries()) {
      await submitProviderCapacityReturn(
        demo.context(providerId, capacityReturnAt(period), PLACEMENTS),
        { ...onFramework, period, ...capacityFigures(p, m) },
      );
      summary.capacityReturns++;
    }
  }
  for (const quarter of [calendar.previousQuarter, calendar.quarter]) {
    for (const [p, providerId] of providers.entries()) {
      // demo-cwtch-care has not sent the last quarter's return.
      if (p === 2 && quarter === calendar.quarter) continue;
      await submitProviderQuarterlyReturn(
        demo.context(providerId, quarterlyReturnAt(quarter), PLACEMENTS),
        { ...onFramework, quarter: quarter.quarter, figures: QUARTERLY_FIGURES[p]! },
      );
      summary.quarterlyReturns++;
    }
  }
  return summary;
}

/**
 * Refers the package at rotation position `position` on `day` at 10:00 and plays the offers out
 * as the providers' habits say: who answers when, who takes it, the family contact and the
 * start of care. Answers the round the package was placed in.
 */
async function referAndPlace(
  demo: DemoContext,
  providers: EntityId[],
  position: number,
  quarter: FinancialQuarter,
  day: string,
): Promise<OfferRound> {
  const { councilId, frameworkId } = DEMO_COUNCIL;
  const packageId = entityId(
    `pkg-${quarterKeyOf(quarter.quarter)}-${String(position + 1).padStart(3, '0')}`,
    'packageId',
  );
  const referredAt = londonInstant(day, '10:00');
  const startDate = addDays(day, 7);
  await registerCarePackage(demo.context(councilId, referredAt, COMMISSIONER), {
    frameworkId,
    packageId,
    hoursPerWeek: 7 + (position % 5) * 3.5,
    outcomes: 'Support with personal care mornings and evenings; help to stay at home',
    startDate,
    urgent: false,
  });

  const turn = Math.floor(position / providers.length);
  const rounds: OfferRound[] = ['first-refusal', 'second'];
  let offeredAt = referredAt.getTime();
  let takenBy = (position + 2) % providers.length;
  let placedIn: OfferRound = 'all';
  for (const [r, round] of rounds.entries()) {
    const index = (position + r) % providers.length;
    const answer = HABITS[index]!(turn, round);
    const act = { councilId, packageId };
    if (answer === 'no answer') {
      offeredAt += OFFER_WINDOW_MS;
      continue;
    }
    const answeredAt = new Date(offeredAt + (round === 'first-refusal' ? 40 : 50) * MINUTE);
    const context = demo.context(providers[index]!, answeredAt, PLACEMENTS);
    if (answer === 'decline') {
      await declineCarePackage(context, {
        ...act,
        reason: 'No carers free in that area this week',
      });
      offeredAt = answeredAt.getTime();
      continue;
    }
    await acceptCarePackage(context, act);
    takenBy = index;
    placedIn = round;
    offeredAt = answeredAt.getTime();
    break;
  }
  if (placedIn === 'all') {
    // Offered to all the others when the second window closed: the one left takes it.
    offeredAt += 30 * MINUTE;
    await acceptCarePackage(demo.context(providers[takenBy]!, new Date(offeredAt), PLACEMENTS), {
      councilId,
      packageId,
    });
  }
  const provider = providers[takenBy]!;
  const contactedAt = new Date(offeredAt + (contactsLate(takenBy, turn) ? 30 : 23) * HOUR);
  await recordFamilyContact(
    demo.context(provider, new Date(contactedAt.getTime() + HOUR), PLACEMENTS),
    { councilId, packageId, contactedAt: contactedAt.toISOString() },
  );
  await recordCareStarted(demo.context(provider, londonInstant(startDate, '18:00'), PLACEMENTS), {
    councilId,
    packageId,
    startedOn: startDate,
  });
  return placedIn;
}

/** A provider's capacity in the m-th month of the contract: steady, a little movement. */
function capacityFigures(provider: number, m: number) {
  const base = [
    { careWorkers: 41, packages: 55, hours: 14.5, spare: 120 },
    { careWorkers: 29, packages: 34, hours: 12, spare: 60 },
    { careWorkers: 20, packages: 22, hours: 11, spare: 15 },
  ][provider]!;
  const packages = base.packages + (m % 4);
  return {
    careWorkers: base.careWorkers + (m % 3),
    packages,
    totalHours: packages * base.hours,
    estimatedHoursAvailableNextMonth: base.spare,
  };
}

async function isRegistered(demo: DemoContext, tenant: string): Promise<boolean> {
  const organisation = await loadState(demo, streamIds.organisation(tenant), organisationDecider);
  return organisation.status === 'registered';
}
