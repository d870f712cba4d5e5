import { addDays } from '../shared/calendar-date';
import { londonInstant } from '../shared/london-time';
import { londonDateOf } from '../shared/period';
import { type FinancialQuarter, percentageOf } from '../staff/workforce-measures';
import type { Rag } from '../kpi/judge-indicator.policy';
import type { CarePackage } from './care-package.decider';

/**
 * The provider KPIs of the care-at-home contract (docs/rules/care-at-home-call-off.md), each
 * with its target by contract year. The call-off measures come from the packages themselves;
 * the rest from the provider's quarterly return.
 */

export type ProviderKpiCode =
  | 'acceptance-within-4-hours'
  | 'family-contact-in-time'
  | 'care-started-within-a-week'
  | 'complaints-answered-in-time'
  | 'staff-turnover'
  | 'quarterly-supervision'
  | 'annual-appraisal'
  | 'care-certificate-in-12-weeks'
  | 'diploma-level-1'
  | 'diploma-level-2';

/** The KPIs a provider reports in its quarterly return (numerator and denominator each). */
export const QUARTERLY_RETURN_KPI_CODES = [
  'complaints-answered-in-time',
  'staff-turnover',
  'quarterly-supervision',
  'annual-appraisal',
  'care-certificate-in-12-weeks',
  'diploma-level-1',
  'diploma-level-2',
] as const satisfies readonly ProviderKpiCode[];
export type QuarterlyReturnKpiCode = (typeof QUARTERLY_RETURN_KPI_CODES)[number];

export interface ProviderKpiDefinition {
  code: ProviderKpiCode;
  /** The requirement number in the contract's specification (2.1, §47, …). */
  reference: string;
  name: string;
  direction: 'higher-is-better' | 'lower-is-better';
  /**
   * Targets (percentages) for contract year 1, 2, 3, …; the last one holds for every later
   * year. Empty: the contract sets none (reported, never judged).
   */
  targets: readonly number[];
  source: 'call-off' | 'quarterly-return';
  numerator: string;
  denominator: string;
}

export const PROVIDER_KPIS: readonly ProviderKpiDefinition[] = [
  {
    code: 'acceptance-within-4-hours',
    reference: '2.1',
    name: 'Ability to accept a package notified within 4 hours',
    direction: 'higher-is-better',
    targets: [95, 96, 97, 99],
    source: 'call-off',
    numerator: 'offers answered (accepted or declined) within 4 hours',
    denominator: 'packages offered to the provider on its own (first refusal or next in rotation)',
  },
  {
    code: 'family-contact-in-time',
    reference: '2.2',
    name: 'Family contacted within 24 hours of referral (12 hours if urgent)',
    direction: 'higher-is-better',
    targets: [95, 96, 97, 99],
    source: 'call-off',
    numerator: 'packages whose family was contacted in time',
    denominator: 'packages the provider accepted',
  },
  {
    code: 'care-started-within-a-week',
    reference: '§47',
    name: 'Care started within a week of the first contact (or on the agreed later start date)',
    direction: 'higher-is-better',
    targets: [],
    source: 'call-off',
    numerator: 'packages started in time',
    denominator: 'packages whose family was first contacted',
  },
  {
    code: 'complaints-answered-in-time',
    reference: '2.3',
    name: 'Complaints answered within the timescales (15 working days)',
    direction: 'higher-is-better',
    targets: [100],
    source: 'quarterly-return',
    numerator: 'complaints answered within 15 working days',
    denominator: 'complaints whose response fell due in the quarter',
  },
  {
    code: 'staff-turnover',
    reference: '4.1',
    name: 'Staff turnover over the quarter (under 5 %)',
    direction: 'lower-is-better',
    targets: [5],
    source: 'quarterly-return',
    numerator: 'staff who left in the quarter',
    denominator: 'average headcount: (at the start + at the end) ÷ 2',
  },
  {
    code: 'quarterly-supervision',
    reference: '5.1',
    name: 'Care staff with a one-to-one supervision in the last three months',
    direction: 'higher-is-better',
    targets: [100],
    source: 'quarterly-return',
    numerator: 'care staff supervised one-to-one in the three months to the quarter end',
    denominator: 'care staff in post at least three months',
  },
  {
    code: 'annual-appraisal',
    reference: '5.2',
    name: 'Care staff with a written appraisal in the last year',
    direction: 'higher-is-better',
    targets: [100],
    source: 'quarterly-return',
    numerator: 'care staff appraised in the twelve months to the quarter end',
    denominator: 'care staff in post at least a year',
  },
  {
    code: 'care-certificate-in-12-weeks',
    reference: '5.3',
    name: 'Care Certificate obtained within 12 weeks of starting',
    direction: 'higher-is-better',
    targets: [100],
    source: 'quarterly-return',
    numerator: 'of them, those who obtained it within 12 weeks',
    denominator: 'staff whose 12 weeks ended in the quarter',
  },
  {
    code: 'diploma-level-1',
    reference: '5.4',
    name: 'Staff holding an NVQ / Diploma in Care at level 1',
    direction: 'higher-is-better',
    targets: [20, 25, 30],
    source: 'quarterly-return',
    numerator: 'care staff holding level 1 (or higher)',
    denominator: 'care staff in post at the quarter end',
  },
  {
    code: 'diploma-level-2',
    reference: '5.4',
    name: 'Staff holding an NVQ / Diploma in Care at level 2',
    direction: 'higher-is-better',
    targets: [20, 25, 30],
    source: 'quarterly-return',
    numerator: 'care staff holding level 2 (or higher)',
    denominator: 'care staff in post at the quarter end',
  },
];

