import {
  FRAMEWORK_PRESETS,
  kindOf,
  periodsBetween,
  readIndicatorValue,
  type Period,
} from '@kpi/domain';
import { DIRECT_SERVICES } from './direct-services-catalogue';
import { breakdown, directServiceValues } from './direct-services-figures';

const PERIODS = periodsBetween('2025-04' as Period, '2027-03' as Period);
const valuesOf = (s: number, m: number, withSupervisionRatio = false) =>
  directServiceValues(
    DIRECT_SERVICES[s]!,
    { serviceIndex: s, m, period: PERIODS[m]! },
    { withSupervisionRatio },
  );

describe("the direct services' figures", () => {
  it('give every item of their dataset a value it accepts, and no derived item', () => {
    for (const [s, service] of DIRECT_SERVICES.entries()) {
      const indicators = FRAMEWORK_PRESETS[service.frameworkId].indicators;
      const given = indicators.filter((i) => kindOf(i) !== 'derived');
      for (const m of PERIODS.keys()) {
        const values = valuesOf(s, m);
        expect(Object.keys(values).sort()).toEqual(given.map((i) => i.code).sort());
        for (const indicator of given) {
          const read = readIndicatorValue(indicator, values[indicator.code]);
          expect({ code: indicator.code, read }).not.toMatchObject({
            read: { problem: expect.any(String) },
          });
        }
      }
    }
  });

  it('add the supervision ratio only when the version collects it', () => {
    expect(valuesOf(0, 12, true).SUPERVISED_IN_8_WEEKS).toEqual({
      numerator: 22,
      denominator: 22,
    });
    expect(valuesOf(0, 12)).not.toHaveProperty('SUPERVISED_IN_8_WEEKS');
  });

  it('split the people supported into parts that add up to them', () => {
    for (const m of PERIODS.keys()) {
      const values = valuesOf(3, m) as Record<string, { total: number }>;
      for (const code of ['ACCOMMODATION', 'TRANSPORT', 'SW_TEAMS'])
        expect(values[code]!.total).toBe(values.PEOPLE!.total);
    }
    expect(breakdown(10, { a: 0.35, b: 0.35, c: 0.3 })).toEqual({
      parts: { a: 4, b: 3, c: 3 },
      total: 10,
    });
  });

  it('follow the seasons: more sickness in January than in June, more leave in August', () => {
    const month = (period: string) => PERIODS.indexOf(period as Period);
    for (const s of DIRECT_SERVICES.keys()) {
      const hours = (m: number, code: string) => valuesOf(s, m)[code] as number;
      expect(hours(month('2026-01'), 'HOURS_SICKNESS')).toBeGreaterThan(
        hours(month('2026-06'), 'HOURS_SICKNESS'),
      );
      expect(hours(month('2026-08'), 'HOURS_LEAVE')).toBeGreaterThan(
        hours(month('2026-05'), 'HOURS_LEAVE'),
      );
    }
  });

  it('are the same every run', () => {
    expect(valuesOf(2, 7)).toEqual(valuesOf(2, 7));
    expect(valuesOf(2, 7)).not.toEqual(valuesOf(2, 8));
  });
});
