import fc from 'fast-check';
import { addMonths, periodOf, type Period } from '../shared/period';
import {
  combineRollUps,
  monthRollUp,
  rollUpAll,
  rollUpMonths,
  rolledUpValue,
  totalOfServices,
  type RollUp,
} from './aggregation';
import { AGGREGATION_RULES, type AggregationRule, type IndicatorDefinition } from './indicator';
import { isNotApplicable, type IndicatorValue } from './indicator-value';
import { judgeIndicator, quarterTargetFor } from './judge-indicator.policy';

/**
 * The property the issue asks for: rolling months up by each aggregation rule, grouped in any
 * way (months → quarters → year, or any nesting of consecutive spans), gives the rule applied
 * to all the months at once. Values are whole numbers so sums are exact whatever the order.
 */
const START = periodOf(2026, 4);
const NA: IndicatorValue = { notApplicable: true, reason: 'closed' };

type Month = { period: Period; value: IndicatorValue | null };

const monthValue = (rule: AggregationRule): fc.Arbitrary<IndicatorValue | null> =>
  fc.oneof(
    { weight: 6, arbitrary: valueFor(rule) },
    { weight: 1, arbitrary: fc.constant(NA) },
    { weight: 1, arbitrary: fc.constant(null) },
  );

const valueFor = (rule: AggregationRule): fc.Arbitrary<IndicatorValue> =>
  rule === 'ratio-of-sums'
    ? fc.record({ numerator: fc.nat(500), denominator: fc.integer({ min: 1, max: 500 }) })
    : fc.nat(1000);

const monthsFor = (rule: AggregationRule): fc.Arbitrary<Month[]> =>
  fc
    .array(monthValue(rule), { minLength: 0, maxLength: 24 })
    .map((values) => values.map((value, i) => ({ period: addMonths(START, i), value })));

/** Cuts a list into consecutive non-empty groups at the given points. */
function cut<T>(items: readonly T[], points: readonly number[]): T[][] {
  const at = [...new Set(points.map((p) => p % (items.length + 1)))].sort((a, b) => a - b);
  const groups: T[][] = [];
  let from = 0;
  for (const p of [...at, items.length]) {
    if (p > from) groups.push(items.slice(from, p));
    from = Math.max(from, p);
  }
  return groups;
}

/** The rule applied to all months at once, written plainly, to compare against. */
function direct(rule: AggregationRule, months: readonly Month[]): IndicatorValue | null {
  const withValue = months.filter((m) => m.value !== null && !isNotApplicable(m.value));
  if (withValue.length === 0) {
    return months.some((m) => m.value !== null)
      ? { notApplicable: true, reason: 'not applicable in every month with a return' }
      : null;
  }
  const numbers = withValue.map((m) => m.value as number);
  switch (rule) {
    case 'sum':
      return numbers.reduce((a, b) => a + b, 0);
    case 'average':
      return numbers.reduce((a, b) => a + b, 0) / numbers.length;
    case 'last':
      return withValue[withValue.length - 1]!.value;
    case 'ratio-of-sums': {
      const ratios = withValue.map((m) => m.value as { numerator: number; denominator: number });
      return {
        numerator: ratios.reduce((a, r) => a + r.numerator, 0),
        denominator: ratios.reduce((a, r) => a + r.denominator, 0),
      };
    }
  }
}

describe('rolling indicator values up', () => {
  describe.each(AGGREGATION_RULES)('by %s', (rule) => {
    it('gives, grouped in any way, what the rule gives over all the months at once', () => {
      fc.assert(
        fc.property(
          monthsFor(rule),
          fc.array(fc.nat(30), { maxLength: 8 }),
          fc.array(fc.nat(30), { maxLength: 4 }),
          (months, quarterCuts, yearCuts) => {
            const all = rollUpMonths(rule, months);
            // Months into spans ("quarters"), spans into larger spans ("years"), then the whole.
            const quarters = cut(months, quarterCuts).map((q) => rollUpMonths(rule, q));
            const years = cut(quarters, yearCuts).map((y) => rollUpAll(rule, y));
            const nested = rollUpAll(rule, years);
            expect(nested).toEqual(all);
            expect(rolledUpValue(nested)).toEqual(direct(rule, months));
          },
        ),
      );
    });

    it('does not depend on the order spans are combined in', () => {
      fc.assert(
        fc.property(monthsFor(rule), fc.array(fc.nat(30), { maxLength: 6 }), (months, cuts) => {
          const spans = cut(months, cuts).map((span) => rollUpMonths(rule, span));
          const reversed = [...spans].reverse().reduce(combineRollUps, rollUpAll(rule, []));
          expect(reversed).toEqual(rollUpMonths(rule, months));
        }),
      );
    });
  });
});

