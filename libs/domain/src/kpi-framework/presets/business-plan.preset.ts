import type { IndicatorDefinition } from '../../kpi/indicator';

/**
 * A business-plan template (seed 003, Section F "Performance and activity indicators"): one
 * indicator of each table the seed shows, each with the seed's columns — floor performance
 * standard, previous outturn, comparative benchmark and targets (per quarter, per term, per
 * year) or, for the activity table, an expected range per quarter. The indicators are examples
 * to replace: publish your own version with your own.
 *
 * The termly table is on the academic year (terms autumn Sep–Dec, spring Jan–Mar, summer
 * Apr–Aug, reported as each ends); the annual academic table names a year by the summer it
 * ends in (the seed's "2013" is the academic year 2012/13, reported in August 2013). Annual
 * targets by year keep a `target` too: it holds in years the plan does not name.
 */
export const BUSINESS_PLAN_FRAMEWORK_ID = 'business-plan';

export const BUSINESS_PLAN_INDICATORS: IndicatorDefinition[] = [
  {
    code: 'PQ_REVIEWS',
    name: 'Reviews completed within timescale (%)',
    group: 'Performance indicators – quarterly by financial year',
    unit: 'ratio',
    direction: 'higher-is-better',
    floor: 70,
    previousOutturn: { value: 76, period: '2012/13' },
    comparativeBenchmark: { value: 78, source: 'England average 2012/13' },
    targetsByPeriod: { quarters: { Q1: 80, Q2: 82, Q3: 84, Q4: 85 } },
    periodicity: 'quarterly',
    aggregation: 'ratio-of-sums',
  },
  {
    code: 'PT_ATTENDANCE',
    name: 'Looked-after children attending school (%)',
    group: 'Performance indicators – termly by academic year',
    unit: 'ratio',
    direction: 'higher-is-better',
    floor: 85,
    previousOutturn: { value: 90, period: 'Aut 12' },
    comparativeBenchmark: { value: 92, source: 'England average 2011/12' },
    targetsByPeriod: { terms: { spring: 91, summer: 92, autumn: 93 } },
    periodicity: 'termly',
    aggregation: 'ratio-of-sums',
  },
  {
    code: 'PA_DIRECT_PAYMENTS',
    name: 'People receiving self-directed support (%)',
    group: 'Performance indicators – annually by financial year',
    unit: 'ratio',
    direction: 'higher-is-better',
    floor: 40,
    previousOutturn: { value: 45, period: '2012/13' },
    comparativeBenchmark: { value: 56, source: 'England average 2012/13' },
    target: 70,
    targetsByPeriod: { years: { '2013/14': 60, '2014/15': 70 } },
    periodicity: 'annual',
    aggregation: 'ratio-of-sums',
  },
  {
    code: 'PY_TRANSITION',
    name: 'Young people with a learning disability in education, training or employment at 19 (%)',
    group: 'Performance indicators – annually by academic year',
    unit: 'ratio',
    direction: 'higher-is-better',
    floor: 50,
    previousOutturn: { value: 55, period: '2012' },
    comparativeBenchmark: { value: 60, source: 'Statistical neighbours 2012' },
    target: 65,
    // The seed's targets for 2013 and 2014: the academic years ending in those summers.
    targetsByPeriod: { years: { '2012/13': 60, '2013/14': 65 } },
    periodicity: 'annual',
    yearBasis: 'academic',
    aggregation: 'ratio-of-sums',
  },
  {
    code: 'AQ_REFERRALS',
    name: 'Referrals to learning disability services',
    group: 'Activity indicators – quarterly by financial year',
    kind: 'activity',
    unit: 'count',
    direction: 'within-range',
    previousOutturn: { value: 412, period: '2012/13' },
    comparativeBenchmark: { value: 400, source: 'Statistical neighbours 2012/13' },
    expectedRangesByQuarter: {
      Q1: { lower: 90, upper: 120 },
      Q2: { lower: 80, upper: 110 },
      Q3: { lower: 90, upper: 120 },
      Q4: { lower: 100, upper: 130 },
    },
    periodicity: 'quarterly',
    aggregation: 'sum',
  },
];
