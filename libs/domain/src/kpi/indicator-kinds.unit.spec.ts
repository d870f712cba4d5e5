import { kpiFrameworkDecider } from '../kpi-framework/kpi-framework.decider';
import type { KpiFrameworkVersionPublished } from '../kpi-framework/kpi-framework.events';
import { type InvalidCommandError } from '../shared/domain-errors';
import type { Period } from '../shared/period';
import { type IndicatorDefinition } from './indicator';
import { indicatorProblems } from './indicator-problems';
import { judgeIndicator, targetFor } from './judge-indicator.policy';

const count = (overrides: Partial<IndicatorDefinition> = {}): IndicatorDefinition => ({
  code: 'ADM',
  name: 'Admissions',
  unit: 'count',
  direction: 'higher-is-better',
  periodicity: 'monthly',
  aggregation: 'sum',
  ...overrides,
});
const percentage = (overrides: Partial<IndicatorDefinition> = {}): IndicatorDefinition => ({
  code: 'OCC',
  name: 'Occupancy (%)',
  unit: 'percentage',
  direction: 'higher-is-better',
  target: 90,
  periodicity: 'monthly',
  aggregation: 'average',
  ...overrides,
});
const said = (indicator: IndicatorDefinition) =>
  indicatorProblems(indicator, 'indicators[0]').map((p) => `${p.field}: ${p.reason}`);

/** Publishing a version: every problem named, as the API reports it. */
const publish = (
  indicators: IndicatorDefinition[],
  bonusRule = null as null | { required: number; of: number },
) =>
  kpiFrameworkDecider.decide(
    {
      type: 'PublishKpiFrameworkVersion',
      data: {
        frameworkId: 'direct-services',
        name: 'Direct services',
        effectiveFrom: '2026-04' as Period,
        indicators,
        bonusRule,
        judged: [],
        publishedBy: 'user:admin',
        now: new Date('2026-04-01T09:00:00Z'),
      },
    },
    kpiFrameworkDecider.initialState(),
  );
const refusedWith = (
  indicators: IndicatorDefinition[],
  bonusRule = null as null | { required: number; of: number },
) => {
  try {
    publish(indicators, bonusRule);
  } catch (error) {
    return (error as InvalidCommandError).problems.map((p) => `${p.field}: ${p.reason}`);
  }
  throw new Error('expected a refusal');
};

