import type { IndicatorDefinition } from './indicator';
import { bonusCompliance, judgeIndicator, type Judgement } from './judge-indicator.policy';

const indicator = (overrides: Partial<IndicatorDefinition>): IndicatorDefinition => ({
  code: 'X',
  name: 'An indicator',
  unit: 'percentage',
  direction: 'higher-is-better',
  target: 90,
  periodicity: 'monthly',
  aggregation: 'average',
  ...overrides,
});

const rag = (
  definition: Partial<IndicatorDefinition>,
  value: Parameters<typeof judgeIndicator>[1],
) => judgeIndicator(indicator(definition), value).rag;

describe('judging an indicator', () => {
  describe('higher is better', () => {
    it('is met (green) at or above the target', () => {
      expect(judgeIndicator(indicator({}), 90)).toMatchObject({
        outcome: 'met',
        rag: 'green',
        value: 90,
        target: 90,
      });
      expect(rag({}, 100)).toBe('green');
    });
    it('is missed and red below the target when there is no floor or tolerance', () => {
      expect(judgeIndicator(indicator({}), 89.9)).toMatchObject({ outcome: 'missed', rag: 'red' });
    });
    it('is amber between the floor standard and the target, red below the floor', () => {
      expect(rag({ floor: 75 }, 80)).toBe('amber');
      expect(rag({ floor: 75 }, 75)).toBe('amber');
      expect(rag({ floor: 75 }, 74.9)).toBe('red');
    });
    it('is amber within tolerance of the target, red beyond it', () => {
      expect(rag({ tolerance: 5 }, 85)).toBe('amber');
      expect(rag({ tolerance: 5 }, 84)).toBe('red');
    });
  });

  describe('lower is better', () => {
    const lower = {
      unit: 'count' as const,
      direction: 'lower-is-better' as const,
      target: 2,
      aggregation: 'sum' as const,
    };
    it('is met at or below the target', () => {
      expect(rag(lower, 2)).toBe('green');
      expect(rag(lower, 0)).toBe('green');
    });
    it('is red above the target with no amber band', () => expect(rag(lower, 3)).toBe('red'));
    it('is amber up to the floor standard (above the target)', () => {
      expect(rag({ ...lower, floor: 4 }, 4)).toBe('amber');
      expect(rag({ ...lower, floor: 4 }, 5)).toBe('red');
    });
    it('is amber within tolerance above the target', () => {
      expect(rag({ ...lower, tolerance: 2 }, 4)).toBe('amber');
      expect(rag({ ...lower, tolerance: 2 }, 5)).toBe('red');
    });
  });

  describe('within an expected range (activity indicators)', () => {
    const range = {
      direction: 'within-range' as const,
      target: undefined,
      unit: 'count' as const,
      aggregation: 'sum' as const,
      expectedRange: { lower: 10, upper: 20 },
    };
    it('is met inside the range, bounds included', () => {
      expect(judgeIndicator(indicator(range), 10)).toMatchObject({
        outcome: 'met',
        rag: 'green',
        target: null,
        expectedRange: { lower: 10, upper: 20 },
      });
      expect(rag(range, 20)).toBe('green');
    });
    it('is red outside the range without tolerance', () => {
      expect(rag(range, 9)).toBe('red');
      expect(rag(range, 21)).toBe('red');
    });
    it('is amber just outside the range within tolerance, on either side', () => {
      expect(rag({ ...range, tolerance: 2 }, 8)).toBe('amber');
      expect(rag({ ...range, tolerance: 2 }, 22)).toBe('amber');
      expect(rag({ ...range, tolerance: 2 }, 23)).toBe('red');
    });
  });

  it('judges a ratio as a percentage and a yes-no by its answer', () => {
    const ratio = { unit: 'ratio' as const, target: 95, aggregation: 'ratio-of-sums' as const };
    expect(judgeIndicator(indicator(ratio), { numerator: 19, denominator: 20 })).toMatchObject({
      rag: 'green',
      value: 95,
    });
    expect(rag(ratio, { numerator: 18, denominator: 20 })).toBe('red');
    const yes = { unit: 'yes-no' as const, target: 1, aggregation: 'last' as const };
    expect(rag(yes, true)).toBe('green');
    expect(rag(yes, false)).toBe('red');
  });

  it('treats a value on a threshold as on it, whatever floating point made of the threshold', () => {
    const lower = {
      unit: 'hours' as const,
      direction: 'lower-is-better' as const,
      target: 0.7,
      tolerance: 0.1,
      aggregation: 'sum' as const,
    };
    expect(0.7 + 0.1).not.toBe(0.8); // 0.7999999999999999
    expect(rag(lower, 0.8)).toBe('amber');
    expect(rag(lower, 0.8000001)).toBe('red');
  });

  it('is grey and not applicable, whatever the thresholds, when the value is not applicable', () => {
    expect(
      judgeIndicator(indicator({ floor: 50 }), {
        notApplicable: true,
        reason: 'No children placed',
      }),
    ).toMatchObject({
      outcome: 'not-applicable',
      rag: 'grey',
      value: null,
    });
  });

  it('uses the target of the contract year (the last one for later years)', () => {
    const byYear = { target: undefined, targetsByContractYear: [95, 96, 97, 99] };
    expect(judgeIndicator(indicator(byYear), 96, { contractYear: 1 })).toMatchObject({
      rag: 'green',
      target: 95,
    });
    expect(judgeIndicator(indicator(byYear), 96, { contractYear: 3 })).toMatchObject({
      rag: 'red',
      target: 97,
    });
    expect(judgeIndicator(indicator(byYear), 98, { contractYear: 6 })).toMatchObject({
      rag: 'red',
      target: 99,
    });
  });
});

describe('bonus compliance (k of n met)', () => {
  const judged = (outcomes: Judgement['outcome'][]) =>
    outcomes.map((outcome) => ({ outcome }) as Judgement);

  it('is compliant with 8 of 9 met, not with 7', () => {
    expect(
      bonusCompliance(judged([...Array(8).fill('met'), 'missed']), { required: 8, of: 9 }),
    ).toEqual({
      met: 8,
      required: 8,
      of: 9,
      compliant: true,
    });
    expect(
      bonusCompliance(judged([...Array(7).fill('met'), 'missed', 'missed']), { required: 8, of: 9 })
        .compliant,
    ).toBe(false);
  });

  it('does not count a not-applicable indicator as met', () => {
    expect(
      bonusCompliance(judged([...Array(7).fill('met'), 'not-applicable', 'missed']), {
        required: 8,
        of: 9,
      }).compliant,
    ).toBe(false);
    expect(
      bonusCompliance(judged([...Array(8).fill('met'), 'not-applicable']), { required: 8, of: 9 })
        .compliant,
    ).toBe(true);
  });
});