describe('what each rule gives', () => {
  const months = (...values: (IndicatorValue | null)[]): Month[] =>
    values.map((value, i) => ({ period: addMonths(START, i), value }));
  const value = (rule: AggregationRule, ...values: (IndicatorValue | null)[]) =>
    rolledUpValue(rollUpMonths(rule, months(...values)));

  it('averages every month with a value, never the averages of spans', () => {
    // Quarter 1 has one month of 10, quarter 2 three of 40: the average of averages is 25.
    const q1 = rollUpMonths('average', months(10, null, NA));
    const q2 = rollUpMonths('average', months(40, 40, 40));
    expect(rolledUpValue(rollUpAll('average', [q1, q2]))).toBe(32.5);
  });

  it('keeps the last month with a value: a later month without one does not hide it', () => {
    expect(value('last', 5, 7, null)).toBe(7);
    expect(value('last', 5, 7, NA)).toBe(7);
    expect(value('last', true, false)).toBe(false);
  });

  it('adds the parts of ratios, never averaging percentages', () => {
    const r = value(
      'ratio-of-sums',
      { numerator: 1, denominator: 1 },
      { numerator: 1, denominator: 3 },
    );
    expect(r).toEqual({ numerator: 2, denominator: 4 }); // 50 %, not (100 + 33.3) / 2
  });

  it('is not applicable when every month with a return said so, and absent without one', () => {
    for (const rule of AGGREGATION_RULES) {
      expect(value(rule, NA, null)).toMatchObject({ notApplicable: true });
      expect(value(rule, null, null)).toBeNull();
      expect(value(rule)).toBeNull();
    }
  });

  it('refuses to roll up a plain number as a ratio', () => {
    expect(() => monthRollUp('ratio-of-sums', START, 5)).toThrow(/ratios only/);
  });

  it('combines only spans of the same rule', () => {
    const a: RollUp = rollUpMonths('sum', months(1));
    expect(() => combineRollUps(a, rollUpMonths('average', months(1)))).toThrow();
  });
});

describe('the total of several services', () => {
  const span = (rule: AggregationRule, ...values: (IndicatorValue | null)[]) =>
    rollUpMonths(
      rule,
      values.map((value, i) => ({ period: addMonths(START, i), value })),
    );

  it('adds sums, averages every service-month and adds the parts of ratios', () => {
    expect(totalOfServices('sum', 'count', [span('sum', 1, 2), span('sum', 3)])).toBe(6);
    expect(
      totalOfServices('average', 'percentage', [span('average', 90, 80), span('average', 40)]),
    ).toBe(70);
    expect(
      totalOfServices('ratio-of-sums', 'ratio', [
        span('ratio-of-sums', { numerator: 1, denominator: 2 }),
        span('ratio-of-sums', { numerator: 3, denominator: 6 }),
      ]),
    ).toEqual({ numerator: 4, denominator: 8 });
  });

  it("adds each service's last count (a stock) and averages other units' last values", () => {
    expect(totalOfServices('last', 'count', [span('last', 4, 5), span('last', 7, null)])).toBe(12);
    expect(totalOfServices('last', 'percentage', [span('last', 50, 90), span('last', 70)])).toBe(
      80,
    );
    expect(totalOfServices('last', 'count', [span('last', NA), span('last', null)])).toMatchObject({
      notApplicable: true,
    });
    expect(totalOfServices('last', 'count', [span('last', null)])).toBeNull();
  });
});

describe('breakdowns rolled up', () => {
  const bd = (MH: number, LD: number) => ({ parts: { MH, LD }, total: MH + LD });
  const span = (rule: AggregationRule, ...values: (IndicatorValue | null)[]) =>
    rollUpMonths(
      rule,
      values.map((value, i) => ({ period: addMonths(START, i), value })),
    );

  it('rolls up the total and each part by the same rule', () => {
    expect(rolledUpValue(span('sum', bd(1, 2), null, bd(3, 4)))).toEqual(bd(4, 6));
    expect(rolledUpValue(span('average', bd(2, 4), bd(4, 8), NA))).toEqual(bd(3, 6));
    expect(rolledUpValue(span('last', bd(2, 4), bd(5, 1), null))).toEqual(bd(5, 1));
  });

  it('rolls up again: months → quarters → year keeps the parts', () => {
    const q1 = span('sum', bd(1, 1), bd(2, 0));
    const q2 = span('sum', bd(0, 5));
    expect(rolledUpValue(rollUpAll('sum', [q1, q2]))).toEqual(bd(3, 6));
  });

  it('totals services part by part', () => {
    expect(totalOfServices('sum', 'count', [span('sum', bd(1, 2)), span('sum', bd(3, 0))])).toEqual(
      bd(4, 2),
    );
    expect(
      totalOfServices('last', 'count', [span('last', bd(1, 2)), span('last', bd(3, 0), null)]),
    ).toEqual(bd(4, 2));
  });

  it('is a plain number when some month gave no parts', () => {
    expect(rolledUpValue(span('sum', bd(1, 2), 4))).toBe(7);
  });
});

describe('a quarter judged against its own target', () => {
  const plan: IndicatorDefinition = {
    code: 'BP1',
    name: 'Reviews on time',
    unit: 'count',
    direction: 'higher-is-better',
    aggregation: 'sum',
    periodicity: 'monthly',
    floor: 20,
    target: 99,
    targetsByPeriod: { quarters: { Q1: 30, Q2: 40, Q4: 50 }, years: { '2027/28': 60 } },
  };

  it("takes the quarter's target, else the year's, else the indicator's", () => {
    expect(quarterTargetFor(plan, '2026-27 Q1')).toBe(30);
    expect(quarterTargetFor(plan, '2026-27 Q2')).toBe(40);
    expect(quarterTargetFor(plan, '2026-27 Q3')).toBe(99);
    expect(quarterTargetFor(plan, '2026-27 Q4')).toBe(50); // January to March 2027
    const yearly = { ...plan, targetsByPeriod: { years: { '2027/28': 60 } } };
    expect(quarterTargetFor(yearly, '2027-28 Q4')).toBe(60);
    expect(quarterTargetFor(yearly, '2026-27 Q4')).toBe(99);
  });

  it('judges the same rolled-up value differently in quarters with different targets', () => {
    expect(judgeIndicator(plan, 35, { quarter: '2026-27 Q1' })).toMatchObject({
      outcome: 'met',
      rag: 'green',
      target: 30,
    });
    expect(judgeIndicator(plan, 35, { quarter: '2026-27 Q2' })).toMatchObject({
      outcome: 'missed',
      rag: 'amber',
      target: 40,
    });
  });
});
