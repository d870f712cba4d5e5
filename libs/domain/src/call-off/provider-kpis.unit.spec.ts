import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../calendar/bank-holidays';
import { WorkingDayCalendar } from '../calendar/working-day-calendar';
import type { Rag } from '../kpi/judge-indicator.policy';
import { parseFinancialQuarter } from '../staff/workforce-measures';
import type { CallOffRotation } from './call-off.events';
import { heldUntil } from './call-off-windows';
import type { CarePackageCommand } from './care-package.commands';
import {
  carePackageDecider,
  type CarePackage,
  type CarePackageState,
} from './care-package.decider';
import {
  acceptanceWithinFourHours,
  careStartedWithinAWeek,
  contractYearOf,
  contractYearOn,
  familyContactInTime,
  leagueTable,
  PROVIDER_KPIS,
  providerKpiTarget,
  callOffCounts,
  providerPerformance,
  ragFor,
  type ProviderKpiCode,
  type ProviderKpiResult,
  type QuarterlyReturnFigures,
} from './provider-kpis';

const calendar = WorkingDayCalendar.of(ENGLAND_AND_WALES_BANK_HOLIDAYS);
const Q1 = parseFinancialQuarter('2026-27 Q1'); // April to June 2026
const Q2 = parseFinancialQuarter('2026-27 Q2'); // July to September 2026

const FIRST = 'alpha-care';
const SECOND = 'beta-care';
const OTHER = 'gamma-care';
const ROTATION: CallOffRotation = {
  firstRefusal: FIRST,
  second: SECOND,
  others: [OTHER, 'delta-care'],
};

const plus = (base: string, hours: number, minutes = 0) =>
  new Date(Date.parse(base) + hours * 3_600_000 + minutes * 60_000).toISOString();
const kpi = (code: ProviderKpiCode) => PROVIDER_KPIS.find((k) => k.code === code)!;

// Tuesday 12 May 2026, 10:00 BST: an ordinary working day.
const T = '2026-05-12T09:00:00.000Z';

/**
 * A package's call-off told as what happened to it, in order; each step is decided and its
 * events folded in, so the state is the one the decider keeps.
 */
class CallOff {
  private readonly commands: CarePackageCommand[] = [];

  constructor(
    private readonly packageId: string,
    registeredAt: string,
    options: { urgent?: boolean; startDate?: string; rotation?: CallOffRotation } = {},
  ) {
    const now = new Date(registeredAt);
    this.commands.push({
      type: 'RegisterCarePackage',
      data: {
        packageId,
        frameworkId: 'care-at-home-2026',
        hoursPerWeek: 12,
        outcomes: 'Personal care and support to take part in activities after school',
        startDate: options.startDate ?? registeredAt.slice(0, 10),
        urgent: options.urgent ?? false,
        rotation: options.rotation ?? ROTATION,
        heldUntil: heldUntil(now, calendar),
        registeredBy: 'user:placements-1',
        now,
      },
    });
  }

  accepted(providerId: string, at: string): this {
    const data = {
      packageId: this.packageId,
      providerId,
      acceptedBy: 'user:manager',
      now: new Date(at),
    };
    this.commands.push({ type: 'AcceptCarePackage', data });
    return this;
  }

  declined(providerId: string, at: string): this {
    const data = {
      packageId: this.packageId,
      providerId,
      declinedBy: 'user:manager',
      now: new Date(at),
    };
    this.commands.push({ type: 'DeclineCarePackage', data });
    return this;
  }

  /** The call-off timer ran. */
  timer(at: string): this {
    this.commands.push({
      type: 'MoveCarePackageOffer',
      data: { packageId: this.packageId, now: new Date(at) },
    });
    return this;
  }

  familyContacted(providerId: string, contactedAt: string, recordedAt = contactedAt): this {
    this.commands.push({
      type: 'RecordFamilyContact',
      data: {
        packageId: this.packageId,
        providerId,
        contactedAt,
        recordedBy: 'user:coordinator',
        now: new Date(recordedAt),
      },
    });
    return this;
  }

