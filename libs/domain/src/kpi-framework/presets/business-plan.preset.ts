import type { IndicatorDefinition } from '../../kpi/indicator';

/**
 * A business-plan template (seed 003, Section F "Performance and activity indicators"): one
 * indicator of each table the seed shows, each with the seed's columns — floor performance
 * standard, previous outturn, comparative benchmark and targets. The indicators are examples
 * to replace: publish your own version with your own.
 *
 * Terms and academic years are not periods of kpi-ledger yet (docs/decisions/0022):
 * - termly targets are given by the quarter a term is reported in — Spring in Q4 (Jan–Mar),
 *   Summer in Q1 (Apr–Jun), Autumn in Q3 (Oct–Dec); Q2 (the summer holiday) keeps Summer's;
 * - an academic year's target (results of summer 2013) is the financial year it is reported
 *   in (2013/14, reported in March 2014).
 * Annual targets by year keep a `target` too: it holds in years the plan does not name.
 * An activity indicator has one expected range (the seed's table allows one per quarter).
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
    previousOutturn: { value: 90, period: 'Autumn 2012' },
    comparativeBenchmark: { value: 92, source: 'England average 2011/12' },
    // Spring 13 in Q4, Summer 13 in Q1 (and Q2), Autumn 13 in Q3.
    targetsByPeriod: { quarters: { Q4: 91, Q1: 92, Q2: 92, Q3: 93 } },
    periodicity: 'quarterly',
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
    // Academic year 2013 is reported in 2013/14, 2014 in 2014/15.
    targetsByPeriod: { years: { '2013/14': 60, '2014/15': 65 } },
    periodicity: 'annual',
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
    expectedRange: { lower: 90, upper: 120 },
    periodicity: 'quarterly',
    aggregation: 'sum',
  },
];
