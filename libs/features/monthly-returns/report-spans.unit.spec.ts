import { periodsBetween, type IndicatorDefinition, type IndicatorValue } from '@kpi/domain';
import { month } from '@kpi/testing';
import type { MonthSeries, ReportCells, UsedDefinition } from './report-cells';
import { previousValueFor, spanFigure } from './report-rollup';
import { reportSpans } from './report-spans';

/**
 * Spans rolled up month by month, each by the framework version that judged it
 * (docs/decisions/0026): months judged under different units or rules are never mixed.
 */
const KEY = 'council|SEEN';
const COUNT: IndicatorDefinition = {
  code: 'SEEN',
  name: 'People seen within 28 days',
  unit: 'count',
  direction: 'higher-is-better',
  target: 30,
  periodicity: 'monthly',
  aggregation: 'sum',
};
/** Version 2 keeps the unit and rule, with another target. */
const COUNT_V2: IndicatorDefinition = { ...COUNT, target: 45 };
/** Version 3 measures the same indicator as a ratio from August 2025. */
const RATIO: IndicatorDefinition = {
  ...COUNT,
  unit: 'ratio',
  target: 80,
  aggregation: 'ratio-of-sums',
};

const used = (version: number, definition: IndicatorDefinition): UsedDefinition => ({
  frameworkId: 'council',
  version,
  definition,
});

const PERIODS = periodsBetween(month('2025-04'), month('2025-09'));
const Q1 = PERIODS.slice(0, 3);
const Q2 = PERIODS.slice(3);
const r = (numerator: number, denominator: number) => ({ numerator, denominator });

/** Each service's months Apr–Sep 2025 as [version, value], or null without a return. */
function cellsOf(
  services: Record<string, ([number, IndicatorValue] | null)[]>,
  latestVersion = 3,
): ReportCells {
  const definitions = new Map([
    [1, used(1, COUNT)],
    [2, used(2, COUNT_V2)],
    [3, used(3, RATIO)],
  ]);
  const series = new Map<string, Map<string, MonthSeries>>();
  for (const [serviceId, months] of Object.entries(services)) {
    series.set(
      serviceId,
      new Map([
        [
          KEY,
          {
            values: months.map((m) => (m ? m[1] : null)),
            versions: months.map((m) => (m ? m[0] : 0)),
          },
        ],
      ]),
    );
  }
  return {
    periods: PERIODS,
    series,
    versions: new Map([[KEY, definitions]]),
    latest: new Map([[KEY, definitions.get(latestVersion)!]]),
  };
}

const spansOf = (services: Record<string, ([number, IndicatorValue] | null)[]>, latest = 3) =>
  reportSpans(cellsOf(services, latest), Object.keys(services));

describe('a report span rolled up by the versions that judged its months', () => {
  it('adds months judged by two versions of the same unit and rule, judged by the latest', () => {
    const spans = spansOf({ a: [[1, 10], [1, 12], [2, 14], null, null, null] }, 2);
    const quarter = spans.serviceSpan('a', KEY, Q1);
    expect(quarter).toMatchObject({ value: 36, notRolledUp: null, definition: COUNT_V2 });
    expect(spanFigure(quarter, { quarter: '2025-26 Q1' }).judgement).toMatchObject({
      outcome: 'missed',
      target: 45,
    });
  });

  it('does not mix a count with a ratio: no value, a note naming the change, never a throw', () => {
    const spans = spansOf({
      a: [null, null, null, [1, 30], [3, r(8, 10)], [3, r(9, 10)]],
    });
    const quarter = spans.serviceSpan('a', KEY, Q2);
    expect(quarter.value).toBeNull();
    expect(quarter.notRolledUp).toBe('the unit changed from count to ratio in 2025-08');
    expect(quarter.rollUp).toMatchObject({ count: 3, notApplicable: 0 });
    expect(spanFigure(quarter, { quarter: '2025-26 Q2' })).toEqual({
      value: null,
      judgedValue: null,
      judgement: null,
      notRolledUp: 'the unit changed from count to ratio in 2025-08',
    });
    // Each month alone is still its own figure, judged under its own unit.
    expect(spans.monthDefinition('a', month('2025-07'), KEY)).toBe(COUNT);
    expect(spans.monthDefinition('a', month('2025-08'), KEY)).toBe(RATIO);
    expect(spans.totalSpan(KEY, [month('2025-08')]).value).toEqual(r(8, 10));
  });

  it('rolls up a span wholly under the new unit by its rule, and compares no travel across units', () => {
    const spans = spansOf({
      a: [
        [1, 30],
        [1, 31],
        [1, 32],
        [3, r(8, 10)],
        [3, r(9, 10)],
        [3, r(7, 10)],
      ],
    });
    const q1 = spans.serviceSpan('a', KEY, Q1);
    const q2 = spans.serviceSpan('a', KEY, Q2);
    expect(q1).toMatchObject({ value: 93, notRolledUp: null, definition: COUNT });
    expect(q2).toMatchObject({ value: r(24, 30), notRolledUp: null, definition: RATIO });
    expect(previousValueFor(q2, q1)).toBeNull();
    expect(previousValueFor(q1, q1)).toBe(93);
  });

  it('totals services only when every service-month shares the unit and rule', () => {
    const mixed = spansOf({
      a: [null, null, null, [3, r(8, 10)], [3, r(9, 10)], null],
      b: [null, null, null, [1, 4], null, null],
    });
    expect(mixed.totalSpan(KEY, Q2)).toMatchObject({
      value: null,
      notRolledUp: 'the unit differs between services in 2025-07 (ratio, count)',
      rollUp: { count: 3 },
    });
    const agreeing = spansOf({
      a: [null, null, null, [3, r(8, 10)], [3, r(9, 10)], null],
      b: [null, null, null, [3, r(1, 2)], null, [3, { notApplicable: true, reason: 'closed' }]],
    });
    expect(agreeing.totalSpan(KEY, Q2)).toMatchObject({
      value: r(18, 22),
      notRolledUp: null,
      rollUp: { count: 3, notApplicable: 1 },
    });
  });

  it('says when the aggregation rule changed under the same unit', () => {
    const averaged: IndicatorDefinition = { ...COUNT, aggregation: 'average' };
    const cells = cellsOf({ a: [[1, 10], [2, 12], null, null, null, null] }, 2);
    cells.versions.get(KEY)!.set(2, used(2, averaged));
    cells.latest.set(KEY, used(2, averaged));
    const quarter = reportSpans(cells, ['a']).serviceSpan('a', KEY, Q1);
    expect(quarter.notRolledUp).toBe('the aggregation changed from sum to average in 2025-05');
  });
});