/**
 * The contract year a quarter is judged in: the year in force on its first day (year 1 from the
 * contract start date, year 2 from its first anniversary …); a quarter during which the
 * contract started is year 1. Null for a quarter that ended before the contract started.
 */
export function contractYearOf(
  contractStartDate: string,
  quarter: FinancialQuarter,
): number | null {
  if (quarter.lastDay < contractStartDate) return null;
  return contractYearOn(
    contractStartDate,
    quarter.firstDay < contractStartDate ? contractStartDate : quarter.firstDay,
  );
}

/** The contract year in force on a date (year 1 from the start date); null before it. */
export function contractYearOn(contractStartDate: string, date: string): number | null {
  if (date < contractStartDate) return null;
  const [sy, sm, sd] = contractStartDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const beforeAnniversary = m < sm || (m === sm && d < sd);
  return y - sy - (beforeAnniversary ? 1 : 0) + 1;
}

/** The target of a KPI in a contract year (the last listed year's for any year after). */
export function providerKpiTarget(
  kpi: ProviderKpiDefinition,
  contractYear: number | null,
): number | null {
  if (contractYear === null || kpi.targets.length === 0) return null;
  return kpi.targets[Math.min(contractYear, kpi.targets.length) - 1]!;
}

/** Green when the target is met, red when not (these KPIs have no floor); grey without data or target. */
export function ragFor(
  kpi: Pick<ProviderKpiDefinition, 'direction'>,
  value: number | null,
  target: number | null,
): Rag {
  if (value === null || target === null) return 'grey';
  const met = kpi.direction === 'lower-is-better' ? value < target : value >= target;
  return met ? 'green' : 'red';
}

/** A ratio as counted: pending items are neither met nor missed yet. */
export interface KpiCount {
  numerator: number;
  denominator: number;
  pending: number;
}

const FOUR_HOURS_MS = 4 * 3_600_000;
const FAMILY_CONTACT_MS = 24 * 3_600_000;
const URGENT_FAMILY_CONTACT_MS = 12 * 3_600_000;
const DAYS_TO_START = 7;

/** A quarter as instants: from midnight (London) on its first day to midnight after its last. */
interface QuarterSpan {
  from: number;
  until: number;
}

function spanOf(quarter: FinancialQuarter): QuarterSpan {
  return {
    from: londonInstant(quarter.firstDay, '00:00').getTime(),
    until: londonInstant(addDays(quarter.lastDay, 1), '00:00').getTime(),
  };
}

/** Whether an instant falls in the quarter, London time (compared as instants: no formatting). */
function inQuarter(instant: string, span: QuarterSpan): boolean {
  const at = Date.parse(instant);
  return at >= span.from && at < span.until;
}

/** The KPIs counted from the packages themselves. */
export type CallOffKpiCode =
  'acceptance-within-4-hours' | 'family-contact-in-time' | 'care-started-within-a-week';

export const CALL_OFF_KPI_CODES: readonly CallOffKpiCode[] = [
  'acceptance-within-4-hours',
  'family-contact-in-time',
  'care-started-within-a-week',
];

/**
 * One thing a call-off KPI counts for one provider — an offer it had to answer, a family it had
 * to contact, a start of care — with what came of it. Kept with each package in the read model,
 * so a quarter's figures are a sum.
 */
