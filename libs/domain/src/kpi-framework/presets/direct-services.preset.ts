import type { IndicatorDefinition } from '../../kpi/indicator';

/**
 * The direct-services dataset of a council's learning-disability and complex-needs services
 * (seed 001, Appendix 1 "Key Performance Indicators – Direct Services": day services,
 * community services, work training and employment, respite), grouped under the seed's
 * headings. Every item is collected and totalled (`data-only`): the seed gives no targets.
 * Flows within the month add up (`sum`); a position at the month's end is a stock (`last`);
 * weekly capacity is averaged over the months. Figures the seed splits are breakdowns.
 *
 * Not here: the two "No. of Full Time Equivalents" items — FTE is a decimal and no unit holds
 * one yet (a count is whole; see docs/decisions/0022-council-presets.md).
 */
export const DIRECT_SERVICES_FRAMEWORK_ID = 'direct-services';

type Flow = 'sum' | 'last' | 'average';

/** A data-only figure of the dataset. */
const item = (
  group: string,
  code: string,
  name: string,
  aggregation: Flow,
  extra: Partial<IndicatorDefinition> = {},
): IndicatorDefinition => ({
  code,
  name,
  group,
  kind: 'data-only',
  unit: 'count',
  direction: 'higher-is-better',
  periodicity: 'monthly',
  aggregation,
  ...extra,
});
const hours = { unit: 'hours' } as const;
const fewerIsBetter = { direction: 'lower-is-better' } as const;

export const LEAD_NEEDS = ['MH', 'LD', 'PSD', 'OP'];
export const DISCHARGE_REASONS = [
  'Moved on',
  'Refusal to engage',
  'No longer meets eligibility',
  'Passed away',
];

export const DIRECT_SERVICES_INDICATORS: IndicatorDefinition[] = [
  item('People we support', 'PEOPLE', 'People supported, by lead need', 'last', {
    breakdown: { name: 'lead need', categories: LEAD_NEEDS },
  }),
  item(
    'Social work reviews',
    'SW_ASSESSED',
    'People with a current social work assessment (within the last year)',
    'last',
  ),
  item('Social work reviews', 'SW_REVIEWS', 'Social work reviews undertaken in the month', 'sum'),
  item(
    'Individual service agreements',
    'ISA_IN_DATE',
    'Service agreements in date (within 1 year)',
    'last',
  ),
  item(
    'Individual service agreements',
    'ISA_RENEWED',
    'Service agreements renewed or established in the month',
    'sum',
  ),
  item('Service delivery', 'CAP_AVAILABLE', 'Weekly capacity available (places)', 'average'),
  item('Service delivery', 'CAP_UTILISED', 'Weekly capacity utilised (places)', 'average'),
  {
    code: 'CAP_UNUSED',
    name: 'Weekly capacity unused (places): available − utilised',
    group: 'Service delivery',
    kind: 'derived',
    formula: { operation: 'difference', of: ['CAP_AVAILABLE', 'CAP_UTILISED'] },
    unit: 'count',
    direction: 'lower-is-better',
    periodicity: 'monthly',
    aggregation: 'average',
  },
  {
    code: 'CAP_UTILISATION',
    name: 'Weekly capacity utilised (%)',
    group: 'Service delivery',
    kind: 'derived',
    formula: { operation: 'percentage', of: ['CAP_UTILISED', 'CAP_AVAILABLE'] },
    unit: 'percentage',
    direction: 'higher-is-better',
    periodicity: 'monthly',
    aggregation: 'average',
  },
  item('Service delivery', 'REFERRALS', 'New referrals', 'sum'),
  item('Service delivery', 'DISCHARGES', 'Discharges, by reason', 'sum', {
    breakdown: { name: 'discharge reason', categories: DISCHARGE_REASONS },
  }),
  item(
    'Funding streams',
    'CHC_PLACEMENTS',
    'Continuing health care (CHC) funded placements',
    'last',
  ),
  item('Funding streams', 'OOC_PLACEMENTS', 'Out of county placements', 'last'),
  item('Accommodation', 'ACCOMMODATION', 'People by accommodation', 'last', {
    breakdown: {
      name: 'accommodation',
      categories: ['Supported Living', 'Residential Care', 'Ategi', 'Family', 'Independent'],
    },
  }),
  item('Transport', 'TRANSPORT', 'People by transport', 'last', {
    breakdown: {
      name: 'transport',
      categories: ['Social services assisted', 'Mobility vehicle or monies', 'Independent'],
    },
  }),
  item('Social work teams', 'SW_TEAMS', 'People by social work team', 'last', {
    breakdown: {
      name: 'social work team',
      categories: [
        'CMHT North',
        'CMHT South',
        'Complex Case Team',
        'Afan Network',
        'Neath Network',
      ],
    },
  }),
  item('Quality of service', 'SAFEGUARDING', 'Safeguarding referrals', 'sum', fewerIsBetter),
  item(
    'Quality of service',
    'CHILD_PROTECTION',
    'Child protection referrals',
    'sum',
    fewerIsBetter,
  ),
  item('Quality of service', 'INCIDENTS', 'Accidents and incidents', 'sum', fewerIsBetter),
  item('Quality of service', 'COMPLAINTS', 'Complaints', 'sum', fewerIsBetter),
  item('Quality of service', 'REG38', 'Regulation 38 notifications to CSSIW', 'sum', fewerIsBetter),
  item('Staffing', 'CARE_STAFF', "Care staff (including G7's)", 'last'),
  item('Staffing', 'CARE_CONTRACTED', 'Care staff contracted hours per week', 'last', hours),
  item(
    'Staffing',
    'CARE_DELIVERED',
    'Care staff hours delivered in the month (including overtime)',
    'sum',
    hours,
  ),
  item('Staffing', 'DOMESTIC_STAFF', 'Domestic and catering staff', 'last'),
  item(
    'Staffing',
    'DOMESTIC_CONTRACTED',
    'Domestic and catering contracted hours per week',
    'last',
    hours,
  ),
  item(
    'Staffing',
    'DOMESTIC_DELIVERED',
    'Domestic and catering hours delivered in the month (including overtime)',
    'sum',
    hours,
  ),
  item('Staff support', 'STAFF_TOTAL', 'Staff in total', 'last'),
  item('Staff support', 'SUPERVISIONS', 'Supervision sessions delivered in the month', 'sum'),
  item('Staff support', 'APPRAISALS_IN_DATE', 'Appraisals in date', 'last'),
  item('Staff support', 'APPRAISALS', 'Appraisals delivered in the month', 'sum'),
  item('Staff support', 'TEAM_MEETINGS', 'Team meetings delivered in the month', 'sum'),
  item(
    'Hours delivered',
    'HOURS_AVAILABLE',
    'Hours available in the month (care and domestic staff)',
    'sum',
    hours,
  ),
  item('Hours delivered', 'HOURS_LEAVE', 'Hours taken as annual leave in the month', 'sum', hours),
  item('Hours delivered', 'HOURS_TRAINING', 'Hours taken for training in the month', 'sum', hours),
  item('Hours delivered', 'HOURS_SICKNESS', 'Hours lost to sickness in the month', 'sum', {
    ...hours,
    ...fewerIsBetter,
  }),
  item('Hours delivered', 'ABSENCE_STAGES', 'Staff at each stage of managing absence', 'last', {
    ...fewerIsBetter,
    breakdown: { name: 'absence stage', categories: ['Stage 1', 'Stage 2', 'Stage 3'] },
  }),
];