describe('indicator kinds', () => {
  it('a target indicator (the default) still needs a target', () => {
    expect(said(count())).toEqual([
      'indicators[0].target: is required (unless targetsByPeriod gives all four quarters)',
    ]);
    expect(said(count({ kind: 'target', target: 3 }))).toEqual([]);
  });

  it('refuses a kind it does not know', () => {
    expect(said(count({ kind: 'vibes' as never, target: 3 }))).toEqual([
      'indicators[0].kind: must be one of target, data-only, derived, activity',
    ]);
  });

  describe('data-only', () => {
    it('is accepted without a target', () =>
      expect(said(count({ kind: 'data-only' }))).toEqual([]));
    it('refuses a target, floor or expected range, naming each', () => {
      expect(said(count({ kind: 'data-only', target: 3, floor: 1 }))).toEqual([
        'indicators[0].floor: a data-only indicator is collected, not judged: no floor',
        'indicators[0].target: a data-only indicator is collected, not judged: no target',
      ]);
      expect(said(count({ kind: 'data-only', direction: 'within-range' }))[0]).toMatch(
        /^indicators\[0\]\.direction: a data-only indicator/,
      );
    });
    it('is never judged: grey, neither met nor missed, whatever its value', () => {
      expect(judgeIndicator(count({ kind: 'data-only' }), 0)).toMatchObject({
        outcome: 'not-judged',
        rag: 'grey',
        value: 0,
        target: null,
      });
    });
    it('does not count in a bonus rule (of = the monthly judged indicators)', () => {
      expect(
        refusedWith([percentage(), count({ kind: 'data-only' })], { required: 1, of: 2 }),
      ).toEqual(['bonusRule.of: must be the number of monthly indicators (1)']);
      expect(
        publish([percentage(), count({ kind: 'data-only' })], { required: 1, of: 1 }),
      ).toHaveLength(1);
    });
  });

  describe('derived', () => {
    const derived = (overrides: Partial<IndicatorDefinition> = {}) =>
      count({
        code: 'UNOCC',
        name: 'Bed nights unoccupied',
        kind: 'derived',
        formula: { operation: 'difference', of: ['AVAIL', 'DELIV'] },
        direction: 'lower-is-better',
        ...overrides,
      });
    const avail = count({ code: 'AVAIL', name: 'Available', kind: 'data-only' });
    const deliv = count({ code: 'DELIV', name: 'Delivered', kind: 'data-only' });

    it('needs a formula of the right shape', () => {
      expect(said(derived({ formula: undefined }))).toEqual([
        'indicators[0].formula: is required for a derived indicator: { operation, of: [codes] }',
      ]);
      expect(said(derived({ formula: { operation: 'difference', of: ['AVAIL'] } }))).toEqual([
        'indicators[0].formula.of: must be two indicator codes [a, b] (a − b)',
      ]);
      expect(said(derived({ formula: { operation: 'ratio' as never, of: ['A', 'B'] } }))).toEqual([
        'indicators[0].formula.operation: must be one of difference, sum, percentage',
      ]);
      expect(said(derived({ formula: { operation: 'percentage', of: ['A', 'B'] } }))).toEqual([
        'indicators[0].unit: a percentage formula gives a percentage: unit must be percentage',
      ]);
    });
    it('refuses a formula on another kind', () => {
      expect(
        said(count({ kind: 'data-only', formula: { operation: 'sum', of: ['A', 'B'] } })),
      ).toEqual(['indicators[0].formula: only derived indicators have a formula']);
    });
    it('is computed from typed indicators of the same version, reported as often', () => {
      expect(publish([avail, deliv, derived()])).toHaveLength(1);
      expect(
        refusedWith([
          avail,
          { ...deliv, periodicity: 'quarterly' },
          derived({ formula: { operation: 'difference', of: ['AVAIL', 'NOPE'] } }),
          derived({ code: 'TWICE', formula: { operation: 'sum', of: ['UNOCC', 'AVAIL'] } }),
        ]),
      ).toEqual([
        'indicators[2].formula.of[1]: "NOPE" is not an indicator of this version',
        'indicators[3].formula.of[0]: "UNOCC" is derived itself: compute from typed indicators',
      ]);
      expect(refusedWith([avail, { ...deliv, periodicity: 'quarterly' }, derived()])).toEqual([
        'indicators[2].formula.of[1]: "DELIV" is reported quarterly, this one monthly',
      ]);
    });
    it('keeps its formula when published', () => {
      const [event] = publish([avail, deliv, derived()]) as KpiFrameworkVersionPublished[];
      expect(event!.data.indicators[2]).toMatchObject({
        kind: 'derived',
        formula: { operation: 'difference', of: ['AVAIL', 'DELIV'] },
      });
    });
    it('is judged when it has a target, not judged without one', () => {
      const withTarget = percentage({
        kind: 'derived',
        formula: { operation: 'percentage', of: ['A', 'B'] },
      });
      expect(said(withTarget)).toEqual([]);
      expect(judgeIndicator(withTarget, 80)).toMatchObject({ outcome: 'missed', rag: 'red' });
      expect(judgeIndicator(derived(), 4)).toMatchObject({ outcome: 'not-judged', rag: 'grey' });
    });
  });

  describe('activity', () => {
    const activity = (overrides: Partial<IndicatorDefinition> = {}) =>
      count({
        kind: 'activity',
        direction: 'within-range',
        expectedRange: { lower: 5, upper: 15 },
        ...overrides,
      });
    it('needs an expected range and the within-range direction, and no target', () => {
      expect(said(activity())).toEqual([]);
      expect(
        said(activity({ expectedRange: undefined, direction: 'higher-is-better', target: 3 })),
      ).toEqual([
        'indicators[0].direction: must be within-range (an activity indicator is flagged outside its expected range, never missed)',
        'indicators[0].expectedRange: is required for an activity indicator: { lower, upper } with lower ≤ upper (or one for each quarter in expectedRangesByQuarter)',
        'indicators[0].target: an activity indicator is flagged outside its expected range, never missed: no target',
      ]);
    });
    it('is flagged (amber) outside its range, in range (green) inside, never missed', () => {
      expect(judgeIndicator(activity(), 4)).toMatchObject({ outcome: 'flagged', rag: 'amber' });
      expect(judgeIndicator(activity(), 16)).toMatchObject({ outcome: 'flagged', rag: 'amber' });
      expect(judgeIndicator(activity(), 5)).toMatchObject({ outcome: 'in-range', rag: 'green' });
    });
    it('leaves within-range target indicators judged as before (missed, red)', () => {
      const range = count({ direction: 'within-range', expectedRange: { lower: 5, upper: 15 } });
      expect(said(range)).toEqual([]);
      expect(judgeIndicator(range, 16)).toMatchObject({ outcome: 'missed', rag: 'red' });
    });
  });

  describe('breakdowns', () => {
    const byNeed = { name: 'lead need', categories: ['MH', 'LD', 'PSD', 'OP'] };
    it('are accepted on counts, hours and days, of any kind but derived', () => {
      expect(said(count({ kind: 'data-only', breakdown: byNeed }))).toEqual([]);
      expect(said(count({ target: 10, breakdown: byNeed }))).toEqual([]);
      expect(said(percentage({ breakdown: byNeed }))).toEqual([
        'indicators[0].breakdown: only counts, hours and days add up: a breakdown needs one of those units',
      ]);
    });
    it('need distinct categories, named by index', () => {
      expect(
        said(
          count({ kind: 'data-only', breakdown: { name: 'need', categories: ['MH', 'MH', ''] } }),
        ),
      ).toEqual([
        'indicators[0].breakdown.categories[1]: "MH" is listed twice',
        'indicators[0].breakdown.categories[2]: must be 1 to 40 letters, digits, spaces, _ or -',
      ]);
    });
    it('judge a target indicator by its total', () => {
      const value = { parts: { MH: 3, LD: 2, PSD: 1, OP: 0 }, total: 6 };
      expect(judgeIndicator(count({ target: 5, breakdown: byNeed }), value)).toMatchObject({
        outcome: 'met',
        value: 6,
      });
    });
  });

  describe('targets per period', () => {
    const quarterly = percentage({
      target: undefined,
      floor: 60,
      targetsByPeriod: { quarters: { Q1: 70, Q2: 75, Q3: 80, Q4: 85 } },
    });
    it('need no single target when all four quarters have one', () => {
      expect(said(quarterly)).toEqual([]);
      expect(said({ ...quarterly, targetsByPeriod: { quarters: { Q1: 70 } } })).toEqual([
        'indicators[0].target: is required (unless targetsByPeriod gives all four quarters)',
      ]);
    });
    it('pick the month’s financial quarter (Q1 = Apr–Jun … Q4 = Jan–Mar)', () => {
      expect(targetFor(quarterly, { period: '2026-04' as Period })).toBe(70);
      expect(targetFor(quarterly, { period: '2026-09' as Period })).toBe(75);
      expect(targetFor(quarterly, { period: '2026-10' as Period })).toBe(80);
      expect(targetFor(quarterly, { period: '2027-03' as Period })).toBe(85);
    });
    it('fall back from the quarter to the financial year, then to the target', () => {
      const yearly = percentage({
        target: 50,
        targetsByPeriod: { quarters: { Q4: 90 }, years: { '2026/27': 60 } },
      });
      expect(said(yearly)).toEqual([]);
      expect(targetFor(yearly, { period: '2027-01' as Period })).toBe(90);
      expect(targetFor(yearly, { period: '2026-05' as Period })).toBe(60);
      expect(targetFor(yearly, { period: '2027-05' as Period })).toBe(50);
      expect(judgeIndicator(yearly, 55, { period: '2026-05' as Period })).toMatchObject({
        outcome: 'missed',
        target: 60,
      });
    });
    it('are checked like the target, each named', () => {
      expect(
        said(
          percentage({
            floor: 72,
            targetsByPeriod: { quarters: { Q1: 120, Q5: 3 } as never, years: { '2026/28': 1 } },
          }),
        ),
      ).toEqual([
        'indicators[0].targetsByPeriod.quarters.Q5: must be Q1, Q2, Q3 or Q4 (of the financial year: Q1 is Apr–Jun)',
        'indicators[0].targetsByPeriod.years.2026/28: must be a financial year written 2025/26',
        'indicators[0].targetsByPeriod.quarters.Q1: a percentage target is a percentage from 0 to 100',
      ]);
      // The floor is on the far side of every target (here Q1's 70).
      expect(said({ ...quarterly, floor: 72 })).toEqual([
        'indicators[0].floor: must be on the far side of the target (at or below it)',
      ]);
    });
  });

  describe('context figures', () => {
    const context = {
      previousOutturn: { value: 64, period: '2012/13' },
      comparativeBenchmark: { value: 71, source: 'England average 2012/13' },
    };
    it('are stored with the version, not judged', () => {
      const [event] = publish([percentage(context)]) as KpiFrameworkVersionPublished[];
      expect(event!.data.indicators[0]).toMatchObject(context);
      expect(judgeIndicator(percentage(context), 90)).toMatchObject({ outcome: 'met', target: 90 });
    });
    it('are refused when malformed, naming the field', () => {
      expect(
        said(
          percentage({
            previousOutturn: { value: '64' as never, period: '2012/13' },
            comparativeBenchmark: { value: 71, source: '' },
          }),
        ).map((s) => s.split(':')[0]),
      ).toEqual(['indicators[0].previousOutturn', 'indicators[0].comparativeBenchmark']);
    });
  });
});
