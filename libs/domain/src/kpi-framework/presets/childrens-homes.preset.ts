import type { IndicatorDefinition } from '../../kpi/indicator';
import type { BonusRule } from '../../kpi/judge-indicator.policy';

/**
 * The children's-homes framework of Bryn Melyn Care's KPI policy ("Operational KPIs – Home
 * Managers"): 9 KPIs judged monthly, a home bonus-compliant when 8 of 9 are met.
 *
 * The policy names 9 KPIs but not what they are. These nine are a **configurable starting
 * point** chosen from what Ofsted's Social Care Common Inspection Framework and the Children's
 * Homes Regulations 2015 look at (leadership, safeguarding, education, staffing); a provider
 * publishes its own version with `PublishKpiFrameworkVersion`. See docs/kpi-frameworks.md.
 */
export const CHILDRENS_HOMES_FRAMEWORK_ID = 'childrens-homes';

export const CHILDRENS_HOMES_INDICATORS: IndicatorDefinition[] = [
  {
    code: 'SUP',
    name: 'Staff with supervision in the month as planned (%)',
    unit: 'percentage',
    direction: 'higher-is-better',
    target: 100,
    floor: 90,
    periodicity: 'monthly',
    aggregation: 'average',
  },
  {
    code: 'TRN',
    name: 'Staff up to date with mandatory training (%)',
    unit: 'percentage',
    direction: 'higher-is-better',
    target: 95,
    floor: 85,
    periodicity: 'monthly',
    aggregation: 'average',
  },
  {
    code: 'EDU',
    name: 'Children in full-time education (%)',
    unit: 'percentage',
    direction: 'higher-is-better',
    target: 90,
    floor: 75,
    periodicity: 'monthly',
    aggregation: 'average',
  },
  {
    code: 'PLN',
    name: 'Placement plans reviewed on time (%)',
    unit: 'percentage',
    direction: 'higher-is-better',
    target: 100,
    floor: 90,
    periodicity: 'monthly',
    aggregation: 'average',
  },
  {
    code: 'RTI',
    name: 'Return-home interviews offered within 72 hours of a missing episode (%)',
    unit: 'percentage',
    direction: 'higher-is-better',
    target: 100,
    floor: 90,
    periodicity: 'monthly',
    aggregation: 'average',
  },
  {
    code: 'NTF',
    name: 'Regulation 40 notifications made to Ofsted on time (%)',
    unit: 'percentage',
    direction: 'higher-is-better',
    target: 100,
    periodicity: 'monthly',
    aggregation: 'average',
  },
  {
    code: 'R44',
    name: 'Regulation 44 independent visit completed and report received',
    unit: 'yes-no',
    direction: 'higher-is-better',
    target: 1,
    periodicity: 'monthly',
    aggregation: 'last',
  },
  {
    code: 'RPI',
    name: 'Restrictive physical interventions',
    unit: 'count',
    direction: 'lower-is-better',
    target: 2,
    tolerance: 2,
    periodicity: 'monthly',
    aggregation: 'sum',
  },
  {
    code: 'AGY',
    name: 'Shifts covered by agency staff (%)',
    unit: 'percentage',
    direction: 'lower-is-better',
    target: 10,
    floor: 20,
    periodicity: 'monthly',
    aggregation: 'average',
  },
];

export const CHILDRENS_HOMES_BONUS_RULE: BonusRule = { required: 8, of: 9 };
