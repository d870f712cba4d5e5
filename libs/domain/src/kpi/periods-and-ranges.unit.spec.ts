import { deciderSpecification } from '@kpi/testing';
import { isCollectedIn, collectedMonthsInWords } from '../kpi-framework/collection';
import type { FrameworkVersion } from '../kpi-framework/kpi-framework.decider';
import type { SubmitMonthlyReturn } from '../monthly-return/monthly-return.commands';
import { monthlyReturnDecider } from '../monthly-return/monthly-return.decider';
import type { MonthlyReturnSubmitted } from '../monthly-return/monthly-return.events';
import { InvalidCommandError } from '../shared/domain-errors';
import { periodsBetween, type Period } from '../shared/period';
import { isReportedIn, type IndicatorDefinition } from './indicator';
import { indicatorProblems } from './indicator-problems';
import { contractYearOfMonth, judgeIndicator, targetFor } from './judge-indicator.policy';

/**
 * Termly periods, targets per quarter, term and contract year, and activity ranges per quarter
 * (docs/rules/kpi-judgement.md, docs/decisions/0025), judged as a return judges them.
 */
const said = (indicator: IndicatorDefinition) =>
  indicatorProblems(indicator, 'indicators[0]').map((p) => `${p.field}: ${p.reason}`);

const attendance = (overrides: Partial<IndicatorDefinition> = {}): IndicatorDefinition => ({
  code: 'ATT',
  name: 'Looked-after children attending school (%)',
  unit: 'percentage',
  direction: 'higher-is-better',
  targetsByPeriod: { terms: { autumn: 90, spring: 92, summer: 94 } },
  floor: 85,
  periodicity: 'termly',
  aggregation: 'average',
  ...overrides,
});
const acceptance = (overrides: Partial<IndicatorDefinition> = {}): IndicatorDefinition => ({
  code: 'ACCEPT',
  name: 'Packages accepted within 4 hours (%)',
  unit: 'percentage',
  direction: 'higher-is-better',
  targetsByContractYear: [95, 96, 97, 99],
  contractStart: '2026-04' as Period,
  periodicity: 'monthly',
  aggregation: 'average',
  ...overrides,
});
const referrals = (overrides: Partial<IndicatorDefinition> = {}): IndicatorDefinition => ({
  code: 'REFERRALS',
  name: 'Referrals to learning disability services',
  kind: 'activity',
  unit: 'count',
  direction: 'within-range',
  expectedRangesByQuarter: {
    Q1: { lower: 90, upper: 120 },
    Q2: { lower: 60, upper: 90 },
    Q3: { lower: 90, upper: 120 },
    Q4: { lower: 100, upper: 140 },
  },
  periodicity: 'quarterly',
  aggregation: 'sum',
  ...overrides,
});

const framework = (...indicators: IndicatorDefinition[]): FrameworkVersion => ({
  frameworkId: 'business-plan',
  name: 'Business plan',
  version: 1,
  effectiveFrom: '2025-04' as Period,
  indicators,
  bonusRule: null,
});
const spec = deciderSpecification(monthlyReturnDecider);
const submit = (
  indicators: IndicatorDefinition[],
  period: string,
  values: Record<string, unknown>,
): SubmitMonthlyReturn => ({
  type: 'SubmitMonthlyReturn',
  data: {
    serviceId: 'day-01',
    period: period as Period,
    values,
    framework: framework(...indicators),
    submittedBy: 'user:officer',
    now: new Date('2028-12-07T09:00:00Z'),
  },
});
const judged = (code: string, check: (result: object) => void) => (events: unknown[]) =>
  check((events[0] as MonthlyReturnSubmitted).data.results[code]!);

