import {
  DISCHARGE_REASONS,
  lastDayOfMonth,
  LEAD_NEEDS,
  yearMonth,
  type BreakdownValue,
  type IndicatorValue,
  type Period,
  type ServiceType,
} from '@kpi/domain';
import { seededRandom } from './demo-story';

/*
 * The figures of the council's direct services, month by month: plausible, the same every run
 * (a seeded sequence per service and month, so one return's draws never shift another's), with
 * the seasons in them — more annual leave in summer and December, more sickness in winter, day
 * centres quieter in August and at Christmas, the respite unit busiest in summer. Derived items
 * (capacity unused and utilised %, beds unoccupied) are left out: the return computes them.
 */

/** A direct service's size: what its figures are drawn around. */
export interface DirectServiceProfile {
  serviceType: ServiceType;
  /** Weekly places (beds a night, for the respite unit). */
  places: number;
  people: number;
  careStaff: number;
  domesticStaff: number;
  chcPlacements: number;
  outOfCountyPlacements: number;
}

/** Figures the story fixes for a month (referrals outside their range, a supervision gap). */
export interface MonthOverrides {
  referrals?: number;
  staffNotSupervised?: number;
}

/** How people split by lead need, accommodation, transport and social work team, by service type. */
const SHARES: Record<string, Record<string, Record<string, number>>> = {
  'day-service': {
    lead: { MH: 0.1, LD: 0.6, PSD: 0.25, OP: 0.05 },
    accommodation: {
      'Supported Living': 0.3,
      'Residential Care': 0.1,
      Ategi: 0.1,
      Family: 0.45,
      Independent: 0.05,
    },
    transport: {
      'Social services assisted': 0.7,
      'Mobility vehicle or monies': 0.2,
      Independent: 0.1,
    },
    teams: {
      'CMHT North': 0.05,
      'CMHT South': 0.05,
      'Complex Case Team': 0.4,
      'Afan Network': 0.25,
      'Neath Network': 0.25,
    },
  },
  respite: {
    lead: { MH: 0.05, LD: 0.7, PSD: 0.25, OP: 0 },
    accommodation: {
      'Supported Living': 0.05,
      'Residential Care': 0,
      Ategi: 0.1,
      Family: 0.85,
      Independent: 0,
    },
    transport: {
      'Social services assisted': 0.6,
      'Mobility vehicle or monies': 0.35,
      Independent: 0.05,
    },
    teams: {
      'CMHT North': 0,
      'CMHT South': 0.05,
      'Complex Case Team': 0.55,
      'Afan Network': 0.2,
      'Neath Network': 0.2,
    },
  },
  'supported-living': {
    lead: { MH: 0.45, LD: 0.35, PSD: 0.1, OP: 0.1 },
    accommodation: {
      'Supported Living': 0.3,
      'Residential Care': 0,
      Ategi: 0,
      Family: 0.1,
      Independent: 0.6,
    },
    transport: {
      'Social services assisted': 0.1,
      'Mobility vehicle or monies': 0.2,
      Independent: 0.7,
    },
    teams: {
      'CMHT North': 0.3,
      'CMHT South': 0.3,
      'Complex Case Team': 0,
      'Afan Network': 0.2,
      'Neath Network': 0.2,
    },
  },
  'work-and-training': {
    lead: { MH: 0.2, LD: 0.7, PSD: 0.1, OP: 0 },
    accommodation: {
      'Supported Living': 0.25,
      'Residential Care': 0,
      Ategi: 0.05,
      Family: 0.5,
      Independent: 0.2,
    },
    transport: {
      'Social services assisted': 0.4,
      'Mobility vehicle or monies': 0.1,
      Independent: 0.5,
    },
    teams: {
      'CMHT North': 0.1,
      'CMHT South': 0.1,
      'Complex Case Team': 0.2,
      'Afan Network': 0.3,
      'Neath Network': 0.3,
    },
  },
};

/** Weekly contracted hours of a member of staff. */
const CONTRACTED_HOURS = 30;
/** The seed of the direct services' figures; each service and month draws from its own. */
export const DIRECT_SERVICES_SEED = 20161213;

/**
 * A direct service's return for the `m`-th month seeded (`period`), as the framework version in
 * force asks: `withSupervisionRatio` when it collects the supervision ratio (version 2).
 */
