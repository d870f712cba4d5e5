import {
  CHILDRENS_HOMES_BONUS_RULE,
  CHILDRENS_HOMES_INDICATORS,
  judgeIndicator,
  type FrameworkVersion,
  type IndicatorValue,
  type MonthlyReturnSubmitted,
  type Period,
} from '@kpi/domain';

/** Builders for monthly-return specs (events, not rows: docs/rules/code-style.md). */
export const childrensHomesV1: FrameworkVersion = {
  frameworkId: 'childrens-homes',
  name: "Children's homes",
  version: 1,
  effectiveFrom: '2025-01' as Period,
  indicators: CHILDRENS_HOMES_INDICATORS,
  bonusRule: CHILDRENS_HOMES_BONUS_RULE,
};

/** Every KPI of the preset met. */
export const allMet: Record<string, IndicatorValue> = {
  SUP: 100,
  TRN: 96,
  EDU: 92,
  PLN: 100,
  RTI: 100,
  NTF: 100,
  R44: true,
  RPI: 1,
  AGY: 8,
};

export function returnSubmitted(
  overrides: Partial<MonthlyReturnSubmitted['data']> & {
    values?: Record<string, IndicatorValue>;
  } = {},
): MonthlyReturnSubmitted {
  const values = overrides.values ?? allMet;
  const results = Object.fromEntries(
    childrensHomesV1.indicators.map((indicator) => [
      indicator.code,
      judgeIndicator(indicator, values[indicator.code]!),
    ]),
  );
  const met = Object.values(results).filter((r) => r.outcome === 'met').length;
  return {
    type: 'MonthlyReturnSubmitted',
    data: {
      serviceId: 'home-17',
      period: '2026-09' as Period,
      frameworkId: 'childrens-homes',
      frameworkVersion: 1,
      values,
      results,
      bonus: { met, required: 8, of: 9, compliant: met >= 8 },
      submittedBy: 'user:rm-1',
      submittedAt: '2026-10-12T09:00:00.000Z',
      dueDate: '2026-10-20',
      late: false,
      ...overrides,
    },
  };
}