describe('termly indicators (academic year: autumn Sep–Dec, spring Jan–Mar, summer Apr–Aug)', () => {
  it('are reported at the end of each term: December, March and August', () => {
    const year = periodsBetween('2025-09' as Period, '2026-08' as Period);
    expect(year.filter((p) => isReportedIn(attendance(), p))).toEqual([
      '2025-12',
      '2026-03',
      '2026-08',
    ]);
  });

  it('take targets per term, and may leave out target when every term has one', () => {
    expect(said(attendance())).toEqual([]);
    expect(said(attendance({ targetsByPeriod: { terms: { autumn: 90 } } }))).toEqual([
      'indicators[0].target: is required (unless targetsByPeriod gives all three terms)',
    ]);
  });

  it('refuse quarters, a financial year basis and unknown terms, naming each', () => {
    expect(said(attendance({ targetsByPeriod: { quarters: { Q1: 90 } }, target: 90 }))).toEqual([
      'indicators[0].targetsByPeriod.quarters: quarters are of the financial year: an indicator on the academic year takes terms',
      'indicators[0].targetsByPeriod: gives no target: leave it out or give quarters, terms or years',
    ]);
    expect(said(attendance({ yearBasis: 'financial' }))).toEqual([
      'indicators[0].yearBasis: a termly indicator is on the academic year (terms are of it)',
    ]);
    expect(
      said(attendance({ targetsByPeriod: { terms: { winter: 90 } as never }, target: 90 })),
    ).toEqual([
      'indicators[0].targetsByPeriod.terms.winter: must be autumn (Sep–Dec), spring (Jan–Mar) or summer (Apr–Aug)',
      'indicators[0].targetsByPeriod: gives no target: leave it out or give quarters, terms or years',
    ]);
  });

  it('refuse terms on an indicator of the financial year', () => {
    expect(
      said(attendance({ periodicity: 'quarterly', aggregation: 'average', target: 90 })),
    ).toEqual([
      'indicators[0].targetsByPeriod.terms: terms are of the academic year: give them to a termly indicator, or one with yearBasis academic',
      'indicators[0].targetsByPeriod: gives no target: leave it out or give quarters, terms or years',
    ]);
  });

  describe('given a termly framework', () => {
    it('when the autumn term is returned in December, then it is judged against the autumn target', () =>
      spec
        .given([])
        .when(submit([attendance()], '2025-12', { ATT: 91 }))
        .thenEvents(
          judged('ATT', (result) =>
            expect(result).toMatchObject({ outcome: 'met', rag: 'green', target: 90 }),
          ),
        ));

    it('when the same figure is returned for the spring term, then it misses the higher spring target (amber above the floor)', () =>
      spec
        .given([])
        .when(submit([attendance()], '2026-03', { ATT: 91 }))
        .thenEvents(
          judged('ATT', (result) =>
            expect(result).toMatchObject({ outcome: 'missed', rag: 'amber', target: 92 }),
          ),
        ));

    it('when a return is made in a month that closes no term, then it is refused: no return is owed', () =>
      spec
        .given([])
        .when(submit([attendance()], '2025-10', { ATT: 91 }))
        .thenThrows(
          InvalidCommandError,
          'business-plan version 1 does not collect 2025-10: it collects Aug, Dec and Mar, so no return is owed for it',
        ));
  });

  it('a term judged whole (a rolled-up value) takes its term’s target, then the academic year’s', () => {
    const withYears = attendance({
      targetsByPeriod: { terms: { summer: 94 }, years: { '2025/26': 88 } },
      target: 80,
    });
    expect(targetFor(withYears, { term: 'Sum 26' })).toBe(94);
    expect(targetFor(withYears, { term: 'Aut 25' })).toBe(88);
    expect(targetFor(withYears, { term: 'Aut 26' })).toBe(80);
    expect(targetFor(withYears, { academicYear: '2025/26' })).toBe(88);
  });
});