  careStarted(providerId: string, startedOn: string): this {
    this.commands.push({
      type: 'RecordCareStarted',
      data: {
        packageId: this.packageId,
        providerId,
        startedOn,
        recordedBy: 'user:coordinator',
        now: new Date(`${startedOn}T20:00:00Z`),
      },
    });
    return this;
  }

  get package(): CarePackage {
    const state = this.commands.reduce<CarePackageState>(
      (current, command) =>
        carePackageDecider.decide(command, current).reduce(carePackageDecider.evolve, current),
      carePackageDecider.initialState(),
    );
    return state.package!;
  }
}

describe('the provider KPIs of the care-at-home contract', () => {
  describe('the contract year a quarter is judged in', () => {
    const START = '2026-04-01';

    it.each([
      ['2026-27 Q1', 1],
      ['2026-27 Q2', 1],
      ['2026-27 Q4', 1],
      ['2027-28 Q1', 2],
      ['2028-29 Q3', 3],
      ['2029-30 Q1', 4],
      ['2030-31 Q1', 5],
    ])('counts %s as contract year %i of a contract from 1 April 2026', (quarter, year) => {
      expect(contractYearOf(START, parseFinancialQuarter(quarter))).toBe(year);
    });

    it('judges year 5 and later by the year-4 target', () => {
      const year = contractYearOf(START, parseFinancialQuarter('2031-32 Q2'));
      expect(year).toBe(6);
      expect(providerKpiTarget(kpi('acceptance-within-4-hours'), year)).toBe(99);
    });

    it('counts a quarter during which the contract started as year 1', () => {
      expect(contractYearOf('2026-05-15', parseFinancialQuarter('2026-27 Q1'))).toBe(1);
      expect(contractYearOf('2026-06-30', parseFinancialQuarter('2026-27 Q1'))).toBe(1);
    });

    it('judges a quarter by the year in force on its first day, for a contract starting mid-quarter', () => {
      // Year 2 of a contract from 15 May 2026 starts on 15 May 2027, inside 2027-28 Q1.
      expect(contractYearOf('2026-05-15', parseFinancialQuarter('2027-28 Q1'))).toBe(1);
      expect(contractYearOf('2026-05-15', parseFinancialQuarter('2027-28 Q2'))).toBe(2);
    });

    it('moves to year 2 on a quarter that starts on the first anniversary', () => {
      expect(contractYearOf('2026-07-01', parseFinancialQuarter('2027-28 Q1'))).toBe(1);
      expect(contractYearOf('2026-07-01', parseFinancialQuarter('2027-28 Q2'))).toBe(2);
    });

    it('has no contract year for a quarter that ended before the contract started', () => {
      expect(contractYearOf(START, parseFinancialQuarter('2025-26 Q4'))).toBeNull();
      expect(contractYearOf('2026-07-01', parseFinancialQuarter('2026-27 Q1'))).toBeNull();
    });
  });

  describe('the contract year in force on a date', () => {
    it.each([
      ['2026-03-31', null],
      ['2026-04-01', 1],
      ['2027-03-31', 1],
      ['2027-04-01', 2],
      ['2030-04-01', 5],
    ])('on %s is %p (contract from 2026-04-01)', (date, year) => {
      expect(contractYearOn('2026-04-01', date)).toBe(year);
    });
  });

  describe('the target for a contract year', () => {
    it.each([
      [1, 95],
      [2, 96],
      [3, 97],
      [4, 99],
      [5, 99],
    ])('for acceptance within 4 hours in year %i is %i %%', (year, target) => {
      expect(providerKpiTarget(kpi('acceptance-within-4-hours'), year)).toBe(target);
      expect(providerKpiTarget(kpi('family-contact-in-time'), year)).toBe(target);
    });

    it.each([
      [1, 20],
      [2, 25],
      [3, 30],
      [4, 30],
    ])('for the diplomas in year %i is %i %%', (year, target) => {
      expect(providerKpiTarget(kpi('diploma-level-1'), year)).toBe(target);
      expect(providerKpiTarget(kpi('diploma-level-2'), year)).toBe(target);
    });

    it('is the same every year for a KPI with one target', () => {
      expect(providerKpiTarget(kpi('staff-turnover'), 1)).toBe(5);
      expect(providerKpiTarget(kpi('staff-turnover'), 7)).toBe(5);
      expect(providerKpiTarget(kpi('quarterly-supervision'), 3)).toBe(100);
    });

    it('is none when the contract sets none, or for a quarter before the contract', () => {
      expect(providerKpiTarget(kpi('care-started-within-a-week'), 1)).toBeNull();
      expect(providerKpiTarget(kpi('acceptance-within-4-hours'), null)).toBeNull();
    });
  });

  describe('the RAG of a KPI (no floor: green or red)', () => {
    const higher = { direction: 'higher-is-better' as const };
    const lower = { direction: 'lower-is-better' as const };

    it('is green when a higher-is-better KPI meets its target, red below it', () => {
      expect(ragFor(higher, 95, 95)).toBe('green');
      expect(ragFor(higher, 100, 95)).toBe('green');
      expect(ragFor(higher, 94.9, 95)).toBe('red');
    });

    it('is green for staff turnover under 5 % and red at 5 %: "less than 5 %"', () => {
      expect(ragFor(kpi('staff-turnover'), 4.9, 5)).toBe('green');
      expect(ragFor(kpi('staff-turnover'), 5, 5)).toBe('red');
      expect(ragFor(lower, 0, 5)).toBe('green');
    });

    it('is grey without a value or without a target', () => {
      expect(ragFor(higher, null, 95)).toBe('grey');
      expect(ragFor(higher, 80, null)).toBe('grey');
    });
  });

  describe('acceptance within 4 hours (KPI 2.1)', () => {
    const count = (packages: CarePackage[], providerId: string, now: string, quarter = Q1) =>
      acceptanceWithinFourHours(packages, providerId, quarter, new Date(now));

    it('is met by an acceptance within the first-refusal window', () => {
      const pkg = new CallOff('pkg-1', T).accepted(FIRST, plus(T, 1)).package;
      expect(count([pkg], FIRST, plus(T, 48))).toEqual({
        numerator: 1,
        denominator: 1,
        pending: 0,
      });
    });

    it('is met by a decline within the window: the provider answered', () => {
      const pkg = new CallOff('pkg-1', T).declined(FIRST, plus(T, 0, 30)).package;
      expect(count([pkg], FIRST, plus(T, 48))).toEqual({
        numerator: 1,
        denominator: 1,
        pending: 0,
      });
    });

    it('is met by the next provider answering within its own window', () => {
      const pkg = new CallOff('pkg-1', T).timer(plus(T, 2)).accepted(SECOND, plus(T, 3)).package;
      expect(count([pkg], SECOND, plus(T, 48))).toEqual({
        numerator: 1,
        denominator: 1,
        pending: 0,
      });
      expect(count([pkg], FIRST, plus(T, 48))).toEqual({
        numerator: 0,
        denominator: 1,
        pending: 0,
      });
    });

    it('is missed by an offer left to lapse, whether or not the timer has recorded the move', () => {
      const recorded = new CallOff('pkg-1', T).timer(plus(T, 2)).package;
      const notRecorded = new CallOff('pkg-2', T).package;
      expect(count([recorded, notRecorded], FIRST, plus(T, 2, 30))).toEqual({
        numerator: 0,
        denominator: 2,
        pending: 0,
      });
    });

    it('is pending while the offer is open and under 4 hours old', () => {
      const pkg = new CallOff('pkg-1', T).package;
      expect(count([pkg], FIRST, plus(T, 1))).toEqual({ numerator: 0, denominator: 0, pending: 1 });
    });

    describe('over a Friday hold, when the window outlasts the 4 hours', () => {
      // Friday 15 May 2026 13:00 BST; held until Monday 18 May 09:00 BST.
      const friday = '2026-05-15T12:00:00.000Z';

      it('is missed by an acceptance on Monday morning', () => {
        const pkg = new CallOff('pkg-1', friday).accepted(
          FIRST,
          '2026-05-18T07:30:00.000Z',
        ).package;
        expect(count([pkg], FIRST, '2026-05-20T09:00:00.000Z')).toEqual({
          numerator: 0,
          denominator: 1,
          pending: 0,
        });
      });

      it('is met by an answer within 4 hours, and exactly at 4 hours', () => {
        const within = new CallOff('pkg-1', friday).accepted(FIRST, plus(friday, 3, 59)).package;
        const atFour = new CallOff('pkg-2', friday).declined(FIRST, plus(friday, 4)).package;
        expect(count([within, atFour], FIRST, '2026-05-20T09:00:00.000Z')).toEqual({
          numerator: 2,
          denominator: 2,
          pending: 0,
        });
      });

      it('is missed once 4 hours pass unanswered, though the window is still open', () => {
        const pkg = new CallOff('pkg-1', friday).package;
        expect(count([pkg], FIRST, plus(friday, 4, 1))).toEqual({
          numerator: 0,
          denominator: 1,
          pending: 0,
        });
        expect(count([pkg], FIRST, plus(friday, 3))).toEqual({
          numerator: 0,
          denominator: 0,
          pending: 1,
        });
      });
    });

    it('does not count offers to all the others: nobody was asked for an answer', () => {
      const pkg = new CallOff('pkg-1', T).timer(plus(T, 4)).accepted(OTHER, plus(T, 4, 10)).package;
      expect(count([pkg], OTHER, plus(T, 48))).toEqual({
        numerator: 0,
        denominator: 0,
        pending: 0,
      });
      expect(count([pkg], FIRST, plus(T, 48))).toEqual({
        numerator: 0,
        denominator: 1,
        pending: 0,
      });
      expect(count([pkg], SECOND, plus(T, 48))).toEqual({
        numerator: 0,
        denominator: 1,
        pending: 0,
      });
    });

    it('counts nothing for a provider the package was never offered to on its own', () => {
      const pkg = new CallOff('pkg-1', T).accepted(FIRST, plus(T, 1)).package;
      expect(count([pkg], SECOND, plus(T, 48))).toEqual({
        numerator: 0,
        denominator: 0,
        pending: 0,
      });
    });

    it('counts an offer in the quarter of its London date', () => {
      // 23:30 UTC on 30 June is 00:30 BST on 1 July: the second quarter.
      const pkg = new CallOff('pkg-1', '2026-06-30T23:30:00.000Z').accepted(
        FIRST,
        '2026-07-01T00:15:00.000Z',
      ).package;
      expect(count([pkg], FIRST, '2026-07-10T09:00:00.000Z', Q1)).toEqual({
        numerator: 0,
        denominator: 0,
        pending: 0,
      });
      expect(count([pkg], FIRST, '2026-07-10T09:00:00.000Z', Q2)).toEqual({
        numerator: 1,
        denominator: 1,
        pending: 0,
      });
    });

    it('counts an offer on the last evening of the quarter in that quarter', () => {
      // 22:30 UTC on 30 June is 23:30 BST, still 30 June.
      const pkg = new CallOff('pkg-1', '2026-06-30T22:30:00.000Z').accepted(
        FIRST,
        '2026-06-30T23:00:00.000Z',
      ).package;
      expect(count([pkg], FIRST, '2026-07-10T09:00:00.000Z', Q1).denominator).toBe(1);
      expect(count([pkg], FIRST, '2026-07-10T09:00:00.000Z', Q2).denominator).toBe(0);
    });
  });

  describe('family contacted in time (KPI 2.2)', () => {
    const count = (packages: CarePackage[], providerId: string, now: string, quarter = Q1) =>
      familyContactInTime(packages, providerId, quarter, new Date(now));
    const A = plus(T, 1); // accepted an hour after referral

    it('is met by a contact within 24 hours of the acceptance, and exactly at 24 hours', () => {
      const within = new CallOff('pkg-1', T)
        .accepted(FIRST, A)
        .familyContacted(FIRST, plus(A, 23, 59)).package;
      const atLimit = new CallOff('pkg-2', T)
        .accepted(FIRST, A)
        .familyContacted(FIRST, plus(A, 24)).package;
      expect(count([within, atLimit], FIRST, plus(T, 72))).toEqual({
        numerator: 2,
        denominator: 2,
        pending: 0,
      });
    });

    it('is missed by a contact a minute after 24 hours', () => {
      const late = new CallOff('pkg-1', T)
        .accepted(FIRST, A)
        .familyContacted(FIRST, plus(A, 24, 1)).package;
      expect(count([late], FIRST, plus(T, 72))).toEqual({
        numerator: 0,
        denominator: 1,
        pending: 0,
      });
    });

    it('gives an urgent package 12 hours', () => {
      const inTime = new CallOff('pkg-1', T, { urgent: true })
        .accepted(FIRST, A)
        .familyContacted(FIRST, plus(A, 12)).package;
      const late = new CallOff('pkg-2', T, { urgent: true })
        .accepted(FIRST, A)
        .familyContacted(FIRST, plus(A, 13)).package;
      expect(count([inTime, late], FIRST, plus(T, 72))).toEqual({
        numerator: 1,
        denominator: 2,
        pending: 0,
      });
    });

    it('counts from the acceptance: a package taken from the offer to all hours after referral', () => {
      const acceptedAt = plus(T, 5);
      const pkg = new CallOff('pkg-1', T)
        .accepted(OTHER, acceptedAt)
        .familyContacted(OTHER, plus(T, 28)).package;
      expect(count([pkg], OTHER, plus(T, 72))).toEqual({
        numerator: 1,
        denominator: 1,
        pending: 0,
      });
    });

    it('is pending while there is time left, and missed once it has run out', () => {
      const pkg = new CallOff('pkg-1', T).accepted(FIRST, A).package;
      expect(count([pkg], FIRST, plus(A, 20))).toEqual({
        numerator: 0,
        denominator: 0,
        pending: 1,
      });
      expect(count([pkg], FIRST, plus(A, 24))).toEqual({
        numerator: 0,
        denominator: 0,
        pending: 1,
      });
      expect(count([pkg], FIRST, plus(A, 25))).toEqual({
        numerator: 0,
        denominator: 1,
        pending: 0,
      });
    });

    it('counts only the packages the provider accepted', () => {
      const pkg = new CallOff('pkg-1', T)
        .accepted(FIRST, A)
        .familyContacted(FIRST, plus(A, 2)).package;
      const unaccepted = new CallOff('pkg-2', T).package;
      expect(count([pkg, unaccepted], SECOND, plus(T, 72))).toEqual({
        numerator: 0,
        denominator: 0,
        pending: 0,
      });
    });

    it('counts a package in the quarter of its acceptance, by London date', () => {
      const pkg = new CallOff('pkg-1', '2026-06-30T21:30:00.000Z')
        .accepted(FIRST, '2026-06-30T23:10:00.000Z') // 00:10 BST on 1 July
        .familyContacted(FIRST, '2026-07-01T09:00:00.000Z').package;
      expect(count([pkg], FIRST, '2026-07-10T09:00:00.000Z', Q1).denominator).toBe(0);
      expect(count([pkg], FIRST, '2026-07-10T09:00:00.000Z', Q2)).toEqual({
        numerator: 1,
        denominator: 1,
        pending: 0,
      });
    });
  });

  describe('care started within a week of the first contact', () => {
    const count = (packages: CarePackage[], providerId: string, now: string, quarter = Q1) =>
      careStartedWithinAWeek(packages, providerId, quarter, new Date(now));
    // Contacted on Tuesday 12 May at 14:00 BST; a week later is Tuesday 19 May.
    const contacted = (id: string, options: { startDate?: string } = {}) =>
      new CallOff(id, T, options).accepted(FIRST, plus(T, 1)).familyContacted(FIRST, plus(T, 4));

    it('is met when care starts within 7 days of the contact, and on the 7th day', () => {
      const early = contacted('pkg-1').careStarted(FIRST, '2026-05-14').package;
      const seventhDay = contacted('pkg-2').careStarted(FIRST, '2026-05-19').package;
      expect(count([early, seventhDay], FIRST, '2026-06-01T09:00:00Z')).toEqual({
        numerator: 2,
        denominator: 2,
        pending: 0,
      });
    });

    it('is missed when care starts on the 8th day', () => {
      const late = contacted('pkg-1').careStarted(FIRST, '2026-05-20').package;
      expect(count([late], FIRST, '2026-06-01T09:00:00Z')).toEqual({
        numerator: 0,
        denominator: 1,
        pending: 0,
      });
    });

    it('allows until the planned start date when that is later (agreed otherwise)', () => {
      const onPlan = contacted('pkg-1', { startDate: '2026-06-01' }).careStarted(
        FIRST,
        '2026-06-01',
      ).package;
      const afterPlan = contacted('pkg-2', { startDate: '2026-06-01' }).careStarted(
        FIRST,
        '2026-06-02',
      ).package;
      expect(count([onPlan, afterPlan], FIRST, '2026-06-10T09:00:00Z')).toEqual({
        numerator: 1,
        denominator: 2,
        pending: 0,
      });
    });

    it('is pending until the week is out, and missed the day after (London dates)', () => {
      const pkg = contacted('pkg-1').package;
      expect(count([pkg], FIRST, '2026-05-19T22:59:00Z')).toEqual({
        numerator: 0,
        denominator: 0,
        pending: 1,
      });
      // 23:00 UTC on 19 May is already 20 May in London.
      expect(count([pkg], FIRST, '2026-05-19T23:00:00Z')).toEqual({
        numerator: 0,
        denominator: 1,
        pending: 0,
      });
    });

    it('counts only packages whose family the provider contacted, in the quarter of the contact', () => {
      const notContacted = new CallOff('pkg-1', T).accepted(FIRST, plus(T, 1)).package;
      const julyContact = new CallOff('pkg-2', '2026-06-30T10:00:00.000Z')
        .accepted(FIRST, '2026-06-30T11:00:00.000Z')
        .familyContacted(FIRST, '2026-07-01T09:00:00.000Z')
        .careStarted(FIRST, '2026-07-03').package;
      expect(count([notContacted, julyContact], FIRST, '2026-07-10T09:00:00Z', Q1)).toEqual({
        numerator: 0,
        denominator: 0,
        pending: 0,
      });
      expect(count([notContacted, julyContact], FIRST, '2026-07-10T09:00:00Z', Q2)).toEqual({
        numerator: 1,
        denominator: 1,
        pending: 0,
      });
    });
  });

  describe("a provider's performance in a quarter", () => {
    const now = new Date('2026-07-15T09:00:00Z');
    const packages = [
      new CallOff('pkg-1', T)
        .accepted(FIRST, plus(T, 1))
        .familyContacted(FIRST, plus(T, 5))
        .careStarted(FIRST, '2026-05-15').package,
      new CallOff('pkg-2', plus(T, 24)).declined(FIRST, plus(T, 25)).package,
    ];
    const figures = (overrides: Partial<QuarterlyReturnFigures> = {}): QuarterlyReturnFigures => ({
      'complaints-answered-in-time': { numerator: 3, denominator: 3 },
      'staff-turnover': { numerator: 1, denominator: 25 },
      'quarterly-supervision': { numerator: 19, denominator: 20 },
      'annual-appraisal': { numerator: 0, denominator: 0 },
      'care-certificate-in-12-weeks': { numerator: 2, denominator: 2 },
      'diploma-level-1': { numerator: 6, denominator: 25 },
      'diploma-level-2': { numerator: 4, denominator: 25 },
      ...overrides,
    });
    const byCode = (results: ProviderKpiResult[]) =>
      Object.fromEntries(results.map((r) => [r.code, r]));

    it('lists every KPI of the contract, in order', () => {
      const results = providerPerformance({
        providerId: FIRST,
        quarter: Q1,
        contractYear: 1,
        callOff: callOffCounts(packages, FIRST, Q1, now),
        quarterlyReturn: null,
      });
      expect(results.map((r) => r.code)).toEqual(PROVIDER_KPIS.map((k) => k.code));
    });

    it('judges the call-off KPIs from the packages, and leaves the quarterly-return KPIs grey until the return is in', () => {
      const results = byCode(
        providerPerformance({
          providerId: FIRST,
          quarter: Q1,
          contractYear: 1,
          callOff: callOffCounts(packages, FIRST, Q1, now),
          quarterlyReturn: null,
        }),
      );
      expect(results['acceptance-within-4-hours']).toMatchObject({
        numerator: 2,
        denominator: 2,
        pending: 0,
        value: 100,
        target: 95,
        rag: 'green',
      });
      expect(results['family-contact-in-time']).toMatchObject({
        numerator: 1,
        denominator: 1,
        rag: 'green',
      });
      // Reported, never judged: the contract sets no target.
      expect(results['care-started-within-a-week']).toMatchObject({
        numerator: 1,
        denominator: 1,
        value: 100,
        target: null,
        rag: 'grey',
      });
      for (const code of [
        'complaints-answered-in-time',
        'staff-turnover',
        'diploma-level-1',
      ] as const) {
        expect(results[code]).toMatchObject({
          source: 'quarterly-return',
          numerator: null,
          denominator: null,
          value: null,
          rag: 'grey',
        });
      }
      expect(results['staff-turnover']?.target).toBe(5);
    });

    it('judges the quarterly return by the targets of the contract year', () => {
      const year1 = byCode(
        providerPerformance({
          providerId: FIRST,
          quarter: Q1,
          contractYear: 1,
          callOff: callOffCounts(packages, FIRST, Q1, now),
          quarterlyReturn: figures(),
        }),
      );
      expect(year1['staff-turnover']).toMatchObject({ value: 4, target: 5, rag: 'green' });
      expect(year1['complaints-answered-in-time']).toMatchObject({ value: 100, rag: 'green' });
      expect(year1['quarterly-supervision']).toMatchObject({ value: 95, target: 100, rag: 'red' });
      expect(year1['annual-appraisal']).toMatchObject({ value: null, rag: 'grey' });
      expect(year1['diploma-level-1']).toMatchObject({ value: 24, target: 20, rag: 'green' });
      expect(year1['diploma-level-2']).toMatchObject({ value: 16, target: 20, rag: 'red' });

      const year2 = byCode(
        providerPerformance({
          providerId: FIRST,
          quarter: Q1,
          contractYear: 2,
          callOff: callOffCounts(packages, FIRST, Q1, now),
          quarterlyReturn: figures(),
        }),
      );
      expect(year2['diploma-level-1']).toMatchObject({ value: 24, target: 25, rag: 'red' });
      expect(year2['acceptance-within-4-hours']).toMatchObject({ target: 96 });
    });

    it('is red on turnover of exactly 5 %', () => {
      const results = byCode(
        providerPerformance({
          providerId: FIRST,
          quarter: Q1,
          contractYear: 1,
          callOff: callOffCounts(packages, FIRST, Q1, now),
          quarterlyReturn: figures({ 'staff-turnover': { numerator: 1, denominator: 20 } }),
        }),
      );
      expect(results['staff-turnover']).toMatchObject({ value: 5, rag: 'red' });
    });

    it('is grey throughout for a quarter with nothing to count and no contract year', () => {
      const results = providerPerformance({
        providerId: 'delta-care',
        quarter: Q1,
        contractYear: null,
        callOff: callOffCounts(packages, 'delta-care', Q1, now),
        quarterlyReturn: null,
      });
      expect(results.every((r) => r.rag === 'grey' && r.target === null)).toBe(true);
    });

    it('counts pending items apart', () => {
      const open = new CallOff('pkg-3', '2026-07-15T07:30:00Z').package;
      const results = byCode(
        providerPerformance({
          providerId: FIRST,
          quarter: Q2,
          contractYear: 1,
          callOff: callOffCounts([open], FIRST, Q2, now),
          quarterlyReturn: null,
        }),
      );
      expect(results['acceptance-within-4-hours']).toMatchObject({
        numerator: 0,
        denominator: 0,
        pending: 1,
        value: null,
        rag: 'grey',
      });
    });
  });

  describe("the commissioner's league table", () => {
    const kpis = (green: number, red: number, grey: number): ProviderKpiResult[] =>
      (
        [
          ...Array<Rag>(green).fill('green'),
          ...Array<Rag>(red).fill('red'),
          ...Array<Rag>(grey).fill('grey'),
        ] as Rag[]
      ).map((rag, i) => ({
        ...PROVIDER_KPIS[i]!,
        numerator: null,
        denominator: null,
        pending: 0,
        value: null,
        target: null,
        rag,
      }));
    const ranks = (rows: ReturnType<typeof leagueTable>) =>
      rows.map((r) => [r.providerId, r.rank, r.green, r.red, r.grey]);

    it('ranks providers by KPIs met, then by fewest missed', () => {
      expect(
        ranks(
          leagueTable([
            { providerId: 'alpha-care', kpis: kpis(3, 2, 5) },
            { providerId: 'beta-care', kpis: kpis(5, 1, 4) },
            { providerId: 'gamma-care', kpis: kpis(3, 0, 7) },
          ]),
        ),
      ).toEqual([
        ['beta-care', 1, 5, 1, 4],
        ['gamma-care', 2, 3, 0, 7],
        ['alpha-care', 3, 3, 2, 5],
      ]);
    });

    it('gives providers level on both the same rank, listed by id, and skips the places they share', () => {
      expect(
        ranks(
          leagueTable([
            { providerId: 'delta-care', kpis: kpis(4, 1, 5) },
            { providerId: 'beta-care', kpis: kpis(4, 1, 5) },
            { providerId: 'alpha-care', kpis: kpis(6, 0, 4) },
            { providerId: 'gamma-care', kpis: kpis(2, 0, 8) },
          ]),
        ),
      ).toEqual([
        ['alpha-care', 1, 6, 0, 4],
        ['beta-care', 2, 4, 1, 5],
        ['delta-care', 2, 4, 1, 5],
        ['gamma-care', 4, 2, 0, 8],
      ]);
    });

    it('ranks providers whose KPIs are all grey level, after the rest', () => {
      expect(
        ranks(
          leagueTable([
            { providerId: 'new-care', kpis: kpis(0, 0, 10) },
            { providerId: 'alpha-care', kpis: kpis(1, 4, 5) },
            { providerId: 'another-new-care', kpis: kpis(0, 0, 10) },
          ]),
        ),
      ).toEqual([
        ['alpha-care', 1, 1, 4, 5],
        ['another-new-care', 2, 0, 0, 10],
        ['new-care', 2, 0, 0, 10],
      ]);
    });

    it('is empty for no providers', () => {
      expect(leagueTable([])).toEqual([]);
    });
  });
});