export function directServiceValues(
  profile: DirectServiceProfile,
  { serviceIndex, m, period }: { serviceIndex: number; m: number; period: Period },
  {
    withSupervisionRatio,
    overrides = {},
  }: { withSupervisionRatio: boolean; overrides?: MonthOverrides },
): Record<string, IndicatorValue> {
  const random = seededRandom(DIRECT_SERVICES_SEED + serviceIndex * 1000 + m);
  const draw = (from: number, to: number) => from + Math.floor(random() * (to - from + 1));
  const { month } = yearMonth(period);
  const winter = month === 12 || month <= 2;
  const summer = month === 7 || month === 8;
  const quiet = month === 8 || month === 12;
  const days = daysIn(period);
  const shares = SHARES[profile.serviceType]!;

  const people = profile.people + Math.round(2 * Math.sin(m / 3 + serviceIndex));
  const staff = profile.careStaff + profile.domesticStaff + 1;
  const careContracted = profile.careStaff * CONTRACTED_HOURS;
  const domesticContracted = profile.domesticStaff * CONTRACTED_HOURS;
  const hoursAvailable = halfHours(((careContracted + domesticContracted) * days) / 7);
  const utilisation = 0.82 + 0.1 * random() - (quiet ? 0.08 : 0);
  const discharges = random() < 0.5 ? 0 : draw(1, 2);
  const dischargeReason = random() < 0.7 ? 0 : draw(1, 3);

  const values: Record<string, IndicatorValue> = {
    PEOPLE: breakdown(people, shares.lead!, LEAD_NEEDS),
    SW_ASSESSED: Math.round(people * (0.85 + 0.1 * random())),
    SW_REVIEWS: draw(1, 5),
    ISA_IN_DATE: people - draw(0, 3),
    ISA_RENEWED: draw(1, 4),
    CAP_AVAILABLE: profile.places,
    CAP_UTILISED: Math.min(profile.places, Math.round(profile.places * utilisation)),
    REFERRALS:
      overrides.referrals ?? Math.min(6, draw(1, 4) + (month === 9 || month === 1 ? 1 : 0)),
    DISCHARGES: breakdown(
      discharges,
      Object.fromEntries(
        DISCHARGE_REASONS.map((reason, i) => [reason, i === dischargeReason ? 1 : 0]),
      ),
      DISCHARGE_REASONS,
    ),
    CHC_PLACEMENTS: profile.chcPlacements,
    OOC_PLACEMENTS: profile.outOfCountyPlacements,
    ACCOMMODATION: breakdown(people, shares.accommodation!),
    TRANSPORT: breakdown(people, shares.transport!),
    SW_TEAMS: breakdown(people, shares.teams!),
    SAFEGUARDING: random() < 0.2 ? 1 : 0,
    CHILD_PROTECTION: 0,
    INCIDENTS: draw(0, profile.serviceType === 'supported-living' ? 2 : 5),
    COMPLAINTS: random() < 0.08 ? 1 : 0,
    REG38: profile.serviceType === 'respite' && random() < 0.1 ? 1 : 0,
    CARE_STAFF: profile.careStaff,
    CARE_CONTRACTED: careContracted,
    CARE_DELIVERED: halfHours(((careContracted * days) / 7) * (0.95 + 0.08 * random())),
    DOMESTIC_STAFF: profile.domesticStaff,
    DOMESTIC_CONTRACTED: domesticContracted,
    DOMESTIC_DELIVERED: halfHours(((domesticContracted * days) / 7) * (0.95 + 0.05 * random())),
    STAFF_TOTAL: staff,
    SUPERVISIONS: Math.round(staff * (0.5 + 0.3 * random())),
    APPRAISALS_IN_DATE: staff - draw(0, 2),
    APPRAISALS: draw(0, 2),
    TEAM_MEETINGS: 1,
    HOURS_AVAILABLE: hoursAvailable,
    HOURS_LEAVE: halfHours(
      hoursAvailable * (summer ? 0.16 : month === 12 ? 0.13 : 0.07) * (0.9 + 0.2 * random()),
    ),
    HOURS_TRAINING: halfHours(hoursAvailable * (0.02 + 0.02 * random())),
    HOURS_SICKNESS: halfHours(hoursAvailable * (winter ? 0.06 : 0.03) * (0.8 + 0.4 * random())),
    ABSENCE_STAGES: withTotal({
      'Stage 1': draw(0, 2) + (winter ? 1 : 0),
      'Stage 2': random() < 0.3 ? 1 : 0,
      'Stage 3': 0,
    }),
  };
  if (profile.serviceType === 'respite')
    Object.assign(values, respiteValues(profile, { days, summer, people, draw, random }));
  if (withSupervisionRatio)
    values.SUPERVISED_IN_8_WEEKS = {
      numerator: staff - (overrides.staffNotSupervised ?? 0),
      denominator: staff,
    };
  return values;
}

/** The respite unit's own items: bed nights, emergency interim accommodation, banding. */
function respiteValues(
  profile: DirectServiceProfile,
  {
    days,
    summer,
    people,
    draw,
    random,
  }: {
    days: number;
    summer: boolean;
    people: number;
    draw: (from: number, to: number) => number;
    random: () => number;
  },
): Record<string, IndicatorValue> {
  const available = profile.places * days;
  const emergencyNights = random() < 0.3 ? draw(5, 20) : 0;
  return {
    BEDS_AVAILABLE: available,
    BEDS_DELIVERED: Math.min(
      available,
      Math.round(available * (0.72 + (summer ? 0.12 : 0) + 0.1 * random())),
    ),
    BEDS_CANCELLED: draw(0, 3),
    EIA_BEDS: emergencyNights,
    EIA_DISCHARGES: emergencyNights > 0 && random() < 0.5 ? 1 : 0,
    MOVE_ON_PLANS: draw(0, 2),
    BANDING_ALLOCATED: Math.round(people * 0.8) + draw(0, 4),
  };
}

/**
 * `total` split by `shares` into whole parts that add up to it (largest remainders first), with
 * every category of `categories` (those of the shares when left out).
 */
export function breakdown(
  total: number,
  shares: Record<string, number>,
  categories: readonly string[] = Object.keys(shares),
): BreakdownValue {
  const exact = categories.map((c) => total * (shares[c] ?? 0));
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((value, i) => ({ i, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    parts[i]!++;
    left--;
  }
  return { parts: Object.fromEntries(categories.map((c, i) => [c, parts[i]!])), total };
}

const withTotal = (parts: Record<string, number>): BreakdownValue => ({
  parts,
  total: Object.values(parts).reduce((a, b) => a + b, 0),
});

const halfHours = (hours: number) => Math.round(hours * 2) / 2;

const daysIn = (period: Period) => Number(lastDayOfMonth(period).slice(8));