describe('termly collection: a service owes a return only in the months a term closes', () => {
  const academicYear = periodsBetween('2025-09' as Period, '2026-08' as Period);
  const collected = (...indicators: IndicatorDefinition[]) =>
    academicYear.filter((p) => isCollectedIn(framework(...indicators), p));

  it('a termly-only version collects December, March and August', () => {
    expect(collected(attendance())).toEqual(['2025-12', '2026-03', '2026-08']);
    expect(collectedMonthsInWords(framework(attendance()))).toBe('Aug, Dec and Mar');
  });

  it('an annual indicator on the academic year is collected in August, on the financial year in March', () => {
    const annual = attendance({
      periodicity: 'annual',
      yearBasis: 'academic',
      targetsByPeriod: undefined,
      target: 90,
    });
    expect(said(annual)).toEqual([]);
    expect(collected(annual)).toEqual(['2026-08']);
    expect(collected({ ...annual, yearBasis: 'financial' })).toEqual(['2026-03']);
  });

  it('termly and quarterly together collect the union', () => {
    const quarterly = acceptance({
      code: 'Q',
      periodicity: 'quarterly',
      targetsByContractYear: undefined,
      contractStart: undefined,
      target: 90,
    });
    expect(collected(attendance(), quarterly)).toEqual([
      '2025-09',
      '2025-12',
      '2026-03',
      '2026-06',
      '2026-08',
    ]);
  });
});

describe('targets per contract year', () => {
  it('are accepted with the month contract year 1 begins, without a target', () => {
    expect(said(acceptance())).toEqual([]);
  });

  it('are refused without a contract start, or with targets by period too', () => {
    expect(said(acceptance({ contractStart: undefined }))).toEqual([
      'indicators[0].contractStart: is required with targetsByContractYear: the month contract year 1 begins, written YYYY-MM',
    ]);
    expect(said(acceptance({ targetsByPeriod: { quarters: { Q1: 90 } } }))).toEqual([
      'indicators[0].targetsByContractYear: give targets by period or by contract year, not both',
    ]);
    expect(said(acceptance({ targetsByContractYear: [95, 101] }))).toEqual([
      'indicators[0].targetsByContractYear[1]: a percentage target is a percentage from 0 to 100',
    ]);
    expect(
      said({ ...acceptance(), targetsByContractYear: undefined, target: 95 }).map(
        (p) => p.split(':')[0],
      ),
    ).toEqual(['indicators[0].contractStart']);
  });

  it('count contract years in whole years from the start month (before it: year 1)', () => {
    const start = '2026-04' as Period;
    expect(contractYearOfMonth(start, '2026-04' as Period)).toBe(1);
    expect(contractYearOfMonth(start, '2027-03' as Period)).toBe(1);
    expect(contractYearOfMonth(start, '2027-04' as Period)).toBe(2);
    expect(contractYearOfMonth(start, '2030-04' as Period)).toBe(5);
    expect(contractYearOfMonth(start, '2025-12' as Period)).toBe(1);
  });

  describe('given a framework with 95 % in year 1, 96 % in year 2, 97 % in year 3, 99 % in year 4', () => {
    it('when 96 % is returned in the first year, then it is met against 95', () =>
      spec
        .given([])
        .when(submit([acceptance()], '2027-03', { ACCEPT: 96 }))
        .thenEvents(
          judged('ACCEPT', (result) =>
            expect(result).toMatchObject({ outcome: 'met', target: 95 }),
          ),
        ));

    it('when 96 % is returned in the third year, then it is missed against 97', () =>
      spec
        .given([])
        .when(submit([acceptance()], '2028-06', { ACCEPT: 96 }))
        .thenEvents(
          judged('ACCEPT', (result) =>
            expect(result).toMatchObject({ outcome: 'missed', rag: 'red', target: 97 }),
          ),
        ));

    it('when a year after the last is judged, then the last target holds', () =>
      expect(targetFor(acceptance(), { period: '2031-05' as Period })).toBe(99));

    it('a quarter judged whole takes the contract year of its first month', () => {
      expect(targetFor(acceptance(), { quarter: '2027-28 Q1' })).toBe(96);
      expect(
        targetFor(acceptance({ contractStart: '2026-05' as Period }), { quarter: '2027-28 Q1' }),
      ).toBe(95);
    });
  });
});