export interface CallOffKpiItem {
  providerId: string;
  code: CallOffKpiCode;
  /** The instant that puts it in a quarter: the offer, the acceptance, the first contact. */
  countedAt: string;
  /** Met or missed once settled; open while its window or deadline runs. */
  outcome: 'met' | 'missed' | 'open';
  /** For an open item, the instant from which it is missed if still nothing is done. */
  missedFrom: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The KPI items of a package (docs/rules/care-at-home-call-off.md; docs/decisions/0013):
 * - 2.1: each offer made to a provider on its own (first refusal, next in rotation), counted at
 *   the offer; met when it answered — accepted or declined — within 4 hours; missed when it did
 *   not, let the window close, or the package went elsewhere. Offers to all ask nobody for an
 *   answer: no item.
 * - 2.2: the provider that accepted, counted at the acceptance; met when the family was
 *   contacted within 24 hours of it (12 when urgent).
 * - §47: the same provider, counted at the first contact; met when care started within 7 days
 *   of it, or by the package's planned start date when later.
 */
export function callOffKpiItems(pkg: CarePackage): CallOffKpiItem[] {
  const items: CallOffKpiItem[] = [];
  for (const offer of pkg.offers) {
    if (offer.round === 'all') continue;
    const offeredAt = Date.parse(offer.offeredAt);
    for (const providerId of offer.providers) {
      const answeredAt =
        pkg.declined[providerId] ??
        (pkg.accepted?.providerId === providerId ? pkg.accepted.acceptedAt : null);
      const item = {
        providerId,
        code: 'acceptance-within-4-hours' as const,
        countedAt: offer.offeredAt,
      };
      if (answeredAt !== null) {
        const met = Date.parse(answeredAt) - offeredAt <= FOUR_HOURS_MS;
        items.push({ ...item, outcome: met ? 'met' : 'missed', missedFrom: null });
      } else if (pkg.accepted || pkg.unplacedAt) {
        items.push({ ...item, outcome: 'missed', missedFrom: null });
      } else {
        const lapses = offeredAt + FOUR_HOURS_MS + 1;
        const closes = offer.closesAt === null ? Infinity : Date.parse(offer.closesAt);
        items.push({ ...item, outcome: 'open', missedFrom: iso(Math.min(lapses, closes)) });
      }
    }
  }
  const accepted = pkg.accepted;
  if (!accepted) return items;
  const providerId = accepted.providerId;
  const dueBy =
    Date.parse(accepted.acceptedAt) + (pkg.urgent ? URGENT_FAMILY_CONTACT_MS : FAMILY_CONTACT_MS);
  const contact = {
    providerId,
    code: 'family-contact-in-time' as const,
    countedAt: accepted.acceptedAt,
  };
  if (pkg.familyContactedAt === null) {
    items.push({ ...contact, outcome: 'open', missedFrom: iso(dueBy + 1) });
    return items;
  }
  const contactedInTime = Date.parse(pkg.familyContactedAt) <= dueBy;
  items.push({ ...contact, outcome: contactedInTime ? 'met' : 'missed', missedFrom: null });
  const weekAfter = addDays(londonDateOf(new Date(pkg.familyContactedAt)), DAYS_TO_START);
  const dueOn = pkg.startDate > weekAfter ? pkg.startDate : weekAfter;
  const start = {
    providerId,
    code: 'care-started-within-a-week' as const,
    countedAt: pkg.familyContactedAt,
  };
  if (pkg.careStartedOn === null) {
    const missedFrom = londonInstant(addDays(dueOn, 1), '00:00').toISOString();
    items.push({ ...start, outcome: 'open', missedFrom });
  } else {
    items.push({
      ...start,
      outcome: pkg.careStartedOn <= dueOn ? 'met' : 'missed',
      missedFrom: null,
    });
  }
  return items;
}

/** A provider's count of one call-off KPI in a quarter: open items past their time are missed. */
export function countCallOffKpi(
  items: readonly CallOffKpiItem[],
  providerId: string,
  code: CallOffKpiCode,
  quarter: FinancialQuarter,
  now: Date,
): KpiCount {
  const count: KpiCount = { numerator: 0, denominator: 0, pending: 0 };
  const span = spanOf(quarter);
  const at = now.getTime();
  for (const item of items) {
    if (item.providerId !== providerId || item.code !== code || !inQuarter(item.countedAt, span))
      continue;
    if (item.outcome === 'met') {
      count.numerator++;
      count.denominator++;
    } else if (item.outcome === 'missed' || at >= Date.parse(item.missedFrom!)) count.denominator++;
    else count.pending++;
  }
  return count;
}

/** KPI 2.1 for one provider in a quarter ({@link callOffKpiItems}). */
export const acceptanceWithinFourHours = (
  packages: readonly CarePackage[],
  providerId: string,
  quarter: FinancialQuarter,
  now: Date,
): KpiCount =>
  countCallOffKpi(
    packages.flatMap(callOffKpiItems),
    providerId,
    'acceptance-within-4-hours',
    quarter,
    now,
  );

/** KPI 2.2 for one provider in a quarter ({@link callOffKpiItems}). */
export const familyContactInTime = (
  packages: readonly CarePackage[],
  providerId: string,
  quarter: FinancialQuarter,
  now: Date,
): KpiCount =>
  countCallOffKpi(
    packages.flatMap(callOffKpiItems),
    providerId,
    'family-contact-in-time',
    quarter,
    now,
  );

/** §47 for one provider in a quarter ({@link callOffKpiItems}). */
export const careStartedWithinAWeek = (
  packages: readonly CarePackage[],
  providerId: string,
  quarter: FinancialQuarter,
  now: Date,
): KpiCount =>
  countCallOffKpi(
    packages.flatMap(callOffKpiItems),
    providerId,
    'care-started-within-a-week',
    quarter,
    now,
  );

/** A quarterly return's figure for one KPI. */
export interface ReportedFigure {
  numerator: number;
  denominator: number;
}

export type QuarterlyReturnFigures = Record<QuarterlyReturnKpiCode, ReportedFigure>;

export interface ProviderKpiResult {
  code: ProviderKpiCode;
  reference: string;
  name: string;
  direction: ProviderKpiDefinition['direction'];
  source: ProviderKpiDefinition['source'];
  numerator: number | null;
  denominator: number | null;
  /** Call-off items not yet met or missed (a window or deadline still running). */
  pending: number;
  /** A percentage to one decimal place; null when there is nothing to count or no return. */
  value: number | null;
  /** The target for the quarter's contract year; null when the contract sets none. */
  target: number | null;
  rag: Rag;
}

/** The call-off KPIs of one provider in a quarter, counted from the packages in memory. */
export function callOffCounts(
  packages: readonly CarePackage[],
  providerId: string,
  quarter: FinancialQuarter,
  now: Date,
): Record<CallOffKpiCode, KpiCount> {
  const items = packages.flatMap(callOffKpiItems);
  return {
    'acceptance-within-4-hours': countCallOffKpi(
      items,
      providerId,
      'acceptance-within-4-hours',
      quarter,
      now,
    ),
    'family-contact-in-time': countCallOffKpi(
      items,
      providerId,
      'family-contact-in-time',
      quarter,
      now,
    ),
    'care-started-within-a-week': countCallOffKpi(
      items,
      providerId,
      'care-started-within-a-week',
      quarter,
      now,
    ),
  };
}

/**
 * A provider's performance in a quarter: every KPI with its value, the target for the
 * quarter's contract year and its RAG. The quarterly-return KPIs are grey until the return is in.
 */
export function providerPerformance(input: {
  providerId: string;
  quarter: FinancialQuarter;
  contractYear: number | null;
  /** The call-off KPIs as counted (by {@link countCallOffKpi}, or summed by the read side). */
  callOff: Record<CallOffKpiCode, KpiCount>;
  quarterlyReturn: QuarterlyReturnFigures | null;
}): ProviderKpiResult[] {
  const counted: Partial<Record<ProviderKpiCode, KpiCount>> = input.callOff;
  return PROVIDER_KPIS.map((kpi) => {
    const figure: KpiCount | null =
      kpi.source === 'call-off'
        ? counted[kpi.code]!
        : input.quarterlyReturn
          ? { ...input.quarterlyReturn[kpi.code as QuarterlyReturnKpiCode], pending: 0 }
          : null;
    const value = figure ? percentageOf(figure.numerator, figure.denominator) : null;
    const target = providerKpiTarget(kpi, input.contractYear);
    return {
      code: kpi.code,
      reference: kpi.reference,
      name: kpi.name,
      direction: kpi.direction,
      source: kpi.source,
      numerator: figure?.numerator ?? null,
      denominator: figure?.denominator ?? null,
      pending: figure?.pending ?? 0,
      value,
      target,
      rag: ragFor(kpi, value, target),
    };
  });
}

export interface LeagueTableEntry {
  providerId: string;
  kpis: readonly ProviderKpiResult[];
}

export interface LeagueTableRow extends LeagueTableEntry {
  rank: number;
  green: number;
  red: number;
  grey: number;
}

/**
 * The commissioner's league table: providers ranked by KPIs met (green), then fewest missed
 * (red), then id; providers level on both share a rank.
 */
export function leagueTable(entries: readonly LeagueTableEntry[]): LeagueTableRow[] {
  const rows = entries.map((entry) => ({
    ...entry,
    rank: 0,
    green: entry.kpis.filter((k) => k.rag === 'green').length,
    red: entry.kpis.filter((k) => k.rag === 'red').length,
    grey: entry.kpis.filter((k) => k.rag === 'grey').length,
  }));
  rows.sort(
    (a, b) => b.green - a.green || a.red - b.red || a.providerId.localeCompare(b.providerId),
  );
  rows.forEach((row, i) => {
    const previous = rows[i - 1];
    row.rank =
      previous && previous.green === row.green && previous.red === row.red ? previous.rank : i + 1;
  });
  return rows;
}
