import type { JudgedMonthsReader } from '@kpi/features/kpi-frameworks';
import { entityId } from '@kpi/command-handling';
import {
  addMonths,
  FRAMEWORK_PRESETS,
  londonPeriodOf,
  periodsBetween,
  streamIds,
  type IndicatorDefinition,
  type JudgedMonth,
  type MonthlyReturnSubmitted,
  type Period,
} from '@kpi/domain';
import type { EventStore } from '@kpi/event-store';
import {
  type DAY_SERVICES,
  DIRECT_SERVICES,
  REFERRALS_EXPECTED,
  type RESPITE,
} from './direct-services-catalogue';
import { directServiceValues } from './direct-services-figures';

/**
 * Version 2 of a dataset: the preset's items with referrals given an expected range (an
 * activity figure), capacity utilised % a benchmark and last year's outturn, and a supervision
 * ratio added.
 */
export function secondVersionOf(
  frameworkId: typeof DAY_SERVICES | typeof RESPITE,
  effectiveFrom: Period,
  outturn: { value: number; period: string },
) {
  const preset = FRAMEWORK_PRESETS[frameworkId];
  const indicators: IndicatorDefinition[] = preset.indicators.map((indicator) => {
    if (indicator.code === 'REFERRALS')
      // The range is a month's, so a quarter or a year is judged by its monthly average.
      return {
        ...indicator,
        kind: 'activity',
        direction: 'within-range',
        aggregation: 'average',
        expectedRange: { ...REFERRALS_EXPECTED },
      };
    if (indicator.code === 'CAP_UTILISATION')
      return {
        ...indicator,
        previousOutturn: outturn,
        comparativeBenchmark: { value: 85, source: 'Regional day services benchmarking club' },
      };
    return indicator;
  });
  indicators.push({
    code: 'SUPERVISED_IN_8_WEEKS',
    name: 'Staff supervised in the last 8 weeks',
    group: 'Staff support',
    kind: 'target',
    unit: 'ratio',
    direction: 'higher-is-better',
    target: 90,
    floor: 75,
    periodicity: 'monthly',
    aggregation: 'ratio-of-sums',
  });
  return {
    frameworkId: entityId(frameworkId, 'frameworkId'),
    name: preset.name,
    effectiveFrom,
    indicators,
    bonusRule: null,
  };
}

/** Capacity utilised % over the first year, all direct services together (utilised ÷ available). */
export function utilisationOutturn(dates: { firstMonth: Period; periods: Period[] }) {
  let utilised = 0;
  let available = 0;
  for (const [m, period] of dates.periods.slice(0, 12).entries())
    for (const [s, directService] of DIRECT_SERVICES.entries()) {
      const values = directServiceValues(
        directService,
        { serviceIndex: s, m, period },
        { withSupervisionRatio: false },
      );
      utilised += values.CAP_UTILISED as number;
      available += values.CAP_AVAILABLE as number;
    }
  const last = addMonths(dates.firstMonth, 11);
  return {
    value: Math.round((1000 * utilised) / available) / 10,
    period: `${dates.firstMonth} to ${last}`,
  };
}

/**
 * Which months from `from` on have returns judged on a framework, read from the log: the
 * council's services' return streams up to the month of `at`. The seed's own check that a
 * back-dated version covers no judged month (docs/decisions/0020-versions-that-describe-the-past.md).
 */
export function judgedMonthsInLog(store: EventStore, at: Date): JudgedMonthsReader {
  return async (tenantId, frameworkId, from) => {
    const periods = periodsBetween(from, londonPeriodOf(at));
    const ids = DIRECT_SERVICES.flatMap((s) =>
      periods.map((p) => streamIds.monthlyReturn(tenantId, s.serviceId, p)),
    );
    const judged = new Map<string, JudgedMonth & { serviceIds: string[] }>();
    for (const events of (await store.readStreams(ids)).values()) {
      const submitted = events.find((e) => e.type === 'MonthlyReturnSubmitted');
      if (!submitted) continue;
      const data = submitted.data as MonthlyReturnSubmitted['data'];
      if (data.frameworkId !== frameworkId) continue;
      const key = `${data.period}|${data.frameworkVersion}`;
      const month = judged.get(key) ?? {
        period: data.period,
        version: data.frameworkVersion,
        serviceIds: [],
      };
      month.serviceIds.push(data.serviceId);
      judged.set(key, month);
    }
    return [...judged.values()].sort(
      (a, b) => a.period.localeCompare(b.period) || a.version - b.version,
    );
  };
}