describe('targets per quarter (financial year)', () => {
  it('given different quarterly targets, the same value is met in one quarter and missed in another', () => {
    const reviews = acceptance({
      targetsByContractYear: undefined,
      contractStart: undefined,
      targetsByPeriod: { quarters: { Q1: 80, Q2: 82, Q3: 84, Q4: 85 } },
      floor: 70,
      periodicity: 'quarterly',
    });
    spec
      .given([])
      .when(submit([reviews], '2025-06', { ACCEPT: 81 }))
      .thenEvents(judged('ACCEPT', (r) => expect(r).toMatchObject({ rag: 'green', target: 80 })));
    spec
      .given([])
      .when(submit([reviews], '2025-12', { ACCEPT: 81 }))
      .thenEvents(judged('ACCEPT', (r) => expect(r).toMatchObject({ rag: 'amber', target: 84 })));
  });
});

describe('activity indicators: an expected range per quarter', () => {
  it('are accepted with a range for every quarter and no expectedRange', () => {
    expect(said(referrals())).toEqual([]);
  });

  it('need expectedRange unless every quarter has a range; each range is checked', () => {
    expect(said(referrals({ expectedRangesByQuarter: { Q1: { lower: 90, upper: 120 } } }))).toEqual(
      [
        'indicators[0].expectedRange: is required for an activity indicator: { lower, upper } with lower ≤ upper (or one for each quarter in expectedRangesByQuarter)',
      ],
    );
    expect(
      said(
        referrals({
          expectedRange: { lower: 0, upper: 500 },
          expectedRangesByQuarter: {
            Q2: { lower: 9, upper: 1 },
            Q9: { lower: 1, upper: 2 },
          } as never,
        }),
      ),
    ).toEqual([
      'indicators[0].expectedRangesByQuarter.Q2: must be { lower, upper } with lower ≤ upper',
      'indicators[0].expectedRangesByQuarter.Q9: must be Q1, Q2, Q3 or Q4 (of the financial year: Q1 is Apr–Jun)',
    ]);
  });

  it('are refused on a target indicator that has no range', () => {
    expect(
      said({ ...acceptance(), expectedRangesByQuarter: { Q1: { lower: 1, upper: 2 } } }),
    ).toEqual([
      'indicators[0].expectedRangesByQuarter: only within-range and activity indicators have an expected range',
    ]);
  });

  describe('given Q1 90–120 and Q2 60–90', () => {
    it('when Q1 returns 100, then it is in range (green)', () =>
      spec
        .given([])
        .when(submit([referrals()], '2025-06', { REFERRALS: 100 }))
        .thenEvents(
          judged('REFERRALS', (r) =>
            expect(r).toMatchObject({
              outcome: 'in-range',
              rag: 'green',
              expectedRange: { lower: 90, upper: 120 },
            }),
          ),
        ));

    it('when Q2 returns the same 100, then it is flagged (amber), never missed', () =>
      spec
        .given([])
        .when(submit([referrals()], '2025-09', { REFERRALS: 100 }))
        .thenEvents(
          judged('REFERRALS', (r) =>
            expect(r).toMatchObject({
              outcome: 'flagged',
              rag: 'amber',
              expectedRange: { lower: 60, upper: 90 },
            }),
          ),
        ));

    it('far outside any range it is still flagged, never missed nor red', () => {
      for (const value of [0, 10_000]) {
        for (const quarter of ['2025-26 Q1', '2025-26 Q2', '2025-26 Q3', '2025-26 Q4']) {
          expect(judgeIndicator(referrals(), value, { quarter })).toMatchObject({
            outcome: 'flagged',
            rag: 'amber',
          });
        }
      }
    });

    it('a quarter without a range of its own takes expectedRange; a whole year with ranges by quarter only is not judged', () => {
      const partly = referrals({
        expectedRange: { lower: 0, upper: 50 },
        expectedRangesByQuarter: { Q1: { lower: 90, upper: 120 } },
      });
      expect(judgeIndicator(partly, 40, { quarter: '2025-26 Q3' })).toMatchObject({
        outcome: 'in-range',
        expectedRange: { lower: 0, upper: 50 },
      });
      expect(judgeIndicator(referrals(), 400, { financialYear: '2025/26' })).toMatchObject({
        outcome: 'not-judged',
        rag: 'grey',
        expectedRange: null,
      });
    });
  });
});
