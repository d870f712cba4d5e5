import type { IndicatorDefinition } from '../../kpi/indicator';
import { DIRECT_SERVICES_INDICATORS } from './direct-services.preset';

/**
 * A respite unit's framework: the whole direct-services dataset and the seed's "Respite only"
 * items (seed 001, Appendix 1 and its "Respite Service" table), under the group "Respite".
 * A service takes one framework, so a respite unit registers with this one and the other
 * direct services with `direct-services`. Beds unoccupied is computed: available − delivered.
 * The table totals each row by quarter, so the bed and allocation figures add up (`sum`);
 * move-on plans in place is a position at the month's end (`last`).
 */
export const DIRECT_SERVICES_RESPITE_FRAMEWORK_ID = 'direct-services-respite';

const respite = (
  code: string,
  name: string,
  aggregation: 'sum' | 'last',
  extra: Partial<IndicatorDefinition> = {},
): IndicatorDefinition => ({
  code,
  name,
  group: 'Respite',
  kind: 'data-only',
  unit: 'count',
  direction: 'higher-is-better',
  periodicity: 'monthly',
  aggregation,
  ...extra,
});

export const RESPITE_ONLY_INDICATORS: IndicatorDefinition[] = [
  respite('BEDS_AVAILABLE', 'Respite beds available in the month', 'sum'),
  respite('BEDS_DELIVERED', 'Respite beds delivered in the month', 'sum'),
  {
    code: 'BEDS_UNOCCUPIED',
    name: 'Respite beds unoccupied: available − delivered',
    group: 'Respite',
    kind: 'derived',
    formula: { operation: 'difference', of: ['BEDS_AVAILABLE', 'BEDS_DELIVERED'] },
    unit: 'count',
    direction: 'lower-is-better',
    periodicity: 'monthly',
    aggregation: 'sum',
  },
  respite('BEDS_CANCELLED', 'Respite beds cancelled (by the service only)', 'sum', {
    direction: 'lower-is-better',
  }),
  respite('EIA_BEDS', 'Beds allocated to emergency interim accommodation', 'sum'),
  respite('EIA_DISCHARGES', 'Discharges from emergency interim accommodation', 'sum'),
  respite('MOVE_ON_PLANS', 'Move-on plans in place', 'last'),
  respite(
    'BANDING_ALLOCATED',
    'People allocated under the banding system (56 nights and down)',
    'sum',
  ),
];

export const DIRECT_SERVICES_RESPITE_INDICATORS: IndicatorDefinition[] = [
  ...DIRECT_SERVICES_INDICATORS,
  ...RESPITE_ONLY_INDICATORS,
];
